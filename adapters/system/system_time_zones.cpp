#include "adapters/system/system_time_zones.hpp"

#include <date/tz.h>

#include <filesystem>

namespace leadstream::adapters::system {

bool SystemTimeZones::exists(std::string_view name) const {
  // Names are Area/Location of letters, digits, _ - +; anything else (.., absolute paths)
  // must not reach the file system.
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+') return false;
  }
  if (name == "UTC") return true;
  std::error_code ignored;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / std::string(name), ignored);
}

std::chrono::local_seconds SystemTimeZones::to_local(std::string_view zone, domain::Timestamp instant) const {
  const auto* tz = date::locate_zone(std::string(zone));
  const auto local = tz->to_local(std::chrono::floor<std::chrono::seconds>(instant));
  return std::chrono::local_seconds{local.time_since_epoch()};
}

domain::Timestamp SystemTimeZones::to_instant(std::string_view zone, std::chrono::local_seconds local) const {
  const auto* tz = date::locate_zone(std::string(zone));
  const date::local_seconds wall{local.time_since_epoch()};
  const auto info = tz->get_info(wall);
  std::chrono::sys_seconds instant;
  if (info.result == date::local_info::nonexistent) {
    instant = info.second.begin;  // the jump itself: the first instant that exists
  } else {
    // Unique, or the earlier of two: the offset in force before the change.
    instant = std::chrono::sys_seconds{wall.time_since_epoch() - info.first.offset};
  }
  return std::chrono::time_point_cast<std::chrono::microseconds>(instant);
}

}  // namespace leadstream::adapters::system
