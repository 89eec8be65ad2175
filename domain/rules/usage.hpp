#pragma once

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// The day a tier's `syncs_per_day` counts: the UTC day holding `now`. A sync spends one
/// of its account's day from when it was triggered unless it failed (the stores count
/// it so, in one place each: adapters/postgres/run_usage_sql.hpp).
Timestamp usage_day_start(Timestamp now);

}  // namespace leadstream::domain
