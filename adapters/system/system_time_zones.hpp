#pragma once

#include "domain/ports/time_zones.hpp"

namespace leadstream::adapters::system {

/// The host's tz database (/usr/share/zoneinfo), read through Howard Hinnant's date/tz.
class SystemTimeZones final : public domain::TimeZones {
 public:
  // domain::TimeZones
  bool exists(std::string_view name) const override;
  std::chrono::local_seconds to_local(std::string_view zone, domain::Timestamp instant) const override;
  domain::Timestamp to_instant(std::string_view zone, std::chrono::local_seconds local) const override;
};

}  // namespace leadstream::adapters::system
