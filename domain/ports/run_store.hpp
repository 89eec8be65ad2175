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
struct RunOrder {
  TeamId team_id;
  StreamId stream_id;
  AccountId account_id;
  RunSource source = RunSource::kManual;
  RunMode mode = RunMode::kSync;
  std::optional<Timestamp> slot_at;  // the cron slot, for scheduled runs
  std::optional<SegmentId> segment_id;  // a re-test of one pair
};

/// Followers of the account's cache, in a stable order, for a re-test.
struct CachedPage {
  std::vector<FollowerProfile> followers;
  std::optional<std::string> next_cursor;  // nullopt: the last page
};

struct RunQuery {
  TeamId team_id;
  std::optional<StreamId> stream_id;
  std::optional<RunStatus> status;
  int limit = 30;
  int offset = 0;
};

struct RunList {
  std::vector<Run> runs;
  int total = 0;
};

struct LeadQuery {
  TeamId team_id;
  std::optional<StreamId> stream_id;
  std::optional<MatchConfidence> confidence;
  std::optional<AccountId> account_id;
  std::optional<SegmentId> segment_id;
  std::optional<std::string> lifecycle;
  std::optional<Timestamp> since;
  int limit = 100;
  int offset = 0;
};

struct LeadList {
  std::vector<Lead> leads;
  int total = 0;
};

/// The durable run queue, the follower cache and the leads. Every write of a worker names
/// the lease owner and fails with kConflict once the lease was lost to another process.
/// Blocking; thread-safe.
class RunStore {
 public:
  virtual ~RunStore() = default;

  /// The new run's id, or nullopt when the (stream, account) already has one queued or
  /// running, or the cron slot was already enqueued.
  virtual Result<std::optional<RunId>> enqueue(const RunOrder& order) = 0;
  /// Sync runs of the account triggered since `since`, failed ones excepted.
  virtual Result<int> syncs_since(AccountId account, Timestamp since) = 0;
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
  /// One page's followers, the leads they produced, the run's counters and its cursor,
  /// in one transaction; renews the lease. Returns what the page added to the counters.
  virtual Result<RunCounters> save_page(const ClaimedRun& run, std::string_view owner,
                                        const std::vector<ScoredFollower>& followers,
                                        const std::optional<std::string>& next_cursor, int api_calls,
                                        std::chrono::seconds lease) = 0;
  /// Up to `limit` cached followers of the account after `cursor`; with `seen_since`, only
  /// those a walk saw at or after that time.
  virtual Result<CachedPage> cached_followers(AccountId account, const std::optional<std::string>& cursor, int limit,
                                              std::optional<Timestamp> seen_since = std::nullopt) = 0;
  /// When the latest successful walk of the account's followers at the source by another
  /// stream than `stream` started, if one started at or after `since`.
  virtual Result<std::optional<Timestamp>> recent_walk(AccountId account, StreamId stream, Timestamp since) = 0;
  /// A re-test's page: leads for the matches not yet leads, the counters and the cursor,
  /// in one transaction; renews the lease.
  virtual Result<RunCounters> save_retest_page(const ClaimedRun& run, std::string_view owner,
                                               const std::vector<ScoredFollower>& followers,
                                               const std::optional<std::string>& next_cursor,
                                               std::chrono::seconds lease) = 0;
  virtual Result<void> log_progress(RunId run, std::string_view owner, const ProgressEntry& entry) = 0;
  virtual Result<void> succeed(RunId run, std::string_view owner, const ProgressEntry& last) = 0;
  /// Back to the queue until `run_after`, keeping the cursor. A wait that is no failure
  /// (a provider's rate limit window) gives the claim's attempt back.
  virtual Result<void> retry_later(RunId run, std::string_view owner, const std::string& error, Timestamp run_after,
                                   bool counts_as_attempt = true) = 0;
  virtual Result<void> fail(RunId run, std::string_view owner, const std::string& error) = 0;

  virtual Result<RunList> runs(const RunQuery& query) = 0;
  virtual Result<std::optional<Run>> run(TeamId team, RunId id) = 0;
  virtual Result<LeadList> leads(const LeadQuery& query) = 0;
};

}  // namespace leadstream::domain
