#include "domain/rules/tiers.hpp"

namespace leadstream::domain {

const TierLimits& limits_of(Tier tier) {
  static constexpr TierLimits kStarter{.follower_cap_per_sync = 5'000,
                                       .syncs_per_day = 1,
                                       .monthly_retests = 2,
                                       .monthly_enrichments = 100,
                                       .automated_streams_per_account = 2};
  static constexpr TierLimits kGrowth{.follower_cap_per_sync = 25'000,
                                      .syncs_per_day = 4,
                                      .monthly_retests = 8,
                                      .monthly_enrichments = 500,
                                      .automated_streams_per_account = 5};
  static constexpr TierLimits kPro{.follower_cap_per_sync = 100'000,
                                   .syncs_per_day = 24,
                                   .monthly_retests = 30,
                                   .monthly_enrichments = 2'000,
                                   .automated_streams_per_account = 20};
  switch (tier) {
    case Tier::kStarter:
      return kStarter;
    case Tier::kGrowth:
      return kGrowth;
    case Tier::kPro:
      return kPro;
  }
  return kStarter;
}

const TierLimits& free_plan_limits() {
  static constexpr TierLimits kFree{.follower_cap_per_sync = 5'000,
                                    .syncs_per_day = 1,
                                    .monthly_retests = 0,
                                    .monthly_enrichments = 0,
                                    .automated_streams_per_account = 1};
  return kFree;
}

bool is_upgrade(Tier from, Tier to) { return static_cast<int>(to) > static_cast<int>(from); }

int monthly_enrichment_budget(const std::vector<TrackedAccount>& accounts, bool free_plan) {
  if (free_plan) return free_plan_limits().monthly_enrichments;
  int budget = 0;
  bool any = false;
  for (const auto& account : accounts) {
    if (!account.is_active) continue;
    budget += limits_of(account.tier).monthly_enrichments;
    any = true;
  }
  return any ? budget : limits_of(Tier::kStarter).monthly_enrichments;
}

}  // namespace leadstream::domain
