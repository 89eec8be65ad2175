#pragma once

#include "domain/ports/time_zones.hpp"

namespace leadstream::adapters::system {

/// The host's tz database (/usr/share/zoneinfo, which date/tz reads too).
class SystemTimeZones final : public domain::TimeZones {
 public:
  // domain::TimeZones
  bool exists(std::string_view name) const override;
};

}  // namespace leadstream::adapters::system
