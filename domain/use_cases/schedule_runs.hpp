#pragma once

#include "domain/ports/clock.hpp"
#include "domain/ports/scheduler_store.hpp"
#include "domain/ports/time_zones.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct SchedulerDeps {
  SchedulerStore& store;
  const TimeZones& zones;
  const Clock& clock;
};

struct TickReport {
  int streams_scheduled = 0;  // next slots computed for new or changed streams
  int streams_due = 0;
  int runs_enqueued = 0;
  int skipped_budget_exhausted = 0;  // due pairs not run: the account's syncs of the day are spent
  int skipped_account_sleeping = 0;  // due pairs not run: the account sleeps
};

/// One pass of the scheduler (only the leader calls it): computes the next slot of new or
/// changed streams, enqueues the runs of every stream whose slot came, and moves each of
/// those to its next slot after now, so that slots missed while no process ran fire once.
Result<TickReport> schedule_tick(SchedulerDeps deps, int batch_size = 2'000);

/// How long finished runs keep their progress log, and how long they are kept at all:
/// longer than any budget counts them (a day of syncs, a billing period of re-tests).
inline constexpr std::chrono::days kProgressLogRetention{14};
inline constexpr std::chrono::days kRunRetention{90};
/// An Idempotency-Key answers repeats for 24 hours; its record is useless after.
inline constexpr std::chrono::hours kIdempotencyRetention{24};
/// Applied billing changes are kept a month, for questions about an invoice.
inline constexpr std::chrono::days kAppliedBillingRetention{31};

/// Keeps the run table small: old progress logs emptied, old runs deleted (their leads
/// stay). Returns the runs deleted.
Result<int> prune_finished_runs(SchedulerDeps deps);
/// Deletes expired Idempotency-Key records and billing changes applied over a month ago.
Result<int> prune_records(SchedulerDeps deps);

}  // namespace leadstream::domain
