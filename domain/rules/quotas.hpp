#pragma once

#include <string>

#include "domain/error.hpp"

namespace leadstream::domain {

/// What one team may keep, so that no list a team reads (they are not paged) and no
/// table grows without bound.
inline constexpr int kMaxSegmentsPerTeam = 1'000;
inline constexpr int kMaxStreamsPerTeam = 1'000;  // archived ones included
inline constexpr int kMaxDmTemplatesPerTeam = 200;
/// Handles one request may look up on X: each lookup can take seconds, and the request's
/// handler thread waits for them all.
inline constexpr std::size_t kMaxNewHandlesPerRequest = 20;

/// The limits above as one installation sets them (LEADSTREAM_MAX_*); the constants are
/// the defaults.
struct TeamQuotas {
  int segments = kMaxSegmentsPerTeam;
  int streams = kMaxStreamsPerTeam;
  int dm_templates = kMaxDmTemplatesPerTeam;
  std::size_t new_handles_per_request = kMaxNewHandlesPerRequest;
};

/// kQuotaExceeded (403): the team keeps `cap` `what` already.
inline Error quota_exceeded(const std::string& what, int cap) {
  return Error{.code = ErrorCode::kQuotaExceeded,
               .message = "A team keeps at most " + std::to_string(cap) + " " + what + ": delete some first."};
}

}  // namespace leadstream::domain
