#include "domain/use_cases/accounts.hpp"

#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

Result<TrackedAccount> find_account(CampaignStore& store, TeamId team, AccountId id) {
  if (auto locked = store.lock_team(team); !locked) return locked.error();
  auto account = store.account(team, id);
  if (!account) return account.error();
  if (!*account) return Error{ErrorCode::kNotFound, "account not found"};
  return std::move(**account);
}

/// Records the tier's quantity after the (already written) account change: now, or at the
/// end of the period when scheduled downgrades will have taken effect.
Result<BillingDelta> bill(CampaignStore& store, const TrackedAccount& account, Tier tier, int change,
                          BillingEffect effect, const std::string& reason) {
  auto quantity = store.active_account_count(account.team_id, tier, effect == BillingEffect::kPeriodEnd);
  if (!quantity) return quantity.error();
  auto recorded =
      store.record_billing_change(BillingChange{account.team_id, tier, *quantity, effect, reason, account.id});
  if (!recorded) return recorded.error();
  return BillingDelta{tier, change, *quantity, effect};
}

Result<AccountChange> set_active(CampaignStore& store, TrackedAccount account, bool active) {
  if (account.is_active == active) return AccountChange{std::move(account), {}};
  if (active) {
    if (auto allowed = require_room_for_account(store, account.team_id, account.tier); !allowed) return allowed.error();
  }
  account.is_active = active;
  if (auto updated = store.update_account(account); !updated) return updated.error();
  // Both take effect now; the billing gateway prorates increases and credits no decrease.
  auto delta = bill(store, account, account.tier, active ? +1 : -1, BillingEffect::kNow,
                    active ? "account woken" : "account slept");
  if (!delta) return delta.error();
  return AccountChange{std::move(account), {*delta}};
}

Result<TierChange> upgrade(CampaignStore& store, TrackedAccount account, Tier tier) {
  if (auto allowed = require_upgrade_allowed(store, account.team_id); !allowed) return allowed.error();
  const auto old_tier = account.tier;
  account.tier = tier;
  account.pending_tier.reset();
  account.pending_tier_effective_at.reset();
  if (auto updated = store.update_account(account); !updated) return updated.error();
  auto left = bill(store, account, old_tier, -1, BillingEffect::kNow, "tier upgraded");
  if (!left) return left.error();
  auto joined = bill(store, account, tier, +1, BillingEffect::kNow, "tier upgraded");
  if (!joined) return joined.error();
  return TierChange{AccountChange{std::move(account), {*left, *joined}}, TierAction::kUpgraded, std::nullopt, old_tier};
}

Result<TierChange> schedule_downgrade(CampaignStore& store, const Clock& clock, TrackedAccount account, Tier tier) {
  auto period_end = store.billing_period_end(account.team_id);
  if (!period_end) return period_end.error();
  account.pending_tier = tier;
  // The subscription's own period when known; the ledger's calendar month otherwise.
  account.pending_tier_effective_at =
      *period_end && **period_end > clock.now() ? **period_end : billing_period_end(clock.now());
  if (auto updated = store.update_account(account); !updated) return updated.error();
  auto left = bill(store, account, account.tier, -1, BillingEffect::kPeriodEnd, "tier downgrade scheduled");
  if (!left) return left.error();
  auto joined = bill(store, account, tier, +1, BillingEffect::kPeriodEnd, "tier downgrade scheduled");
  if (!joined) return joined.error();
  const auto effective_at = account.pending_tier_effective_at;
  return TierChange{AccountChange{std::move(account), {*left, *joined}}, TierAction::kDowngradeScheduled, effective_at};
}

Result<TierChange> cancel_pending(CampaignStore& store, TrackedAccount account) {
  if (!account.pending_tier) return TierChange{AccountChange{std::move(account), {}}, TierAction::kUnchanged};
  const auto cancelled = *account.pending_tier;
  account.pending_tier.reset();
  account.pending_tier_effective_at.reset();
  if (auto updated = store.update_account(account); !updated) return updated.error();
  auto kept = bill(store, account, account.tier, +1, BillingEffect::kPeriodEnd, "tier downgrade cancelled");
  if (!kept) return kept.error();
  auto dropped = bill(store, account, cancelled, -1, BillingEffect::kPeriodEnd, "tier downgrade cancelled");
  if (!dropped) return dropped.error();
  return TierChange{AccountChange{std::move(account), {*kept, *dropped}}, TierAction::kPendingCancelled};
}

