#pragma once

#include <optional>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/ports/clock.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/reconcile_billing.hpp"

namespace leadstream::domain {

struct AccountChange {
  TrackedAccount account;
  std::vector<BillingDelta> billing_deltas;  // empty when nothing changed
};

/// Stops syncing and billing the account: its tier's quantity drops now, without credit
/// for the rest of the period. Sleeping a sleeping account changes nothing. kNotFound for
/// an account not of the team.
Result<AccountChange> sleep_account(CampaignDeps deps, const Clock& clock, TeamId team, AccountId id);

/// Resumes syncing and billing, prorated from now. Waking an awake account changes nothing.
Result<AccountChange> wake_account(CampaignDeps deps, TeamId team, AccountId id);

enum class TierAction { kUpgraded, kDowngradeScheduled, kPendingCancelled, kUnchanged };

struct TierChange {
  AccountChange change;
  TierAction action = TierAction::kUnchanged;
  std::optional<Timestamp> effective_at;  // for a scheduled downgrade
  std::optional<Tier> previous_tier;      // for an upgrade: what it replaced
};

/// An upgrade applies now; a downgrade is scheduled for the end of the billing period;
/// asking for the current tier cancels a scheduled downgrade. kInvalidRequest for a
/// sleeping account.
Result<TierChange> change_tier(CampaignDeps deps, const Clock& clock, TeamId team, AccountId id, Tier tier);

/// Applies the scheduled downgrades whose billing period has ended: each account moves to
/// its pending tier and both tiers' quantities change now (at the period's start, so
/// there is next to nothing to prorate). Returns how many were applied.
Result<int> apply_due_downgrades(CampaignDeps deps, const Clock& clock);

/// change_tier, with an upgrade's new quantity set with the billing provider before the
/// answer: when the provider refuses, the upgrade is undone and the result is kUpstream
/// with the provider's words. A transient failure leaves the change to the reconciler.
Result<TierChange> change_tier_confirmed(CampaignDeps deps, ReconcileDeps billing, TeamId team, AccountId id,
                                         Tier tier);

}  // namespace leadstream::domain
