#include "domain/rules/schedule.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

using namespace std::chrono;

struct Field {
  int low;
  int high;
  const std::array<std::string_view, 12>* names;  // nullptr: numbers only
  int name_base;                                  // value of names[0]
  const char* what;
};

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri",
                                                     "sat", "",    "",    "",    "",    ""};

constexpr std::array<Field, 5> kFields{{{0, 59, nullptr, 0, "minute"},
                                        {0, 23, nullptr, 0, "hour"},
                                        {1, 31, nullptr, 0, "day of month"},
                                        {1, 12, &kMonthNames, 1, "month"},
                                        {0, 7, &kDayNames, 0, "day of week"}}};

struct Token {
  std::string_view text;
  std::size_t position;  // 1-based
};

/// A value of the field: a number or (where the field has them) a three-letter name.
std::variant<int, ScheduleError> value_of(const Field& field, Token token) {
  int value = -1;
  const auto [end, ec] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
  if (ec != std::errc{} || end != token.text.data() + token.text.size()) {
    value = -1;
    if (field.names) {
      const auto name = lower(token.text);
      const auto found = std::ranges::find(*field.names, name);
      if (!name.empty() && found != field.names->end())
        value = field.name_base + static_cast<int>(found - field.names->begin());
    }
    if (value < 0) return ScheduleError{token.position, "'" + std::string(token.text) + "' is not a " + field.what};
  }
  if (value < field.low || value > field.high) {
    return ScheduleError{token.position, std::string(field.what) + " " + std::to_string(value) + " is out of range " +
                                             std::to_string(field.low) + "-" + std::to_string(field.high)};
  }
  return value;
}

/// One comma-separated item: *, N, N-M, each optionally /STEP. Sets its values in `set`.
std::optional<ScheduleError> parse_item(const Field& field, Token item, std::vector<bool>& set) {
  auto range = item.text;
  int step = 1;
  if (const auto slash = item.text.find('/'); slash != std::string_view::npos) {
    range = item.text.substr(0, slash);
    const auto step_text = item.text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
    if (ec != std::errc{} || end != step_text.data() + step_text.size() || step <= 0) {
      return ScheduleError{item.position + slash + 1, "the step must be a positive number"};
    }
  }
  int low = field.low;
  int high = field.high;
  if (range != "*") {
    const auto dash = range.find('-');
    auto first = value_of(field, {range.substr(0, dash), item.position});
    if (auto* error = std::get_if<ScheduleError>(&first)) return *error;
    low = std::get<int>(first);
    high = dash == std::string_view::npos && range.size() == item.text.size() ? low : field.high;
    if (dash != std::string_view::npos) {
      auto last = value_of(field, {range.substr(dash + 1), item.position + dash + 1});
      if (auto* error = std::get_if<ScheduleError>(&last)) return *error;
      high = std::get<int>(last);
      if (high < low) return ScheduleError{item.position, "the range " + std::string(range) + " runs backwards"};
    }
  }
  for (int value = low; value <= high; value += step) set[static_cast<std::size_t>(value)] = true;
  return std::nullopt;
}

std::optional<ScheduleError> parse_field(const Field& field, Token text, std::vector<bool>& set) {
  std::size_t start = 0;
  while (start <= text.text.size()) {
    const auto comma = std::min(text.text.find(',', start), text.text.size());
    const Token item{text.text.substr(start, comma - start), text.position + start};
    if (item.text.empty())
      return ScheduleError{item.position, std::string("empty item in the ") + field.what + " field"};
    if (auto error = parse_item(field, item, set)) return error;
    start = comma + 1;
  }
  return std::nullopt;
}

std::vector<Token> split_fields(std::string_view expression) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < expression.size()) {
    if (std::isspace(static_cast<unsigned char>(expression[i]))) {
      ++i;
      continue;
    }
    const auto start = i;
    while (i < expression.size() && !std::isspace(static_cast<unsigned char>(expression[i]))) ++i;
    tokens.push_back({expression.substr(start, i - start), start + 1});
  }
  return tokens;
}

std::string_view expand_shorthand(std::string_view expression) {
  const auto text = trim(expression);
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return expression;
}

template <std::size_t N>
std::bitset<N> to_bits(const std::vector<bool>& set, int offset = 0) {
  std::bitset<N> bits;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set[i]) bits.set((i + static_cast<std::size_t>(offset)) % N);
  }
  return bits;
}

