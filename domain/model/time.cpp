#include "domain/model/time.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace leadstream::domain {

std::string format_rfc3339(Timestamp time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
  const auto as_time_t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&as_time_t, &parts);
  std::array<char, 32> text{};
  const auto length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(text.data(), length);
}

std::string format_rfc3339_us(Timestamp time) {
  auto text = format_rfc3339(time);
  const auto micros = (time - std::chrono::floor<std::chrono::seconds>(time)).count();
  std::array<char, 8> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%06lld", static_cast<long long>(micros));
  text.insert(text.size() - 1, fraction.data());
  return text;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  const std::string copy(text);  // sscanf needs the terminator
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed) !=
      6) {
    return std::nullopt;
  }
  std::string_view zone = std::string_view(copy).substr(static_cast<std::size_t>(consumed));
  std::int64_t fraction_us = 0;
  if (zone.starts_with('.')) {
    zone.remove_prefix(1);
    std::int64_t scale = 100'000;
    if (zone.empty() || !std::isdigit(static_cast<unsigned char>(zone.front()))) return std::nullopt;
    while (!zone.empty() && std::isdigit(static_cast<unsigned char>(zone.front()))) {
      fraction_us += (zone.front() - '0') * scale;
      scale /= 10;
      zone.remove_prefix(1);
    }
  }
  int offset_minutes = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    offset_minutes = ((zone[1] - '0') * 10 + (zone[2] - '0')) * 60 + (zone[4] - '0') * 10 + (zone[5] - '0');
    if (zone[0] == '-') offset_minutes = -offset_minutes;
  } else if (zone != "Z") {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto instant = sys_days{date} + hours{hour} + minutes{minute} + seconds{second} - minutes{offset_minutes};
  return time_point_cast<microseconds>(instant) + microseconds{fraction_us};
}

}  // namespace leadstream::domain
