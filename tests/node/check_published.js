// Checks logged HTTP exchanges with X and Stripe against the published API descriptions,
// as extracted into tests/data/published/*.json (each names its source repository, path and
// commit), with ajv.
// Usage: node check_published.js [--expect-fail] [--closed-params] [--overlay OVERLAY.json]...
//                                 SCHEMA.json... EXCHANGES.jsonl
// EXCHANGES.jsonl: one exchange per line, as the fake servers saw it:
//   {"api": "x" | "stripe", "method": "GET", "path": "/2/users/123/followers",
//    "query": "max_results=1000&user.fields=...", "requestContentType": "...",
//    "requestBody": "<raw string>", "status": 200, "responseBody": "<raw string>"}
// Each schema file says which api it describes (its top-level "api"). An exchange must match one
// of that file's operations ("METHOD /path/{param}", a {param} is one segment), and then:
//  - its path parameters and query validate against the operation's pathParams and query schemas,
//    with type coercion ("1000" is an integer); X's comma-separated list parameters (style form,
//    explode false) are split into arrays, Stripe's bracketed keys (expand[]=a, a[b][0][c]=v) are
//    decoded into nested objects and arrays (an index makes an array);
//  - its request body validates against requestBody: form-encoded bodies are decoded as Stripe's
//    bracket notation, with coercion ("3" is an integer); an empty body is {}; a body sent to an
//    operation without one, or of another content type, fails;
//  - its response body is JSON and validates against responses[status], else responses["4XX"]
//    (the status class), else responses["default"]; a status with none of them fails.
// Prints one line per failing exchange and a summary line
//   published_contract: N exchanges checked (x: a, stripe: b), M failed
// and exits 1 if any exchange failed, or if no exchange was checked for an api whose schema file
// was given (a broken log cannot pass silently).
// --expect-fail inverts the verdict: exit 0 only if there was at least one exchange and every one
// failed.
// --closed-params closes every request object that lists its properties (additionalProperties
// false), as Stripe's servers do ("Received unknown parameter: phases[0][iterations]"). Without it
// the schemas are applied as published, where only the top level of a Stripe form is closed, so
// an unknown nested parameter passes unless it displaces a required one.
// --overlay OVERLAY.json (repeatable) patches the schema file of the api the overlay names
// ("appliesTo") before anything is compiled: {"appliesTo": "stripe", "apiVersion": "...",
// "patches": [{"op": "add" | "remove" | "replace", "path": "<JSON pointer into the schema file>",
// "value": ..., "reason": "..."}]}, applied in order (RFC 6902 semantics, with two checks of our
// own: "add" to an object member that already exists fails (use "replace"), and a "remove" that
// carries a "value" fails unless the removed value equals it, so that a shifted array index is an
// error and not a silent wrong removal). Every patch needs a "reason". A patch that does not
// apply is an error (exit 2). tests/data/published/stripe_2024-06-20_overlay.json turns the
// published (newer) Stripe description into what our pinned Stripe-Version 2024-06-20 answers.
// The self-tests (the good file holds 2024-06-20 exchanges, so it needs the overlay):
//   node check_published.js --closed-params --overlay ../data/published/stripe_2024-06-20_overlay.json \
//        ../data/published/x_api_v2.json ../data/published/stripe.json \
//        check_published_selftest.jsonl                      # must pass: exit 0
//   node check_published.js --expect-fail --closed-params \
//        --overlay ../data/published/stripe_2024-06-20_overlay.json \
//        ../data/published/x_api_v2.json ../data/published/stripe.json check_published_selftest_bad.jsonl
// check_published_selftest_bad.jsonl holds exchanges that must each FAIL: an unknown Stripe
// parameter (phases[0][itemz][0][price] in place of items), a phase `duration` (not in
// 2024-06-20), a non-integer `iterations`, a subscription without current_period_end, X
// max_results=5000, an X pagination_token shorter than 16, a followers 200 body whose data[0]
// lacks `id`, and undocumented paths.
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const USAGE = "usage: node check_published.js [--expect-fail] [--closed-params] [--overlay OVERLAY.json]... SCHEMA.json... EXCHANGES.jsonl";
const args = process.argv.slice(2);
const flags = new Set();
const overlayFiles = [];
const files = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === "--overlay") {
    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
      console.error("--overlay needs a file");
      process.exit(2);
    }
    overlayFiles.push(args[i + 1]);
    i += 1;
  } else if (arg.startsWith("--overlay=")) {
    overlayFiles.push(arg.slice("--overlay=".length));
  } else if (arg === "--expect-fail" || arg === "--closed-params") {
    flags.add(arg);
  } else if (arg.startsWith("--")) {
    console.error(`unknown option ${arg}`);
    process.exit(2);
  } else {
    files.push(arg);
  }
}
const expectFail = flags.has("--expect-fail");
const closedParams = flags.has("--closed-params");
const schemaFiles = files.filter((f) => f.endsWith(".json"));
const exchangeFiles = files.filter((f) => !f.endsWith(".json"));
if (schemaFiles.length === 0 || exchangeFiles.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}