bool day_matches(const CronSchedule& cron, year_month_day date) {
  if (!cron.months.test(static_cast<unsigned>(date.month()))) return false;
  const bool by_month_day = cron.days_of_month.test(static_cast<unsigned>(date.day()));
  const bool by_week_day = cron.days_of_week.test(weekday{sys_days{date}}.c_encoding());
  if (cron.day_of_month_restricted && cron.day_of_week_restricted) return by_month_day || by_week_day;
  return by_month_day && by_week_day;
}

/// The local times of day the schedule fires on `date`, in order.
std::vector<minutes> times_on(const Schedule& schedule, year_month_day date) {
  if (const auto* daily = std::get_if<DailyTimes>(&schedule)) return daily->times;
  const auto& cron = std::get<CronSchedule>(schedule);
  std::vector<minutes> times;
  if (!day_matches(cron, date)) return times;
  for (int hour = 0; hour < 24; ++hour) {
    if (!cron.hours.test(static_cast<std::size_t>(hour))) continue;
    for (int minute = 0; minute < 60; ++minute) {
      if (cron.minutes.test(static_cast<std::size_t>(minute))) times.push_back(hours{hour} + minutes{minute});
    }
  }
  return times;
}

}  // namespace

std::variant<CronSchedule, ScheduleError> parse_cron(std::string_view expression) {
  const auto expanded = expand_shorthand(expression);
  if (expanded.starts_with('@')) return ScheduleError{1, "unknown shorthand '" + std::string(trim(expanded)) + "'"};
  const auto tokens = split_fields(expanded);
  if (tokens.size() != 5) {
    return ScheduleError{
        tokens.size() > 5 ? tokens[5].position : expanded.size() + 1,
        "expected 5 fields (minute hour day-of-month month day-of-week), found " + std::to_string(tokens.size())};
  }
  std::array<std::vector<bool>, 5> sets;
  for (std::size_t i = 0; i < 5; ++i) {
    sets[i].assign(static_cast<std::size_t>(kFields[i].high) + 1, false);
    if (auto error = parse_field(kFields[i], tokens[i], sets[i])) return *error;
  }
  CronSchedule cron{to_bits<60>(sets[0]), to_bits<24>(sets[1]), to_bits<32>(sets[2]), to_bits<13>(sets[3]),
                    to_bits<7>(sets[4])};  // day 7 folds onto 0: both are Sunday
  cron.day_of_month_restricted = !tokens[2].text.starts_with('*');
  cron.day_of_week_restricted = !tokens[4].text.starts_with('*');
  return cron;
}

std::variant<DailyTimes, ScheduleError> parse_sync_times(const std::vector<std::string>& times) {
  DailyTimes daily;
  std::size_t position = 1;
  for (const auto& time : times) {
    const bool shaped = time.size() == 5 && time[2] == ':' && std::isdigit(static_cast<unsigned char>(time[0])) &&
                        std::isdigit(static_cast<unsigned char>(time[1])) &&
                        std::isdigit(static_cast<unsigned char>(time[3])) &&
                        std::isdigit(static_cast<unsigned char>(time[4]));
    const int hour = shaped ? (time[0] - '0') * 10 + (time[1] - '0') : -1;
    const int minute = shaped ? (time[3] - '0') * 10 + (time[4] - '0') : -1;
    if (!shaped || hour > 23 || minute > 59 || minute % 15 != 0) {
      return ScheduleError{position, "'" + time + "' is not HH:MM on a quarter hour"};
    }
    daily.times.push_back(hours{hour} + minutes{minute});
    position += time.size() + 1;
  }
  if (daily.times.empty()) return ScheduleError{1, "no sync times"};
  std::ranges::sort(daily.times);
  daily.times.erase(std::ranges::unique(daily.times).begin(), daily.times.end());
  return daily;
}

std::optional<Timestamp> next_fire(const Schedule& schedule, const TimeZones& zones, std::string_view zone,
                                   Timestamp after) {
  const auto local_now = zones.to_local(zone, after);
  // A day before: a local time early in `after`'s local day may still lie after it in
  // UTC when the zone's offset changed overnight.
  auto day = floor<days>(local_now) - days{1};
  for (int i = 0; i < 366 * 5; ++i, day += days{1}) {
    const year_month_day date{sys_days{day.time_since_epoch()}};
    for (const auto time : times_on(schedule, date)) {
      const auto instant = zones.to_instant(zone, local_seconds{day.time_since_epoch()} + time);
      if (instant > after) return instant;
    }
  }
  return std::nullopt;
}

}  // namespace leadstream::domain
