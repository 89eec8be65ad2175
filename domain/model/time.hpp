#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// RFC 3339 in UTC with a Z, to the second: 2026-11-23T20:33:39Z.
std::string format_rfc3339(Timestamp time);
/// With six fraction digits ("…T12:00:00.123456Z"): for times a client hands back, as a
/// lead's discoveredAt is in `since`, and which must round-trip exactly.
std::string format_rfc3339_us(Timestamp time);

/// 2026-11-23T20:33:39Z, with an optional fraction of a second and a Z or an offset
/// (+01:00); nullopt for anything else.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace leadstream::domain