// --overlay: RFC 6902-like patches (add / remove / replace), see the header.
function pointerTokens(pointer) {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`"${pointer}" is not a JSON pointer`);
  return pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function applyPatch(document, patch) {
  const { op, path } = patch;
  if (!["add", "remove", "replace"].includes(op)) throw new Error(`unknown op "${op}"`);
  if (typeof patch.reason !== "string" || patch.reason.trim() === "") throw new Error("the patch gives no reason");
  if (op !== "remove" && !("value" in patch)) throw new Error(`"${op}" needs a value`);
  const tokens = pointerTokens(path);
  if (tokens.length === 0) throw new Error("the root cannot be patched");
  let parent = document;
  for (const token of tokens.slice(0, -1)) {
    if (parent === null || typeof parent !== "object" || !(token in parent)) throw new Error(`${path}: "${token}" does not exist`);
    parent = parent[token];
  }
  const last = tokens[tokens.length - 1];
  const value = JSON.parse(JSON.stringify(patch.value === undefined ? null : patch.value));
  if (Array.isArray(parent)) {
    if (op === "add" && last === "-") {
      parent.push(value);
      return;
    }
    if (!/^(0|[1-9][0-9]*)$/.test(last)) throw new Error(`${path}: "${last}" is not an array index`);
    const index = Number(last);
    if (index > parent.length || (op !== "add" && index === parent.length)) throw new Error(`${path}: index ${index} is out of range`);
    if (op === "add") parent.splice(index, 0, value);
    else if (op === "replace") parent[index] = value;
    else {
      if ("value" in patch && JSON.stringify(parent[index]) !== JSON.stringify(patch.value)) {
        throw new Error(`${path} is ${JSON.stringify(parent[index])}, not the ${JSON.stringify(patch.value)} to remove`);
      }
      parent.splice(index, 1);
    }
  } else if (parent !== null && typeof parent === "object") {
    const exists = Object.prototype.hasOwnProperty.call(parent, last);
    if (op === "add") {
      if (exists) throw new Error(`${path} already exists (use "replace")`);
      parent[last] = value;
    } else {
      if (!exists) throw new Error(`${path} does not exist`);
      if (op === "replace") parent[last] = value;
      else {
        if ("value" in patch && JSON.stringify(parent[last]) !== JSON.stringify(patch.value)) {
          throw new Error(`${path} is ${JSON.stringify(parent[last])}, not the ${JSON.stringify(patch.value)} to remove`);
        }
        delete parent[last];
      }
    }
  } else {
    throw new Error(`${path}: the parent is not an object or array`);
  }
}
const overlays = overlayFiles.map((file) => {
  let overlay;
  try {
    overlay = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`${file}: cannot read the overlay: ${error.message}`);
    process.exit(2);
  }
  if (typeof overlay.appliesTo !== "string" || !Array.isArray(overlay.patches)) {
    console.error(`${file}: not an overlay (no "appliesTo" or "patches")`);
    process.exit(2);
  }
  return { file, overlay, used: false };
});

