#include "domain/model/time.hpp"

#include <array>
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

}  // namespace leadstream::domain
