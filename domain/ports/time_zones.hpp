#pragma once

#include <string_view>

namespace leadstream::domain {

/// The IANA time zones this host knows. Thread-safe.
class TimeZones {
 public:
  virtual ~TimeZones() = default;
  virtual bool exists(std::string_view name) const = 0;
};

}  // namespace leadstream::domain