// Strict, so that a misspelled keyword in a schema file fails instead of accepting anything. Two
// instances: requests are strings on the wire and are coerced; responses are JSON and are not.
function makeAjv(coerce) {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true, allErrors: true,
                            coerceTypes: coerce ? "array" : false });
  addFormats(ajv);
  return ajv;
}
const requestAjv = makeAjv(true);
const responseAjv = makeAjv(false);

const apis = new Map();  // api -> {file, defs, operations: [{key, method, template, pattern, names, op}]}
for (const file of schemaFiles) {
  const document = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof document.api !== "string" || !document.operations) {
    console.error(`${file}: not a published-contract file (no "api" or "operations")`);
    process.exit(2);
  }
  for (const entry of overlays.filter((o) => o.overlay.appliesTo === document.api)) {
    entry.overlay.patches.forEach((patch, index) => {
      try {
        applyPatch(document, patch);
      } catch (error) {
        console.error(`${entry.file}: patch ${index + 1} (${patch.op} ${patch.path}) does not apply to ${file}: ${error.message}`);
        process.exit(2);
      }
    });
    entry.used = true;
    console.log(`overlay ${entry.file}: ${entry.overlay.patches.length} patches applied to ${file} (api "${document.api}"${entry.overlay.apiVersion ? `, as of ${entry.overlay.apiVersion}` : ""})`);
  }
  const operations = [];
  for (const [key, op] of Object.entries(document.operations)) {
    const [method, template] = key.split(" ");
    const names = [];
    const pattern = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    }) + "$");
    operations.push({ key, method, template, pattern, names, op, validators: {} });
  }
  operations.sort((a, b) => a.names.length - b.names.length);  // a literal segment wins over a {param}
  apis.set(document.api, { file, defs: document.$defs || {}, operations });
}

for (const entry of overlays.filter((o) => !o.used)) {
  console.error(`${entry.file}: no schema file for api "${entry.overlay.appliesTo}" was given`);
  process.exit(2);
}

// --closed-params: a copy of a request schema where each object listing its properties is closed.
function closeObjects(schema) {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== "object") return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = ["properties", "$defs"].includes(key)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeObjects(v)]))
      : ["items", "anyOf", "allOf", "oneOf", "additionalProperties"].includes(key) ? closeObjects(value) : value;
  }
  if (copy.properties && Object.keys(copy.properties).length > 0 && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

// A schema of the file, compiled with the file's $defs beside it so that "#/$defs/..." resolves.
function compile(api, operation, part, ajv, schema) {
  if (!operation.validators[part]) {
    const request = ["path", "query", "body"].includes(part);
    const compiled = { $defs: apis.get(api).defs, ...schema };
    operation.validators[part] = ajv.compile(request && closedParams ? closeObjects(compiled) : compiled);
  }
  return operation.validators[part];
}
// Compile everything up front: a broken schema file is an error of its own, not of an exchange.
for (const [api, { operations }] of apis) {
  for (const operation of operations) {
    const { op } = operation;
    try {
      if (op.pathParams) compile(api, operation, "path", requestAjv, op.pathParams);
      if (op.query) compile(api, operation, "query", requestAjv, op.query);
      if (op.requestBody) compile(api, operation, "body", requestAjv, op.requestBody);
      for (const [status, schema] of Object.entries(op.responses || {})) {
        compile(api, operation, `response ${status}`, responseAjv, schema);
      }
    } catch (error) {
      console.error(`${apis.get(api).file}: ${operation.key}: the schema does not compile: ${error.message}`);
      process.exit(2);
    }
  }
}

function resolve(defs, schema) {
  for (let depth = 0; schema && schema.$ref && depth < 20; depth += 1) {
    const name = schema.$ref.replace(/^#\/\$defs\//, "");
    schema = defs[name];
  }
  return schema || {};
}

// Stripe's bracket notation: a[b][0][c]=v -> {a: {b: [{c: "v"}]}}; a[]=v appends; an index
// makes an array. A key used both as a value and as a container is an error.
function decodeBrackets(pairs) {
  const root = {};
  for (const [key, value] of pairs) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) throw new Error(`malformed parameter name "${key}"`);
    const segments = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])];
    let node = root;
    for (let i = 0; i < segments.length; i += 1) {
      const last = i === segments.length - 1;
      let segment = segments[i];
      if (Array.isArray(node)) {
        if (segment === "") segment = String(node.length);
        if (!/^\d+$/.test(segment)) throw new Error(`"${key}": "${segment}" indexes an array`);
      }
      const nextIsArray = !last && (segments[i + 1] === "" || /^\d+$/.test(segments[i + 1]));
      if (last) {
        if (node[segment] !== undefined) throw new Error(`"${key}" is given twice`);
        node[segment] = value;
      } else {
        if (node[segment] === undefined) node[segment] = nextIsArray ? [] : {};
        if (typeof node[segment] !== "object") throw new Error(`"${key}": ${segments.slice(0, i + 1).join(".")} is also a value`);
        if (Array.isArray(node[segment]) !== nextIsArray) throw new Error(`"${key}" mixes indexes and names`);
        node = node[segment];
      }
    }
  }
  return root;
}

