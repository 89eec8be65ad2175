#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/run_queue.hpp"

namespace leadstream::adapters::postgres {

/// The run queue in PostgreSQL (table sync_runs, claimed with FOR UPDATE SKIP LOCKED).
/// A page goes in one transaction: the followers as binary arrays through unnest() into
/// the follower cache, the leads they produced, and the run's counters, cursor and lease.
class PgRunQueue final : public domain::RunQueue {
 public:
  explicit PgRunQueue(ConnectionPool& pool) : pool_(pool) {}

  // domain::RunQueue
  domain::Result<domain::Enqueued> enqueue(const domain::RunOrder& order) override;
  domain::Result<bool> has_open_run(domain::StreamId stream, domain::AccountId account) override;
  domain::Result<std::optional<domain::ClaimedRun>> claim(std::string_view owner, std::chrono::seconds lease) override;
  domain::Result<void> renew_lease(domain::RunId run, std::string_view owner, std::chrono::seconds lease) override;
  domain::Result<void> set_x_user_id(domain::AccountId account, const std::string& x_user_id) override;
  domain::Result<void> record_follower_count(domain::RunId run, std::string_view owner, std::int64_t count) override;
  domain::Result<domain::SavedPage> save_page(const domain::ClaimedRun& run, std::string_view owner,
                                              const std::vector<domain::ScoredFollower>& followers,
                                              const std::optional<std::string>& next_cursor, int api_calls,
                                              std::chrono::seconds lease) override;
  domain::Result<domain::SavedPage> save_retest_page(const domain::ClaimedRun& run, std::string_view owner,
                                                     const std::vector<domain::ScoredFollower>& followers,
                                                     const std::optional<std::string>& next_cursor,
                                                     std::chrono::seconds lease) override;
  domain::Result<void> log_progress(domain::RunId run, std::string_view owner,
                                    const domain::ProgressEntry& entry) override;
  domain::Result<void> add_enriched(domain::RunId run, std::string_view owner, int count) override;
  domain::Result<void> add_classifier_usage(domain::RunId run, std::string_view owner,
                                            const domain::ClassifierUsage& usage) override;
  domain::Result<void> mark_full_walk(domain::RunId run, std::string_view owner) override;
  domain::Result<void> succeed(domain::RunId run, std::string_view owner, const domain::ProgressEntry& last) override;
  domain::Result<void> retry_later(domain::RunId run, std::string_view owner, const std::string& error,
                                   domain::Timestamp run_after, bool counts_as_attempt) override;
  domain::Result<void> fail(domain::RunId run, std::string_view owner, const std::string& error) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
