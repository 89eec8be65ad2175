#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/scheduler_store.hpp"

namespace leadstream::adapters::postgres {

/// Set-based: a batch of due streams becomes its runs in one statement, so that ten
/// thousand streams due in the same minute cost a handful of round trips.
class PgSchedulerStore final : public domain::SchedulerStore {
 public:
  explicit PgSchedulerStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::SchedulerStore
  domain::Result<std::vector<domain::Stream>> unscheduled(int limit) override;
  domain::Result<void> set_next_slots(
      const std::vector<std::pair<domain::StreamId, std::optional<domain::Timestamp>>>& slots) override;
  domain::Result<int> prune(domain::Timestamp logs_before, domain::Timestamp runs_before) override;
  domain::Result<int> prune_records(domain::Timestamp keys_before, domain::Timestamp changes_before) override;
  domain::Result<domain::EnqueuedBatch> enqueue_due(domain::Timestamp now, domain::Timestamp day_start,
                                                    const std::vector<domain::DailySyncCap>& caps, int limit) override;

 private:
  ConnectionPool& pool_;
};

/// Scheduler leadership: a session-level advisory lock held on a connection of its own.
/// When the holder dies its session ends, the lock is released, and the next process to
/// ask becomes the leader. Not thread-safe: one thread asks.
class PgLeadership {
 public:
  explicit PgLeadership(std::string url);
  ~PgLeadership();
  PgLeadership(const PgLeadership&) = delete;
  PgLeadership& operator=(const PgLeadership&) = delete;

  /// True while this process leads: takes the lock if free, and checks that the session
  /// holding it is still alive.
  bool lead();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadstream::adapters::postgres
