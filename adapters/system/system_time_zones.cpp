#include "adapters/system/system_time_zones.hpp"

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

}  // namespace leadstream::adapters::system
