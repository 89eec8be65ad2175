#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/run_queue.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What asking for runs needs: the streams and their usage, the queue, the day.
struct RequestRunDeps {
  CampaignTransactions& campaigns;
  RunQueue& queue;
  const Clock& clock;
};

struct QueuedRun {
  AccountId account_id;
  RunId run_id;
};

struct SkippedRun {
  AccountId account_id;
  SkipReason reason;  // budget exhausted, account sleeping or run in progress
};

struct RunRequested {
  std::vector<QueuedRun> queued;
  std::vector<SkippedRun> skipped;
};

/// POST /streams/{id}/run: queues a sync of each account of the stream's pairs, or says
/// why not. kStreamArchived for an archived stream, kNotFound for a
/// stream not of the team.
Result<RunRequested> request_run(RequestRunDeps deps, TeamId team, StreamId stream,
                                 RunSource source = RunSource::kManual);

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
  SkipReason reason;  // free tier, budget exhausted or account sleeping
};

struct RetestRequested {
  std::vector<QueuedRetest> queued;
  std::vector<SkippedRetest> skipped;
};

/// POST /streams/{id}/re-test: one run per pair in scope, re-classifying the account's
/// cached followers against the pair's current segment; leads only for new matches. Each
/// run spends one of the account's monthly re-tests. kStreamArchived,
/// kInvalidRequest when the scope names no pair of the stream, kNotFound for a stream not
/// of the team.
Result<RetestRequested> request_retest(RequestRunDeps deps, TeamId team, StreamId stream, RetestScope scope);

}  // namespace leadstream::domain
