#include "domain/use_cases/reconcile_billing.hpp"

#include "domain/rules/retry.hpp"

namespace leadstream::domain {
namespace {

constexpr std::chrono::hours kRetryPermanentFailuresEvery{1};

/// A refusal is retried hourly (someone may fix the subscription); anything else backs off.
BillingOutcome failed_outcome(ReconcileDeps deps, int attempts, const Error& error) {
  using Kind = BillingOutcome::Kind;
  const auto now = deps.clock.now();
  if (error.code == ErrorCode::kUpstream)
    return BillingOutcome{Kind::kFailed, now + kRetryPermanentFailuresEvery, error.message};
  const auto delay = backoff_delay(attempts, deps.unit_random());
  return BillingOutcome{Kind::kRetryLater, now + std::chrono::duration_cast<std::chrono::microseconds>(delay),
                        error.message};
}

void count(ReconcileReport& report, const BillingOutcome& outcome) {
  using Kind = BillingOutcome::Kind;
  (outcome.kind == Kind::kApplied ? report.applied : outcome.kind == Kind::kFailed ? report.failed : report.retrying)++;
}

}  // namespace

BillingOutcome settle_group(ReconcileDeps deps, const PendingBilling& pending) {
  using Kind = BillingOutcome::Kind;
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
  return failed_outcome(deps, pending.attempts, sent.error());
}

PeriodEndOutcome settle_period_end_group(ReconcileDeps deps, const PendingPeriodEnd& pending) {
  using Kind = BillingOutcome::Kind;
  // The embedded ledger: the billing worker applies downgrades when the period ends.
  if (!pending.subscription_id) return PeriodEndOutcome{BillingOutcome{Kind::kApplied}, std::nullopt};
  const auto key = "leadstream-period-end-" + std::to_string(pending.latest_change_id);
  if (pending.next == pending.now) {  // nothing scheduled any more (a downgrade was cancelled)
    if (!pending.schedule_id) return PeriodEndOutcome{BillingOutcome{Kind::kApplied}, std::nullopt};
    auto released = deps.gateway.release_schedule(*pending.schedule_id, key);
    if (released) return PeriodEndOutcome{BillingOutcome{Kind::kApplied}, std::nullopt};
    return PeriodEndOutcome{failed_outcome(deps, pending.attempts, released.error()), pending.schedule_id};
  }
  auto scheduled = deps.gateway.schedule_period_end(
      PeriodEndChange{*pending.subscription_id, pending.schedule_id, pending.now, pending.next, key});
  if (scheduled) return PeriodEndOutcome{BillingOutcome{Kind::kApplied}, *scheduled};
  return PeriodEndOutcome{failed_outcome(deps, pending.attempts, scheduled.error()), pending.schedule_id};
}

Result<int> check_billing_drift(ReconcileDeps deps, bool only_unread) {
  auto teams = deps.outbox.billed_teams(only_unread);
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
      auto queued = deps.outbox.resettle(
          team.team, wanted.first,
          "drift: " + item + " had " + std::to_string(have) + ", wanted " + std::to_string(wanted.second));
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
      count(report, outcome);
      return outcome;
    });
    if (!settled) return settled.error();
  }
  // After the quantities: a schedule's current phase must carry them.
  auto teams = deps.outbox.period_end_due(deps.clock.now(), max_groups);
  if (!teams) return teams.error();
  for (const auto team : *teams) {
    auto settled = deps.outbox.settle_period_end(team, deps.clock.now(), [&](const PendingPeriodEnd& pending) {
      auto outcome = settle_period_end_group(deps, pending);
      count(report, outcome.outcome);
      return outcome;
    });
    if (!settled) return settled.error();
  }
  return report;
}

}  // namespace leadstream::domain