// X: repeated keys collect into an array; a list parameter (type array, explode false) is split
// on commas.
function decodeXQuery(pairs, defs, querySchema) {
  const result = {};
  for (const [key, value] of pairs) {
    const schema = resolve(defs, ((querySchema && querySchema.properties) || {})[key]);
    const values = schema.type === "array" ? value.split(",") : [value];
    if (result[key] === undefined) result[key] = values.length === 1 && schema.type !== "array" ? values[0] : values;
    else result[key] = [].concat(result[key], values);
  }
  return result;
}

function describe(errors) {
  return errors.slice(0, 4).map((e) => {
    const extra = e.params && (e.params.additionalProperty || e.params.missingProperty || e.params.allowedValues);
    return `${e.instancePath || "/"} ${e.message}${extra !== undefined ? ` (${JSON.stringify(extra)})` : ""}`;
  }).join("; ") + (errors.length > 4 ? `; … ${errors.length - 4} more` : "");
}

function check(exchange) {
  const api = apis.get(exchange.api);
  if (!api) return { part: "api", problems: [`no schema file was given for api "${exchange.api}"`] };
  let path = String(exchange.path || "");
  let query = exchange.query;
  if (path.includes("?")) {
    if (query === undefined || query === null || query === "") query = path.slice(path.indexOf("?") + 1);
    path = path.slice(0, path.indexOf("?"));
  }
  query = String(query || "").replace(/^\?/, "");
  const method = String(exchange.method || "").toUpperCase();
  let operation = null;
  let match = null;
  for (const candidate of api.operations) {
    if (candidate.method !== method) continue;
    match = candidate.pattern.exec(path);
    if (match) {
      operation = candidate;
      break;
    }
  }
  if (!operation) return { part: "operation", problems: [`${method} ${path} is not a documented operation`] };
  const { op } = operation;
  const problems = [];
  const fail = (part, message) => problems.push(`${part}: ${message}`);

  // Path parameters.
  const pathParams = {};
  operation.names.forEach((name, i) => {
    try {
      pathParams[name] = decodeURIComponent(match[i + 1]);
    } catch (error) {
      pathParams[name] = match[i + 1];
    }
  });
  if (op.pathParams) {
    const validate = operation.validators.path;
    if (!validate(pathParams)) fail("path", describe(validate.errors));
  }

  // Query.
  const queryPairs = [...new URLSearchParams(query)];
  if (op.query) {
    let decoded;
    try {
      decoded = exchange.api === "x" ? decodeXQuery(queryPairs, api.defs, op.query) : decodeBrackets(queryPairs);
    } catch (error) {
      fail("query", error.message);
    }
    if (decoded) {
      const validate = operation.validators.query;
      if (!validate(decoded)) fail("query", describe(validate.errors));
    }
  } else if (queryPairs.length > 0) {
    fail("query", "no query parameters are documented");
  }

  // Request body.
  const body = exchange.requestBody === undefined || exchange.requestBody === null ? "" : String(exchange.requestBody);
  if (!op.requestBody) {
    if (body.length > 0) fail("request body", "the operation documents no request body");
  } else {
    const contentType = String(exchange.requestContentType || "").split(";")[0].trim().toLowerCase();
    let decoded;
    if (body.length === 0) {
      decoded = {};
    } else if (op.requestContentType && contentType !== op.requestContentType) {
      fail("request body", `content type "${contentType}" is not the documented ${op.requestContentType}`);
    } else if (op.requestContentType === "application/x-www-form-urlencoded") {
      try {
        decoded = decodeBrackets([...new URLSearchParams(body)]);
      } catch (error) {
        fail("request body", error.message);
      }
    } else {
      try {
        decoded = JSON.parse(body);
      } catch (error) {
        fail("request body", "not JSON");
      }
    }
    if (decoded !== undefined) {
      const validate = operation.validators.body;
      if (!validate(decoded)) fail("request body", describe(validate.errors));
    }
  }

  // Response.
  const status = String(exchange.status);
  const responses = op.responses || {};
  const key = [status, `${status[0]}XX`, `${status[0]}xx`, "default"].find((k) => responses[k]);
  if (!key) {
    fail("response", `status ${status} is not documented`);
  } else {
    let parsed;
    try {
      parsed = JSON.parse(String(exchange.responseBody));
    } catch (error) {
      fail("response", `the body is not JSON: ${String(exchange.responseBody).slice(0, 120)}`);
    }
    if (parsed !== undefined) {
      const validate = operation.validators[`response ${key}`];
      if (!validate(parsed)) fail(`response (${key})`, describe(validate.errors));
    }
  }
  return problems.length > 0 ? { part: "exchange", problems } : null;
}

