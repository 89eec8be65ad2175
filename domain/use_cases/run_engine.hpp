#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/ports/classifier.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/follower_cache.hpp"
#include "domain/ports/follower_source.hpp"
#include "domain/ports/run_queue.hpp"
#include "domain/result.hpp"
#include "domain/use_cases/enrich.hpp"

namespace leadstream::domain {

/// What carrying out a claimed run needs. Plain functions: the threads around them (the
/// lease heartbeat, page prefetch) belong to the worker that calls them.
struct EngineDeps {
  RunQueue& queue;
  FollowerCache& cache;
  FollowerSource& source;
  const Classifier& classifier;
  const Clock& clock;
  std::function<double()> unit_random;  // [0, 1), for retry jitter
  /// For streams with autoEnrichLinkedin or autoEnrichEmail: their new leads are enriched
  /// as each page is saved. None: they are not.
  std::optional<EnrichDeps> enrich = std::nullopt;
};

struct WorkerSettings {
  std::string owner;  // who holds the leases: unique per process
  std::chrono::seconds lease{120};
  int page_size = 1000;
  int max_attempts = 5;
  /// A sync walks to its tier's cap whatever it finds when the pair's last such walk is
  /// older than this (0: only first syncs do): newest-first order is X's habit, not its
  /// promise, so stopping at known followers could miss some for good.
  std::chrono::hours full_walk_every{7 * 24};
};

/// Whether the run walks to its cap or the end of the list instead of stopping at the
/// first page of known followers.
bool walks_fully(const WorkerSettings& settings, const ClaimedRun& run, Timestamp now);

/// Carries out a run claimed by `settings.owner`, page by page: fetch, filter, classify,
/// save, then succeed, fail or go back to the queue. Stops between pages once `stop` is
/// requested, leaving the run to be claimed again from its cursor. A kConflict error
/// means the lease was lost: another process holds the run now.
Result<void> carry_out(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop = {});

/// How many followers the next page of a walk asks for, once `walked` were walked.
int page_wanted(const WorkerSettings& settings, const ClaimedRun& run, int walked);

/// The followers of a page, filtered and classified against the run's segments.
std::vector<ScoredFollower> score_page(std::vector<FollowerProfile> followers, ProfileMatcher& matcher);

}  // namespace leadstream::domain
