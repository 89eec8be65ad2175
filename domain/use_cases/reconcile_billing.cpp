#include "domain/use_cases/reconcile_billing.hpp"

#include "domain/rules/retry.hpp"

namespace leadstream::domain {
namespace {

constexpr std::chrono::hours kRetryPermanentFailuresEvery{1};

}  // namespace

BillingOutcome settle_group(ReconcileDeps deps, const PendingBilling& pending) {
  using Kind = BillingOutcome::Kind;
  const auto now = deps.clock.now();
  // The embedded ledger: recording the quantity is the whole of billing.
  if (!pending.subscription_item) return BillingOutcome{Kind::kApplied};
  if (pending.applied_quantity == pending.desired_quantity) return BillingOutcome{Kind::kApplied};

  const QuantityUpdate update{
      .subscription_item = *pending.subscription_item,
      .quantity = pending.desired_quantity,
      .prorate = pending.desired_quantity > pending.applied_quantity.value_or(0),
      // One key per state of the outbox: a retry of the same changes reuses it.
      .idempotency_key = "leadstream-billing-" + std::to_string(pending.latest_change_id),
  };
  auto sent = deps.gateway.set_quantity(update);
  if (sent) return BillingOutcome{Kind::kApplied};
  if (sent.error().code == ErrorCode::kUpstream) {
    return BillingOutcome{Kind::kFailed, now + kRetryPermanentFailuresEvery, sent.error().message};
  }
  const auto delay = backoff_delay(pending.attempts, deps.unit_random());
  return BillingOutcome{Kind::kRetryLater, now + std::chrono::duration_cast<std::chrono::microseconds>(delay),
                        sent.error().message};
}

Result<int> check_billing_drift(ReconcileDeps deps) {
  auto teams = deps.outbox.billed_teams();
  if (!teams) return teams.error();
  int corrections = 0;
  for (const auto& team : *teams) {
    auto actual = deps.gateway.subscription(team.subscription_id);
    if (!actual) continue;  // unreachable now: the next check will see it
    if (auto recorded = deps.outbox.record_subscription(team.team, *actual); !recorded) {
      return recorded.error();
    }
    for (const auto& [item, wanted] : team.desired) {
      const auto found = actual->quantities.find(item);
      const int have = found == actual->quantities.end() ? 0 : found->second;
      if (have == wanted.second) continue;
      auto queued = deps.outbox.resettle(team.team, wanted.first,
                                         "drift: " + item + " had " + std::to_string(have) + ", wanted " +
                                             std::to_string(wanted.second));
      if (!queued) return queued.error();
      ++corrections;
    }
  }
  return corrections;
}

Result<ReconcileReport> reconcile_billing(ReconcileDeps deps, int max_groups) {
  auto due = deps.outbox.due(deps.clock.now(), max_groups);
  if (!due) return due.error();
  ReconcileReport report;
  for (const auto& [team, tier] : *due) {
    auto settled = deps.outbox.settle(team, tier, deps.clock.now(), [&](const PendingBilling& pending) {
      auto outcome = settle_group(deps, pending);
      using Kind = BillingOutcome::Kind;
      (outcome.kind == Kind::kApplied ? report.applied : outcome.kind == Kind::kFailed ? report.failed : report.retrying)++;
      return outcome;
    });
    if (!settled) return settled.error();
  }
  return report;
}

}  // namespace leadstream::domain
