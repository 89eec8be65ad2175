// Verifies recorded webhook requests with the standardwebhooks package.
// Usage: node verify_webhooks.js REQUESTS.json SECRET
// REQUESTS.json: [{"id": ..., "timestamp": ..., "signature": ..., "body": ...}, ...]
// Prints the number verified; exits 1 at the first request that does not verify.
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const [file, secret] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(file, "utf8"));
const webhook = new Webhook(secret);
let verified = 0;
for (const request of requests) {
  try {
    webhook.verify(request.body, {
      "webhook-id": request.id,
      "webhook-timestamp": request.timestamp,
      "webhook-signature": request.signature,
    });
    verified += 1;
  } catch (error) {
    console.error(`request ${request.id}: ${error.message}`);
    process.exit(1);
  }
}
console.log(`verified ${verified}`);
