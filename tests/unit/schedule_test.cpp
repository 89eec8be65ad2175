#include <catch2/catch.hpp>

#include "domain/model/time.hpp"
#include "domain/rules/schedule.hpp"
#include "fakes/in_memory_campaigns.hpp"

using namespace leadstream;
using namespace std::chrono;

namespace {

domain::CronSchedule cron(std::string_view expression) {
  auto parsed = domain::parse_cron(expression);
  REQUIRE(std::holds_alternative<domain::CronSchedule>(parsed));
  return std::get<domain::CronSchedule>(parsed);
}

domain::ScheduleError cron_error(std::string_view expression) {
  auto parsed = domain::parse_cron(expression);
  REQUIRE(std::holds_alternative<domain::ScheduleError>(parsed));
  return std::get<domain::ScheduleError>(parsed);
}

std::vector<std::string> fires(const domain::Schedule& schedule, domain::Timestamp from, int count) {
  fakes::FixedTimeZones utc;
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const auto next = domain::next_fire(schedule, utc, "UTC", from);
    if (!next) break;
    out.push_back(domain::format_rfc3339(*next));
    from = *next;
  }
  return out;
}

const domain::Timestamp kMonday{sys_days{2026y / November / 23}};  // 00:00 UTC, a Monday

}  // namespace

TEST_CASE("cron fields: lists, ranges, steps and names", "[schedule]") {
  const auto c = cron("*/15 9-17/4 1,15 jan-mar MON-fri");
  CHECK(c.minutes.count() == 4);
  CHECK(c.minutes.test(45));
  CHECK(c.hours.test(9));
  CHECK(c.hours.test(13));
  CHECK(c.hours.test(17));
  CHECK_FALSE(c.hours.test(10));
  CHECK(c.days_of_month.count() == 2);
  CHECK(c.months.count() == 3);
  CHECK(c.days_of_week.count() == 5);
  CHECK(cron("0 0 * * 7").days_of_week.test(0));     // 7 is Sunday too
  CHECK(cron("5/20 * * * *").minutes.count() == 3);  // 5, 25, 45
}

TEST_CASE("cron errors name the position", "[schedule]") {
  CHECK(cron_error("0 25 * * *").position == 3);
  CHECK(cron_error("0 9 * * mon-fry").position == 13);
  CHECK(cron_error("0 9 * *").message.find("expected 5 fields") == 0);
  CHECK(cron_error("*/0 * * * *").position == 3);
  CHECK(cron_error("0 9 * * 5-1").message.find("backwards") != std::string::npos);
  CHECK(cron_error("@sometimes").position == 1);
  CHECK(cron_error("0,,5 * * * *").position == 3);
}

TEST_CASE("next fire times, with shorthands and the day-of-month OR day-of-week rule", "[schedule]") {
  CHECK(fires(cron("@daily"), kMonday, 2) == std::vector<std::string>{"2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z"});
  CHECK(fires(cron("@hourly"), kMonday + minutes{1}, 1) == std::vector<std::string>{"2026-11-23T01:00:00Z"});
  CHECK(fires(cron("0 9 * * mon-fri"), kMonday + hours{10}, 1) == std::vector<std::string>{"2026-11-24T09:00:00Z"});
  // Both restricted: the 1st of the month OR any Friday.
  CHECK(fires(cron("0 0 1 * fri"), kMonday, 3) ==
        std::vector<std::string>{"2026-11-27T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-04T00:00:00Z"});
  // A day field starting with '*' is unrestricted for that rule, steps included (as in
  // Vixie cron and cronie): Mondays that are also every fourth day of the month.
  CHECK(fires(cron("0 9 */4 * 1"), kMonday, 2) ==
        std::vector<std::string>{"2026-12-21T09:00:00Z", "2027-01-25T09:00:00Z"});
  CHECK(fires(cron("0 9 1-31/4 * 1"), kMonday, 2) ==  // written without '*': a Monday OR the 1st, 5th, ...
        std::vector<std::string>{"2026-11-23T09:00:00Z", "2026-11-25T09:00:00Z"});
  CHECK(fires(cron("0 0 29 2 *"), kMonday, 1) == std::vector<std::string>{"2028-02-29T00:00:00Z"});
  CHECK(fires(cron("0 0 30 2 *"), kMonday, 1).empty());  // never
}

TEST_CASE("sync times fire daily at each listed time", "[schedule]") {
  auto parsed = domain::parse_sync_times({"18:30", "09:00", "09:00"});
  REQUIRE(std::holds_alternative<domain::DailyTimes>(parsed));
  CHECK(fires(std::get<domain::DailyTimes>(parsed), kMonday + hours{12}, 3) ==
        std::vector<std::string>{"2026-11-23T18:30:00Z", "2026-11-24T09:00:00Z", "2026-11-24T18:30:00Z"});
  const auto bad = domain::parse_sync_times({"09:00", "10:10"});
  REQUIRE(std::holds_alternative<domain::ScheduleError>(bad));
  CHECK(std::get<domain::ScheduleError>(bad).position == 7);
}