/// Puts the account back on `tier` at once, billing both tiers now.
Result<void> undo_upgrade(CampaignDeps deps, TeamId team, AccountId id, Tier tier) {
  return deps.transactions.transact([&](CampaignStore& store) -> Result<void> {
    auto account = find_account(store, team, id);
    if (!account) return account.error();
    const auto refused_tier = account->tier;
    account->tier = tier;
    if (auto updated = store.update_account(*account); !updated) return updated.error();
    if (auto left = bill(store, *account, refused_tier, -1, BillingEffect::kNow, "upgrade refused"); !left) {
      return left.error();
    }
    auto back = bill(store, *account, tier, +1, BillingEffect::kNow, "upgrade refused");
    if (!back) return back.error();
    return {};
  });
}

}  // namespace

Result<int> apply_due_downgrades(CampaignDeps deps, const Clock& clock) {
  auto due = in_transaction<std::vector<std::pair<TeamId, AccountId>>>(
      deps.transactions, [&](CampaignStore& store) { return store.due_downgrades(clock.now()); });
  if (!due) return due.error();
  int applied = 0;
  for (const auto& [team, id] : *due) {
    auto done = deps.transactions.transact([&](CampaignStore& store) -> Result<void> {
      auto account = find_account(store, team, id);
      if (!account) return account.error();
      // Re-read under the team lock: it may have been cancelled or applied meanwhile.
      if (!account->pending_tier || *account->pending_tier_effective_at > clock.now()) return {};
      const auto old_tier = account->tier;
      account->tier = *account->pending_tier;
      account->pending_tier.reset();
      account->pending_tier_effective_at.reset();
      if (auto updated = store.update_account(*account); !updated) return updated.error();
      if (auto closed = store.close_scheduled_changes(id); !closed) return closed;
      if (auto left = bill(store, *account, old_tier, -1, BillingEffect::kNow, "scheduled downgrade"); !left) {
        return left.error();
      }
      auto joined = bill(store, *account, account->tier, +1, BillingEffect::kNow, "scheduled downgrade");
      if (!joined) return joined.error();
      ++applied;
      return {};
    });
    if (!done) return done.error();
  }
  return applied;
}

Result<AccountChange> sleep_account(CampaignDeps deps, const Clock&, TeamId team, AccountId id) {
  return in_transaction<AccountChange>(deps.transactions, [&](CampaignStore& store) -> Result<AccountChange> {
    auto account = find_account(store, team, id);
    if (!account) return account.error();
    return set_active(store, std::move(*account), false);
  });
}

Result<AccountChange> wake_account(CampaignDeps deps, TeamId team, AccountId id) {
  return in_transaction<AccountChange>(deps.transactions, [&](CampaignStore& store) -> Result<AccountChange> {
    auto account = find_account(store, team, id);
    if (!account) return account.error();
    return set_active(store, std::move(*account), true);
  });
}

Result<TierChange> change_tier_confirmed(CampaignDeps deps, ReconcileDeps billing, TeamId team, AccountId id,
                                         Tier tier) {
  auto changed = change_tier(deps, billing.clock, team, id, tier);
  if (!changed || changed->action != TierAction::kUpgraded) return changed;

  BillingOutcome outcome;
  auto settled = billing.outbox.settle(team, tier, billing.clock.now(), [&](const PendingBilling& pending) {
    return outcome = settle_group(billing, pending);
  });
  if (!settled) return settled.error();
  if (outcome.kind != BillingOutcome::Kind::kFailed) return changed;
  if (auto undone = undo_upgrade(deps, team, id, *changed->previous_tier); !undone) return undone.error();
  return Error{ErrorCode::kUpstream, outcome.error};
}

Result<TierChange> change_tier(CampaignDeps deps, const Clock& clock, TeamId team, AccountId id, Tier tier) {
  return in_transaction<TierChange>(deps.transactions, [&](CampaignStore& store) -> Result<TierChange> {
    auto account = find_account(store, team, id);
    if (!account) return account.error();
    if (!account->is_active) return Error{ErrorCode::kInvalidRequest, "Wake this account first to change its tier."};
    if (tier == account->tier) return cancel_pending(store, std::move(*account));
    if (is_upgrade(account->tier, tier)) return upgrade(store, std::move(*account), tier);
    return schedule_downgrade(store, clock, std::move(*account), tier);
  });
}

}  // namespace leadstream::domain
