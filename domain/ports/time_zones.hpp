#pragma once

#include <chrono>
#include <string_view>

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// The IANA time zones this host knows. Thread-safe.
class TimeZones {
 public:
  virtual ~TimeZones() = default;
  virtual bool exists(std::string_view name) const = 0;
  /// The wall-clock time in `zone` at `instant`. The zone must exist.
  virtual std::chrono::local_seconds to_local(std::string_view zone, Timestamp instant) const = 0;
  /// The instant a wall-clock time in `zone` names: the earlier of two when the time
  /// repeats, the moment of the jump when a DST change skips it. The zone must exist.
  virtual Timestamp to_instant(std::string_view zone, std::chrono::local_seconds local) const = 0;
};

}  // namespace leadstream::domain
