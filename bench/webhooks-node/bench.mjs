// bench/webhooks' peer: COUNT jobs, each POSTing a 1 KB body signed per Standard Webhooks
// (as leadstream signs) to URL, through graphile-worker in its batched configuration
// (local queue, batched completion). Adds the jobs first, then times from starting the
// worker to the last job's completion committed. Prints jobs/s. PostgreSQL comes from
// the PG* environment. Usage: node bench.mjs COUNT URL
import crypto from "node:crypto";
import pg from "pg";
import { Logger, makeWorkerUtils, run } from "graphile-worker";

const count = Number(process.argv[2] ?? 100000);
const url = process.argv[3];
const concurrency = Number(process.env.GRAPHILE_CONCURRENCY ?? 32);
const pool = new pg.Pool({ max: 12 });
pool.on("error", (error) => console.error(`pool: ${error.message}`));
pool.on("connect", (client) => client.on("error", (error) => console.error(`client: ${error.message}`)));
const key = crypto.randomBytes(24);
const body = JSON.stringify({ type: "bench", data: "x".repeat(1000) });

const preset = {
  worker: {
    concurrentJobs: concurrency,
    maxPoolSize: 10,
    pollInterval: 1000,
    localQueue: { size: concurrency + 1 },
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
  },
};

async function post(payload) {
  const id = `msg_${payload.n}`;
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const signature = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${signature}`,
    },
  });
  await response.arrayBuffer();
  if (response.status < 200 || response.status > 299) throw new Error(`status ${response.status}`);
}

const quiet = new Logger(() => () => {});  // a log line per job would cost it more than the POST
const utils = await makeWorkerUtils({ pgPool: pool, logger: quiet });
await utils.migrate();
for (let start = 0; start < count; start += 10000) {
  const specs = [];
  for (let n = start; n < Math.min(count, start + 10000); ++n) specs.push({ identifier: "post", payload: { n } });
  await utils.addJobs(specs);
}

const started = performance.now();
const runner = await run({ pgPool: pool, taskList: { post }, preset, noHandleSignals: true, logger: quiet });
const remaining = async () =>
  Number((await pool.query("SELECT count(*) FROM graphile_worker._private_jobs")).rows[0].count);
while ((await remaining()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
const seconds = (performance.now() - started) / 1000;
await runner.stop();
await utils.release();
await pool.end();
console.log(Math.round(count / seconds));
