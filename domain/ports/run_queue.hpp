#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// A run to put in the queue.
/// At most `cap` runs of the order's mode for its account since `since` (the day's syncs,
/// the period's re-tests), checked in the transaction that enqueues.
struct RunBudget {
  Timestamp since;
  int cap = 0;
};

struct RunOrder {
  TeamId team_id;
  StreamId stream_id;
  AccountId account_id;
  RunSource source = RunSource::kManual;
  RunMode mode = RunMode::kSync;
  std::optional<Timestamp> slot_at;     // the cron slot, for scheduled runs
  std::optional<SegmentId> segment_id;  // a re-test of one pair
  std::optional<RunBudget> budget;
};

struct Enqueued {
  std::optional<RunId> id;   // the new run
  bool over_budget = false;  // none: the budget was spent (by a concurrent request, say)
};

/// The durable run queue: enqueueing, claiming under a lease, and the writes of the worker
/// that holds the lease. Every write names the lease owner and fails with kConflict once
/// the lease was lost to another process. Blocking; thread-safe.
class RunQueue {
 public:
  virtual ~RunQueue() = default;

  /// The new run, or none when the (stream, account) already has one queued or running,
  /// the cron slot was already enqueued, or the order's budget is spent. Concurrent orders
  /// for one account are checked against its budget one after another.
  virtual Result<Enqueued> enqueue(const RunOrder& order) = 0;
  /// Whether a sync of the (stream, account) is queued or running.
  virtual Result<bool> has_open_run(StreamId stream, AccountId account) = 0;

  /// The oldest queued run that is due, or a running one whose lease expired, now leased
  /// to `owner` until `now + lease`.
  virtual Result<std::optional<ClaimedRun>> claim(std::string_view owner, std::chrono::seconds lease) = 0;
  /// Extends the run's lease by `lease` from now. kConflict when `owner` lost it.
  virtual Result<void> renew_lease(RunId run, std::string_view owner, std::chrono::seconds lease) = 0;
  /// Records the account's X user id once a source resolved it.
  virtual Result<void> set_x_user_id(AccountId account, const std::string& x_user_id) = 0;
  /// Records on the run the account's follower count at the source when the run began.
  virtual Result<void> record_follower_count(RunId run, std::string_view owner, std::int64_t count) = 0;
  /// One page's followers (into the account's follower cache), the leads they produced,
  /// the run's counters and its cursor, in one transaction; renews the lease. Returns what
  /// the page added.
  virtual Result<SavedPage> save_page(const ClaimedRun& run, std::string_view owner,
                                      const std::vector<ScoredFollower>& followers,
                                      const std::optional<std::string>& next_cursor, int api_calls,
                                      std::chrono::seconds lease) = 0;
  /// A re-test's page: leads for the matches not yet leads, the counters and the cursor,
  /// in one transaction; renews the lease.
  virtual Result<SavedPage> save_retest_page(const ClaimedRun& run, std::string_view owner,
                                             const std::vector<ScoredFollower>& followers,
                                             const std::optional<std::string>& next_cursor,
                                             std::chrono::seconds lease) = 0;
  virtual Result<void> log_progress(RunId run, std::string_view owner, const ProgressEntry& entry) = 0;
  /// Adds to the run's enrichedCount: leads enriched after their page was saved.
  virtual Result<void> add_enriched(RunId run, std::string_view owner, int count) = 0;
  /// Adds to what classifying the run cost (a remote model's requests and tokens).
  virtual Result<void> add_classifier_usage(RunId run, std::string_view owner, const ClassifierUsage& usage) = 0;
  /// Records that the run walks to its cap or the end of the list whatever it finds: once
  /// it succeeds, ClaimedRun::last_full_walk_at of the pair's later runs is its end.
  virtual Result<void> mark_full_walk(RunId run, std::string_view owner) = 0;
  virtual Result<void> succeed(RunId run, std::string_view owner, const ProgressEntry& last) = 0;
  /// Back to the queue until `run_after`, keeping the cursor. A wait that is no failure
  /// (a provider's rate limit window) gives the claim's attempt back.
  virtual Result<void> retry_later(RunId run, std::string_view owner, const std::string& error, Timestamp run_after,
                                   bool counts_as_attempt = true) = 0;
  virtual Result<void> fail(RunId run, std::string_view owner, const std::string& error) = 0;
};

}  // namespace leadstream::domain
