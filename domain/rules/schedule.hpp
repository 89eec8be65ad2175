#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/model/team.hpp"
#include "domain/ports/time_zones.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// A standard 5-field cron expression: lists, ranges, steps, month and day names, the
/// @yearly/@monthly/@weekly/@daily/@hourly shorthands, and Vixie's rule that when both
/// day-of-month and day-of-week are restricted, either may match.
struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;  // 1..31
  std::bitset<13> months;         // 1..12
  std::bitset<7> days_of_week;    // 0 = Sunday
  bool day_of_month_restricted = false;
  bool day_of_week_restricted = false;
};

/// The seed's syncTimes: fixed local times, every day.
struct DailyTimes {
  std::vector<std::chrono::minutes> times;  // since local midnight, sorted
};

using Schedule = std::variant<CronSchedule, DailyTimes>;

/// Where a parse failed: `position` is the 1-based character where the problem starts.
struct ScheduleError {
  std::size_t position;
  std::string message;
};

std::variant<CronSchedule, ScheduleError> parse_cron(std::string_view expression);
/// "HH:MM" times on quarter hours, comma-separated in the text form.
std::variant<DailyTimes, ScheduleError> parse_sync_times(const std::vector<std::string>& times);

/// The first fire time strictly after `after`, in the time zone `zone`. A local time that
/// a DST jump skips fires at the jump; a local time that repeats fires once, the first
/// time. nullopt when nothing fires within five years (e.g. "0 0 30 2 *").
std::optional<Timestamp> next_fire(const Schedule& schedule, const TimeZones& zones, std::string_view zone,
                                   Timestamp after);

}  // namespace leadstream::domain
