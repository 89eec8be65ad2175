#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/classifier.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/follower_source.hpp"
#include "domain/ports/run_store.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct SyncDeps {
  CampaignTransactions& campaigns;
  RunStore& runs;
  FollowerSource& source;
  const Classifier& classifier;
  const Clock& clock;
  std::function<double()> unit_random;  // [0, 1), for retry jitter
};

struct QueuedRun {
  AccountId account_id;
  RunId run_id;
};

struct SkippedRun {
  AccountId account_id;
  std::string reason;  // budget_exhausted | account_sleeping | run_in_progress
};

struct RunRequested {
  std::vector<QueuedRun> queued;
  std::vector<SkippedRun> skipped;
};

/// POST /streams/{id}/run: queues a sync of each account of the stream's pairs, or says
/// why not. kInvalidRequest "stream_archived" for an archived stream, kNotFound for a
/// stream not of the team.
Result<RunRequested> request_run(SyncDeps deps, TeamId team, StreamId stream, RunSource source = RunSource::kManual);

/// Which pairs of a stream a re-test covers: all, or those of one account and/or segment.
struct RetestScope {
  std::optional<AccountId> account_id;
  std::optional<SegmentId> segment_id;
};

struct QueuedRetest {
  std::int64_t pair_id = 0;
  AccountId account_id;
  SegmentId segment_id;
  RunId run_id;
};

struct SkippedRetest {
  std::int64_t pair_id = 0;
  AccountId account_id;
  std::string reason;  // free_tier | budget_exhausted | account_sleeping
};

struct RetestRequested {
  std::vector<QueuedRetest> queued;
  std::vector<SkippedRetest> skipped;
};

/// POST /streams/{id}/re-test: one run per pair in scope, re-classifying the account's
/// cached followers against the pair's current segment; leads only for new matches. Each
/// run spends one of the account's monthly re-tests. kInvalidRequest "stream_archived",
/// kInvalidRequest when the scope names no pair of the stream, kNotFound for a stream not
/// of the team.
Result<RetestRequested> request_retest(SyncDeps deps, TeamId team, StreamId stream, RetestScope scope);

struct WorkerSettings {
  std::string owner;  // who holds the leases: unique per process
  std::chrono::seconds lease{120};
  int page_size = 1000;
  int max_attempts = 5;
};

/// Claims one due run and carries it out, page by page: fetch, filter, classify, save.
/// false when nothing was due. Stops between pages once `stop` is requested, leaving the
/// run to be claimed again from its cursor.
Result<bool> work_next_run(SyncDeps deps, const WorkerSettings& settings, std::stop_token stop = {});

/// The followers of a page, filtered and classified against the run's segments.
std::vector<ScoredFollower> score_page(std::vector<FollowerProfile> followers, ProfileMatcher& matcher);

Result<RunList> list_runs(SyncDeps deps, const RunQuery& query);
/// kNotFound unless the run is the team's (and of `stream`, when given).
Result<Run> get_run(SyncDeps deps, TeamId team, RunId id, std::optional<StreamId> stream = std::nullopt);
/// kNotFound when `query.stream_id` is not one of the team's streams.
Result<LeadList> list_leads(SyncDeps deps, const LeadQuery& query);

}  // namespace leadstream::domain
