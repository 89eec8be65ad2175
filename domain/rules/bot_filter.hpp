#pragma once

#include "domain/model/sync.hpp"

namespace leadstream::domain {

/// A cheap first pass before classification: false for profiles that look like bots or
/// spam (no bio and a default picture, absurd follow ratios, nothing ever posted).
bool passes_bot_filter(const FollowerProfile& profile);

}  // namespace leadstream::domain
