#pragma once

#include <vector>

#include "domain/model/campaign.hpp"

namespace leadstream::domain {

/// What a tracked account of a tier may do. One table: the scheduler, the budgets of
/// GET /me and the stream cap all read it.
struct TierLimits {
  int follower_cap_per_sync;
  int syncs_per_day;
  int monthly_retests;
  int monthly_enrichments;
  int automated_streams_per_account;
};

const TierLimits& limits_of(Tier tier);
/// The free plan's: one starter account (kFreePlanAccounts) with these instead.
const TierLimits& free_plan_limits();
inline constexpr int kFreePlanAccounts = 1;

/// A team's enrichment budget for a billing period, in credits: the sum of its active
/// accounts' tiers (nothing on the free plan). A team that tracks no account yet and only
/// looks people up gets a starter account's.
int monthly_enrichment_budget(const std::vector<TrackedAccount>& accounts, bool free_plan);

/// Whether moving from one tier to another is an upgrade (applied now, prorated) rather
/// than a downgrade (applied at the end of the billing period).
bool is_upgrade(Tier from, Tier to);

}  // namespace leadstream::domain
