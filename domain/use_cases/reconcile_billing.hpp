#pragma once

#include <functional>

#include "domain/ports/billing.hpp"
#include "domain/ports/clock.hpp"

namespace leadstream::domain {

struct ReconcileDeps {
  BillingOutbox& outbox;
  BillingGateway& gateway;
  const Clock& clock;
  std::function<double()> unit_random;  // [0, 1), for retry jitter
};

struct ReconcileReport {
  int applied = 0;
  int retrying = 0;
  int failed = 0;
};

/// One pass of the billing reconciler: each (team, tier) with due changes gets one
/// quantity update to the number of its active accounts, however many changes piled up;
/// then each team with period-end changes gets its subscription schedule rewritten (this
/// period as it is, the next with the scheduled downgrades in) or released when nothing
/// is scheduled any more. Retryable failures back off; permanent ones are shown on the
/// accounts and retried hourly (someone may fix the subscription).
Result<ReconcileReport> reconcile_billing(ReconcileDeps deps, int max_groups = 100);

/// Reads each subscription: records its status and period, and queues a correction for every
/// quantity out of step with the desired one (someone edited the subscription in
/// Stripe's dashboard). Returns how many corrections were queued.
/// `only_unread`: only the teams whose subscription was never read since they were mapped.
Result<int> check_billing_drift(ReconcileDeps deps, bool only_unread = false);

/// What to do with one group: exposed for tests.
BillingOutcome settle_group(ReconcileDeps deps, const PendingBilling& pending);
/// What to do with one team's period-end changes: exposed for tests.
PeriodEndOutcome settle_period_end_group(ReconcileDeps deps, const PendingPeriodEnd& pending);

}  // namespace leadstream::domain
