#pragma once

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// Billing periods are calendar months in UTC until a team's Stripe subscription says
/// otherwise: the start of the period holding `now`, and the start of the next.
Timestamp billing_period_start(Timestamp now);
Timestamp billing_period_end(Timestamp now);

}  // namespace leadstream::domain
