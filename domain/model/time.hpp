#pragma once

#include <string>

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// RFC 3339 in UTC with a Z, to the second: 2026-11-23T20:33:39Z.
std::string format_rfc3339(Timestamp time);

}  // namespace leadstream::domain