const lines = fs.readFileSync(exchangeFiles[0], "utf8").split("\n");
const checked = new Map([...apis.keys()].map((api) => [api, 0]));
let total = 0;
let failed = 0;
const passedLines = [];
lines.forEach((line, index) => {
  if (line.trim().length === 0) return;
  total += 1;
  let exchange;
  try {
    exchange = JSON.parse(line);
  } catch (error) {
    failed += 1;
    console.log(`FAIL line ${index + 1}: not a JSON exchange: ${line.slice(0, 120)}`);
    return;
  }
  checked.set(exchange.api, (checked.get(exchange.api) || 0) + 1);
  const where = `line ${index + 1}: ${exchange.api} ${exchange.method} ${exchange.path} → ${exchange.status}`;
  const result = check(exchange);
  if (result) {
    failed += 1;
    console.log(`FAIL ${where}\n  ${result.problems.join("\n  ")}`);
  } else {
    passedLines.push(where);
  }
});

const counts = [...checked.entries()].map(([api, n]) => `${api}: ${n}`).join(", ");
console.log(`published_contract: ${total} exchanges checked (${counts}), ${failed} failed`);
if (expectFail) {
  for (const where of passedLines) console.log(`UNEXPECTED PASS ${where}`);
  process.exit(total > 0 && failed === total ? 0 : 1);
}
const unchecked = [...apis.keys()].filter((api) => checked.get(api) === 0);
for (const api of unchecked) console.log(`no exchange with api "${api}" was checked (${apis.get(api).file})`);
process.exit(failed > 0 || unchecked.length > 0 ? 1 : 0);
