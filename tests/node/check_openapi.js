// Validates real answers of the daemon against the OpenAPI document, with ajv.
// Usage: node check_openapi.js OPENAPI.json ANSWERS.jsonl
// ANSWERS.jsonl: one {"method", "path", "status", "contentType", "body"} per line, as the
// integration suite's support/answer_log writes them.
// Each answer must match a documented operation and status, and a JSON body must validate
// against that response's schema; answers to undocumented paths must be Errors. Every
// operation must have been answered with a 2xx at least once. Exits 1 on any failure.
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const [documentFile, answersFile] = process.argv.slice(2);
const document = JSON.parse(fs.readFileSync(documentFile, "utf8"));
// Strict, so that a misspelled schema keyword fails instead of accepting anything; the
// document's own (non-schema) keywords are declared.
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary(["openapi", "info", "servers", "security", "tags", "paths", "components", "x-ext",
                   "x-error-statuses"]);
addFormats(ajv);
ajv.addSchema(document, "openapi");
const errorStatuses = document.components.schemas.Error["x-error-statuses"];

const pointer = (...parts) => parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
const validators = new Map();
function validator(ref) {
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: `openapi#/${ref}` }));
  return validators.get(ref);
}

const operations = [];
for (const [template, methods] of Object.entries(document.paths)) {
  const pattern = new RegExp("^" + template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+") + "$");
  for (const [method, operation] of Object.entries(methods)) {
    operations.push({ template, method: method.toUpperCase(), pattern, operation, answered2xx: 0, answered: 0 });
  }
}

const failures = [];
let validated = 0;
function check(answer, ref, where) {
  let body;
  try {
    body = JSON.parse(answer.body);
  } catch (error) {
    failures.push(`${where}: the body is not JSON: ${answer.body.slice(0, 200)}`);
    return;
  }
  const validate = validator(ref);
  if (validate(body)) {
    validated += 1;
    // An error answer's code must come with its own status: 404 invalid_request is a bug.
    const code = answer.status >= 400 && body && typeof body.error === "string" ? body.error : null;
    if (code && errorStatuses[code] !== answer.status) {
      failures.push(`${where}: error ${code} is answered with ${errorStatuses[code]}, not ${answer.status}`);
    }
    return;
  }
  const problems = validate.errors.slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  failures.push(`${where}: ${problems.join("; ")}\n    body: ${answer.body.slice(0, 400)}`);
}

const lines = fs.readFileSync(answersFile, "utf8").split("\n").filter((line) => line.length > 0);
for (const line of lines) {
  const answer = JSON.parse(line);
  const path = answer.path.split("?")[0];
  const where = `${answer.method} ${answer.path} → ${answer.status}`;
  const mediaType = (answer.contentType || "").split(";")[0].trim();
  const operation = operations.find((o) => o.method === answer.method && o.pattern.test(path));
  if (!operation) {
    // An unknown route or method: the answer must still be an Error.
    if (answer.status < 400) failures.push(`${where}: no documented operation`);
    else if (mediaType !== "application/json") failures.push(`${where}: an error answer is not JSON`);
    else check(answer, pointer("components", "schemas", "Error"), where);
    continue;
  }
  operation.answered += 1;
  if (answer.status >= 200 && answer.status < 300) operation.answered2xx += 1;
  const responses = operation.operation.responses;
  const status = [String(answer.status), `${String(answer.status)[0]}XX`, "default"].find((s) => responses[s]);
  if (!status) {
    failures.push(`${where}: status not documented for ${operation.method} ${operation.template}`);
    continue;
  }
  const content = responses[status].content || {};
  if (!content[mediaType]) {
    // An empty answer is right only where the document promises no content.
    if (answer.body.length > 0 || Object.keys(content).length > 0) {
      failures.push(`${where}: ${mediaType || "no content type"} is not documented`);
    }
    continue;
  }
  if (mediaType !== "application/json") continue;  // CSV: the media type is the contract
  check(answer, pointer("paths", operation.template, operation.method.toLowerCase(), "responses", status, "content",
                        mediaType, "schema"), where);
}

for (const o of operations) {
  if (o.answered2xx === 0) failures.push(`${o.method} ${o.template}: no 2xx answer was checked (${o.answered} answers)`);
}
const errorAnswers = operations.reduce((sum, o) => sum + o.answered - o.answered2xx, 0);
console.log(`${lines.length} answers, ${validated} bodies valid, ${operations.length} operations, ` +
            `${errorAnswers} error answers to documented operations`);
if (failures.length > 0) {
  console.error(`${failures.length} problems:`);
  for (const failure of failures.slice(0, 40)) console.error(`  ${failure}`);
  process.exit(1);
}
