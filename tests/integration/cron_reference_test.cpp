// Our cron schedules against croner (npm), a cron implementation nobody here wrote, on
// generated expressions in zones with and without DST. The known differences are
// documented in the README ("Schedules") and are not compared here:
// - a day field written "*/N" counts as "*" for the OR rule (Vixie cron and cronie do
//   this; croner treats it as restricted), so croner is asked for AND in those cases;
// - within three hours of a DST change we follow Vixie cron (a skipped time fires at the
//   jump, a repeated one once, the first time) where croner shifts or repeats: the
//   explicit tests in schedule_zones_test.cpp cover those hours;
// - from 2038 on, no DST changes are applied (the host's zoneinfo lists them to 2037).
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "adapters/system/system_time_zones.hpp"
#include "daemon/cli/cli.hpp"
#include "domain/model/time.hpp"
#include "support/daemon_process.hpp"

using namespace leadstream;

namespace {

struct Case {
  std::string expression;
  std::string timezone;
  std::string from;
};

constexpr int kFires = 40;

std::string field(std::mt19937& rng, int low, int high) {
  const auto in = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
  const int a = in(low, high);
  const int b = in(a, high);
  const int step = in(2, std::max(2, (high - low) / 2));
  switch (in(0, 6)) {
    case 0:
    case 1:
      return "*";
    case 2:
      return "*/" + std::to_string(step);
    case 3:
      return std::to_string(a);
    case 4:
      return std::to_string(a) + "-" + std::to_string(b);
    case 5:
      return std::to_string(a) + "," + std::to_string(in(low, high));
    default:
      return std::to_string(a) + "-" + std::to_string(b) + "/" + std::to_string(step);
  }
}

std::vector<Case> generated_cases(unsigned seed, int count) {
  std::mt19937 rng(seed);
  // Zones with a DST change of an hour (north and south), of half an hour (Lord Howe), and none.
  const std::array<const char*, 7> zones{"UTC",          "Europe/Paris",        "America/New_York", "Australia/Sydney",
                                         "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo"};
  // Instants just before the 2026 DST changes of those zones, and two ordinary ones.
  const std::array<const char*, 7> froms{"2026-03-08T04:00:00Z", "2026-03-28T20:00:00Z", "2026-04-04T12:00:00Z",
                                         "2026-10-03T12:00:00Z", "2026-10-24T20:00:00Z", "2026-10-31T23:00:00Z",
                                         "2026-07-14T09:37:00Z"};
  std::vector<Case> cases;
  for (int i = 0; i < count; ++i) {
    const std::string expression = field(rng, 0, 59) + " " + field(rng, 0, 23) + " " + field(rng, 1, 28) + " " +
                                   field(rng, 1, 12) + " " + field(rng, 0, 6);
    cases.push_back({expression, zones[rng() % zones.size()], froms[rng() % froms.size()]});
  }
  // Names, shorthands and the OR rule, written by hand.
  for (const char* expression : {"0 9 * * mon-fri", "15 6 1,15 jan,jul *", "0 0 13 * 5", "@daily", "@weekly",
                                 "0 9 */4 * 1", "0 9 1-31/4 * 1", "0 12 1 * */3", "30 2 * * *", "0 */6 * * sun"}) {
    for (const char* zone : {"UTC", "Europe/Paris", "Australia/Lord_Howe"}) {
      cases.push_back({expression, zone, froms[1]});
    }
  }
  return cases;
}

std::vector<std::string> ours(const Case& c) {
  std::ostringstream out;
  std::ostringstream err;
  support::Environment environment({});
  const int code = daemon::run_cli({"schedule", "preview", "--cron", c.expression, "--timezone", c.timezone, "--from",
                                    c.from, "--count", std::to_string(kFires)},
                                   environment.get(), out, err);
  INFO(err.str());
  REQUIRE(code == 0);
  std::vector<std::string> fires;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) fires.push_back(line);
  return fires;
}

/// Vixie's rule: when either day field starts with '*', a day must match both.
bool days_and(const std::string& expression) {
  std::istringstream fields(expression);
  std::vector<std::string> parts;
  for (std::string part; fields >> part;) parts.push_back(part);
  return parts.size() == 5 && (parts[2].starts_with('*') || parts[4].starts_with('*'));
}

std::vector<std::vector<std::string>> croners(const std::vector<Case>& cases) {
  boost::json::array request;
  for (const auto& c : cases) {
    request.push_back({{"expression", c.expression},
                       {"timezone", c.timezone},
                       {"from", c.from},
                       {"count", kFires},
                       {"domAndDow", days_and(c.expression)}});
  }
  const std::string file = "/tmp/leadstream-cron-" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << boost::json::serialize(request);
  const std::string command = "node " LEADSTREAM_SOURCE_DIR "/tests/node/cron_reference.js " + file;
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) output.append(buffer.data(), n);
  REQUIRE(pclose(pipe) == 0);
  std::remove(file.c_str());
  std::vector<std::vector<std::string>> answers;
  const auto parsed = boost::json::parse(output);
  for (const auto& answer : parsed.as_array()) {
    INFO(boost::json::serialize(answer));
    REQUIRE(answer.is_array());
    std::vector<std::string> fires;
    for (const auto& fire : answer.as_array()) fires.emplace_back(fire.as_string());
    answers.push_back(std::move(fires));
  }
  return answers;
}

/// Both lists up to the earlier of their last fires, without the fires within three hours
/// of a change of the zone's UTC offset.
std::vector<std::string> comparable(const std::vector<std::string>& fires, const std::string& until,
                                    const std::string& zone) {
  adapters::system::SystemTimeZones zones;
  const auto offset = [&](domain::Timestamp at) {
    const auto utc = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch());
    return zones.to_local(zone, at).time_since_epoch() - utc;
  };
  std::vector<std::string> out;
  for (const auto& fire : fires) {
    if (fire > until) break;  // RFC 3339 UTC texts of one format sort as their instants
    const auto at = domain::parse_rfc3339(fire);
    REQUIRE(at);
    if (offset(*at - std::chrono::hours{3}) != offset(*at + std::chrono::hours{3})) continue;
    out.push_back(fire);
  }
  return out;
}

}  // namespace

TEST_CASE("cron: schedule preview fires when croner does, on generated expressions and zones",
          "[schedule][zones][croner]") {
  const unsigned seed = 20261204;
  const auto cases = generated_cases(seed, 300);
  const auto reference = croners(cases);
  REQUIRE(reference.size() == cases.size());
  int compared = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    INFO("seed " << seed << ", case " << i << ": '" << c.expression << "' in " << c.timezone << " from " << c.from);
    const auto mine = ours(c);
    REQUIRE_FALSE(mine.empty());
    REQUIRE_FALSE(reference[i].empty());
    // date/tz reads the host's zoneinfo transitions, which end in 2037: later DST changes
    // are not applied (README, "Schedules").
    const auto until = std::min({mine.back(), reference[i].back(), std::string("2038-01-01T00:00:00Z")});
    const auto a = comparable(mine, until, c.timezone);
    const auto b = comparable(reference[i], until, c.timezone);
    CHECK(a == b);
    compared += static_cast<int>(a.size());
  }
  CHECK(compared > 5'000);  // most fire times are away from DST changes and get compared
}
