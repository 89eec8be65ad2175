#pragma once

#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Due streams whose cron runs were just enqueued.
struct EnqueuedBatch {
  std::vector<Stream> streams;  // id and schedule settings only
  int runs_enqueued = 0;
  int skipped_budget_exhausted = 0;  // (stream, account) pairs due on a day with no syncs left
  int skipped_account_sleeping = 0;
};

/// A tier's daily sync budget, as the scheduler hands it to the store.
struct DailySyncCap {
  Tier tier = Tier::kStarter;
  int syncs_per_day = 0;
};

/// The scheduler's view of the streams. Blocking; thread-safe.
class SchedulerStore {
 public:
  virtual ~SchedulerStore() = default;

  /// Active, unarchived streams whose next slot is not computed yet (id and schedule only).
  virtual Result<std::vector<Stream>> unscheduled(int limit) = 0;
  /// nullopt: the stream never fires (a cron that matches no date), and is not looked at again
  /// until its schedule changes.
  virtual Result<void> set_next_slots(const std::vector<std::pair<StreamId, std::optional<Timestamp>>>& slots) = 0;
  /// Empties the progress logs of runs finished before `logs_before` and deletes the runs
  /// finished before `runs_before`; returns the runs deleted.
  virtual Result<int> prune(Timestamp logs_before, Timestamp runs_before) = 0;
  /// Deletes Idempotency-Key records made before `keys_before` and billing changes
  /// applied before `changes_before`; returns the rows deleted.
  virtual Result<int> prune_records(Timestamp keys_before, Timestamp changes_before) = 0;
  /// For up to `limit` streams whose slot is at or before `now`: one cron run per active
  /// account of their pairs whose syncs since `day_start` are below its tier's cap,
  /// unless the (stream, account) has one open or this slot was enqueued already. Claims
  /// the streams so that nothing else enqueues them meanwhile.
  virtual Result<EnqueuedBatch> enqueue_due(Timestamp now, Timestamp day_start, const std::vector<DailySyncCap>& caps,
                                            int limit) = 0;
};

}  // namespace leadstream::domain
