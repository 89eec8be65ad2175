// Next fire times by croner, the reference for our cron schedules. Reads a JSON array of
// {expression, timezone, from, count, domAndDow} from the file named first; prints a JSON
// array with, for each case, its fire times (ISO 8601 UTC, milliseconds dropped) or
// {"error": message}. domAndDow asks for Vixie's AND of the two day fields, which croner
// applies only when one of them is exactly "*" (see the README's "Schedules").
const fs = require("fs");
const { Cron } = require("croner");

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const answers = cases.map(({ expression, timezone, from, count, domAndDow }) => {
  try {
    const cron = new Cron(expression, { timezone, paused: true, domAndDow, legacyMode: !domAndDow });
    return cron.nextRuns(count, new Date(from)).map((date) => date.toISOString().replace(".000Z", "Z"));
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
});
process.stdout.write(JSON.stringify(answers));
