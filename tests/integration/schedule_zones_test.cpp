#include <catch2/catch.hpp>
#include <sstream>

#include "adapters/system/system_time_zones.hpp"
#include "daemon/cli/cli.hpp"
#include "support/daemon_process.hpp"

using namespace leadstream;

namespace {

std::pair<int, std::string> preview(std::vector<std::string> args) {
  args.insert(args.begin(), {"schedule", "preview"});
  std::ostringstream out;
  std::ostringstream err;
  support::Environment environment({});
  const int code = daemon::run_cli(args, environment.get(), out, err);
  return {code, code == 0 ? out.str() : err.str()};
}

}  // namespace

TEST_CASE("a local time skipped by DST fires at the jump; a repeated one fires once", "[schedule][zones]") {
  // Paris: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
  CHECK(preview(
            {"--cron", "30 2 * * *", "--timezone", "Europe/Paris", "--from", "2026-03-28T00:00:00Z", "--count", "3"}) ==
        std::pair{0, std::string("2026-03-28T01:30:00Z\n2026-03-29T01:00:00Z\n2026-03-30T00:30:00Z\n")});
  CHECK(preview({"--cron", "30 2 * * *", "--timezone", "Europe/Paris", "--from", "2026-10-24T12:00:00Z", "--count",
                 "2"}) == std::pair{0, std::string("2026-10-25T00:30:00Z\n2026-10-26T01:30:00Z\n")});
  // Every 15 minutes through the repeated hour: each wall-clock slot once, none twice.
  const auto [code, lines] = preview(
      {"--cron", "*/15 2 * * *", "--timezone", "Europe/Paris", "--from", "2026-10-24T23:00:00Z", "--count", "5"});
  CHECK(code == 0);
  CHECK(lines == "2026-10-25T00:00:00Z\n2026-10-25T00:15:00Z\n2026-10-25T00:30:00Z\n2026-10-25T00:45:00Z\n"
                 "2026-10-26T01:00:00Z\n");  // not 01:00Z on the 25th, the second 02:00
}

TEST_CASE("schedule preview: sync times in a zone, offsets in --from, and errors", "[schedule][zones]") {
  CHECK(preview({"--sync-times", "09:00,18:30", "--timezone", "Asia/Tokyo", "--from", "2026-11-23T09:00:00+09:00",
                 "--count", "2"}) == std::pair{0, std::string("2026-11-23T09:30:00Z\n2026-11-24T00:00:00Z\n")});
  const auto bad_cron = preview({"--cron", "0 25 * * *", "--timezone", "UTC"});
  CHECK(bad_cron.first == 2);
  CHECK(bad_cron.second == "leadstreamd: --cron: position 3: hour 25 is out of range 0-23\n");
  CHECK(preview({"--cron", "0 9 * * *", "--timezone", "Mars/Base"}).first == 2);
  CHECK(preview({"--cron", "0 9 * * *", "--timezone", "UTC", "--from", "yesterday"}).first == 2);
  CHECK(preview({"--cron", "0 9 * * *"}).first == 2);
}
