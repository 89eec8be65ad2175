#include "domain/use_cases/run_engine.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "domain/model/time.hpp"
#include "domain/rules/bot_filter.hpp"
#include "domain/rules/retry.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

ProgressEntry progress(EngineDeps deps, std::string step, std::string message) {
  return ProgressEntry{std::move(step), std::move(message), deps.clock.now()};
}

/// A source failure: back to the queue while a retry may help and attempts remain,
/// else failed for good.
Result<void> settle_failure(EngineDeps deps, const WorkerSettings& settings, const ClaimedRun& run,
                            const Error& error) {
  if (error.code == ErrorCode::kRateLimited) {
    // Waiting for the provider's window is no failure: the attempt is given back, and the
    // run resumes from its saved cursor even if this process restarts meanwhile.
    const auto resume_at = deps.clock.now() + error.retry_after.value_or(std::chrono::seconds{60});
    auto logged = deps.queue.log_progress(
        run.id, settings.owner,
        progress(deps, "fetch_followers", error.message + "; resuming at " + format_rfc3339(resume_at)));
    if (!logged) return logged;
    return deps.queue.retry_later(run.id, settings.owner, error.message, resume_at, false);
  }
  if (error.code == ErrorCode::kUnavailable && run.attempt < settings.max_attempts) {
    // A provider that named its time (a daily usage cap's reset) is not asked before it.
    const auto delay = std::max(
        std::chrono::duration_cast<std::chrono::microseconds>(
            backoff_delay(run.attempt, deps.unit_random(), std::chrono::seconds{2}, std::chrono::minutes{5})),
        std::chrono::duration_cast<std::chrono::microseconds>(error.retry_after.value_or(std::chrono::seconds{0})));
    return deps.queue.retry_later(run.id, settings.owner, error.message, deps.clock.now() + delay);
  }
  return deps.queue.fail(run.id, settings.owner, error.message);
}

/// The account as the source sees it now: its X user id (remembered on the first run) and
/// its follower count (recorded on the run). A lookup, not a follower call: X counts them
/// in another, far larger, rate limit bucket.
Result<ResolvedHandle> look_up_account(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run) {
  auto resolved = deps.source.resolve(run.handle);
  if (!resolved) return resolved.error();
  if (!resolved->x_user_id)
    return Error{ErrorCode::kUpstream, "the follower source gave no user id for @" + run.handle};
  if (!run.x_user_id) {
    if (auto saved = deps.queue.set_x_user_id(run.account_id, *resolved->x_user_id); !saved) return saved.error();
    run.x_user_id = resolved->x_user_id;
  }
  if (resolved->follower_count) {
    if (auto recorded = deps.queue.record_follower_count(run.id, settings.owner, *resolved->follower_count);
        !recorded) {
      return recorded.error();
    }
  }
  return std::move(*resolved);
}

std::string summary(const RunCounters& total) {
  return std::to_string(total.new_followers) + " new followers, " + std::to_string(total.candidates_passed) +
         " passed the filter, " + std::to_string(total.high_fit) + " high and " + std::to_string(total.medium_fit) +
         " medium fits, " + std::to_string(total.leads_created) + " leads created";
}

/// A page as fetched and classified, ready to save.
struct ScoredPage {
  std::vector<ScoredFollower> followers;
  std::optional<std::string> next_cursor;
  int api_calls = 0;
  std::optional<Timestamp> resume_at;
};

Result<ScoredPage> read_page(EngineDeps deps, const std::string& user_id, ProfileMatcher& matcher,
                             std::optional<std::string> cursor, int wanted) {
  auto page = deps.source.followers(user_id, cursor, wanted);
  if (!page) return page.error();
  return ScoredPage{score_page(std::move(page->followers), matcher), std::move(page->next_cursor), page->api_calls,
                    page->resume_at};
}

/// Adds what the matcher spent since `recorded` (a remote model's requests and tokens) to
/// the run's classifier usage, page by page, so that a run cut short still counts it.
Result<void> record_usage(EngineDeps deps, const ClaimedRun& run, const std::string& owner,
                          const ProfileMatcher& matcher, ClassifierUsage& recorded) {
  const auto spent = matcher.usage();
  const auto since = spent - recorded;
  if (since.empty()) return {};
  recorded = spent;
  return deps.queue.add_classifier_usage(run.id, owner, since);
}

Result<void> log_summary(EngineDeps deps, const ClaimedRun& run, const std::string& owner, const RunCounters& total) {
  if (auto logged =
          deps.queue.log_progress(run.id, owner,
                                  progress(deps, "filter",
                                           std::to_string(total.new_followers) + " new followers, " +
                                               std::to_string(total.candidates_passed) + " passed the bot filter"));
      !logged) {
    return logged;
  }
  return deps.queue.log_progress(
      run.id, owner,
      progress(deps, "classify",
               std::to_string(total.high_fit) + " high and " + std::to_string(total.medium_fit) + " medium fits"));
}

/// Enriches the people who became leads on a saved page when the stream asks for it,
/// counting them in the run's enrichedCount; those who were leads before were enriched
/// then. A provider step that stopped (credits ran out) is logged once and not tried again
/// this run: the leads stay, without what it would have found.
Result<void> enrich_page(EngineDeps deps, const WorkerSettings& settings, const ClaimedRun& run,
                         const std::vector<ScoredFollower>& page, const SavedPage& saved, bool& provider_stopped) {
  if (!deps.enrich || (!run.auto_enrich.linkedin && !run.auto_enrich.email)) return {};
  std::unordered_set<std::string_view> wanted(saved.new_lead_people.begin(), saved.new_lead_people.end());
  std::vector<FollowerProfile> matched;
  matched.reserve(wanted.size());
  for (const auto& follower : page) {
    if (wanted.erase(follower.profile.x_user_id) > 0) matched.push_back(follower.profile);
  }
  auto enrich = *deps.enrich;
  if (provider_stopped) enrich.provider = nullptr;
  auto report = enrich_people(enrich, run.team_id, matched, run.auto_enrich);
  if (!report) return report.error();
  if (report->enriched > 0) {
    if (auto added = deps.queue.add_enriched(run.id, settings.owner, report->enriched); !added) return added;
  }
  if (!report->stopped || provider_stopped) return {};
  provider_stopped = true;
  return deps.queue.log_progress(
      run.id, settings.owner,
      progress(deps, "enrich", "enrichment stopped: " + report->stopped->message + "; new leads are kept without it"));
}

/// Cursors of a walk that reuses the follower cache start with this, so that a resumed
/// run knows which walk it was in.
constexpr std::string_view kCacheCursor = "cache:";
/// A walk at the source serves every other stream of the account for this long.
constexpr std::chrono::hours kWalkReuseWindow{1};

/// Processes the followers another stream's walk cached at or after `seen_since`, instead
/// of calling the source again: X's rate limits are per call, and the cache is fresh.
Result<void> reuse_recent_walk(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop,
                               std::optional<Timestamp> seen_since) {
  const auto& owner = settings.owner;
  const std::string when = seen_since ? " at " + format_rfc3339(*seen_since) : "";
  if (auto logged = deps.queue.log_progress(
          run.id, owner,
          progress(deps, "fetch_followers",
                   "Reusing the followers of @" + run.handle + " fetched" + when + " for another stream"));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  const int cap = limits_of(run.tier).follower_cap_per_sync;
  RunCounters total;
  ClassifierUsage usage;
  bool provider_stopped = false;
  int walked = run.followers_walked;
  while (walked < cap) {
    std::optional<std::string> cursor;
    if (run.cursor) cursor = run.cursor->substr(kCacheCursor.size());
    auto page =
        deps.cache.cached_followers(run.account_id, cursor, std::min(settings.page_size, cap - walked), seen_since);
    if (!page) return page.error();
    std::optional<std::string> next;
    if (page->next_cursor) next = std::string(kCacheCursor) + *page->next_cursor;
    const auto size = static_cast<int>(page->followers.size());
    auto scored = score_page(std::move(page->followers), *matcher);
    auto saved = deps.queue.save_page(run, owner, scored, next, 0, settings.lease);
    if (!saved) return saved.error();
    if (auto recorded = record_usage(deps, run, owner, *matcher, usage); !recorded) return recorded;
    if (auto enriched = enrich_page(deps, settings, run, scored, *saved, provider_stopped); !enriched) return enriched;
    total += saved->added;
    walked += size;
    run.cursor = next;
    if (!next) break;
    if (stop.stop_requested()) {
      return deps.queue.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.queue.succeed(run.id, owner, progress(deps, "done", summary(total)));
}

/// Whether a page tells the walk that it reached the followers the pair knows: most of it
/// is known. X lists newest first in practice, but does not promise it, so a few known
/// followers among new ones (re-follows, a reshuffle) do not end the walk.
bool reached_known(const RunCounters& page) { return page.new_followers * 2 < page.followers_walked; }

/// Walks the followers page by page until the cap, the last page, or (unless it walks
/// fully) a page of mostly known followers: the rest of the list is known too.
Result<void> sync_followers(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop) {
  const auto& owner = settings.owner;
  const bool reusing = run.cursor && run.cursor->starts_with(kCacheCursor);
  if (reusing || (!run.cursor && run.followers_walked == 0)) {
    auto walked_at = deps.cache.recent_walk(run.account_id, run.stream_id, deps.clock.now() - kWalkReuseWindow);
    if (!walked_at) return walked_at.error();
    if (*walked_at || reusing) return reuse_recent_walk(deps, settings, run, stop, *walked_at);
  }
  auto account = look_up_account(deps, settings, run);
  if (!account) return settle_failure(deps, settings, run, account.error());
  const auto user_id = run.x_user_id;
  const bool full_walk = walks_fully(settings, run, deps.clock.now());
  // The same count as at this pair's last sync: most likely nobody followed since (equal
  // follows and unfollows would hide them until the count moves, and a full walk finds them),
  // so no follower call.
  if (!full_walk && !run.cursor && account->follower_count && account->follower_count == run.last_follower_count) {
    if (auto logged = deps.queue.log_progress(
            run.id, owner,
            progress(deps, "fetch_followers",
                     "@" + run.handle + " still has " + std::to_string(*account->follower_count) +
                         " followers, as at the last sync: nothing to fetch"));
        !logged) {
      return logged;
    }
    return deps.queue.succeed(run.id, owner, progress(deps, "done", summary(RunCounters{})));
  }
  if (full_walk) {
    if (auto marked = deps.queue.mark_full_walk(run.id, owner); !marked) return marked;
  }
  if (auto logged = deps.queue.log_progress(
          run.id, owner,
          progress(deps, "fetch_followers",
                   "Fetching followers of @" + run.handle + (full_walk && !run.first_sync ? " (a full walk)" : "")));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  const int cap = limits_of(run.tier).follower_cap_per_sync;
  RunCounters total;
  ClassifierUsage usage;
  bool provider_stopped = false;
  int walked = run.followers_walked;
  auto next = walked < cap ? read_page(deps, *user_id, *matcher, run.cursor, page_wanted(settings, run, walked))
                           : Result<ScoredPage>(ScoredPage{});
  for (;;) {
    if (!next && next.error().code == ErrorCode::kGone && run.cursor) {
      // The saved pagination token expired (a run that waited long): from the top again.
      // Followers processed already are not new again; the cap bounds what it costs.
      if (auto logged = deps.queue.log_progress(
              run.id, owner, progress(deps, "fetch_followers", next.error().message + "; walking again from the top"));
          !logged) {
        return logged;
      }
      run.cursor.reset();
      next = read_page(deps, *user_id, *matcher, std::nullopt, page_wanted(settings, run, walked));
      continue;
    }
    if (!next) return settle_failure(deps, settings, run, next.error());
    auto page = std::move(*next);
    const auto size = static_cast<int>(page.followers.size());
    const bool more = page.next_cursor && size > 0 && walked + size < cap;
    auto saved = deps.queue.save_page(run, owner, page.followers, page.next_cursor, page.api_calls, settings.lease);
    if (!saved) return saved.error();
    if (auto recorded = record_usage(deps, run, owner, *matcher, usage); !recorded) return recorded;
    if (auto enriched = enrich_page(deps, settings, run, page.followers, *saved, provider_stopped); !enriched)
      return enriched;
    total += saved->added;
    walked += size;
    run.cursor = page.next_cursor;
    if (!more) break;
    if (!full_walk && reached_known(saved->added)) break;
    if (page.resume_at) {
      const auto wait = std::chrono::ceil<std::chrono::seconds>(*page.resume_at - deps.clock.now());
      return settle_failure(deps, settings, run,
                            Error{.code = ErrorCode::kRateLimited,
                                  .message = "the follower source's rate limit window is used up",
                                  .retry_after = wait});
    }
    if (stop.stop_requested()) {  // between pages: the next process resumes from the saved cursor
      return deps.queue.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
    next = read_page(deps, *user_id, *matcher, run.cursor, page_wanted(settings, run, walked));
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.queue.succeed(run.id, owner, progress(deps, "done", summary(total)));
}

/// Re-classifies the account's cached followers against the run's segment, page by page.
Result<void> retest_followers(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop) {
  const auto& owner = settings.owner;
  if (auto logged = deps.queue.log_progress(
          run.id, owner, progress(deps, "classify", "Re-testing the cached followers of @" + run.handle));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  RunCounters total;
  ClassifierUsage usage;
  bool provider_stopped = false;
  for (;;) {
    auto page = deps.cache.cached_followers(run.account_id, run.cursor, settings.page_size);
    if (!page) return page.error();
    const auto scored = score_page(std::move(page->followers), *matcher);
    auto saved = deps.queue.save_retest_page(run, owner, scored, page->next_cursor, settings.lease);
    if (!saved) return saved.error();
    if (auto recorded = record_usage(deps, run, owner, *matcher, usage); !recorded) return recorded;
    if (auto enriched = enrich_page(deps, settings, run, scored, *saved, provider_stopped); !enriched) return enriched;
    total += saved->added;
    run.cursor = page->next_cursor;
    if (!run.cursor) break;
    if (stop.stop_requested()) {
      return deps.queue.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.queue.succeed(run.id, owner, progress(deps, "done", summary(total)));
}

/// Why a claimed run must not go on, or nullopt.
std::optional<std::string> obstacle(const ClaimedRun& run, const WorkerSettings& settings) {
  if (run.stream_archived) return "The stream was archived before the run started.";
  if (run.account_sleeping) return "@" + run.handle + " was put to sleep before the run started.";
  // Each claim counts, reclaims after a crash included: a run that kills its worker every
  // time must not be retried forever.
  if (run.attempt > settings.max_attempts) {
    return "Gave up after " + std::to_string(settings.max_attempts) + " attempts.";
  }
  return std::nullopt;
}

}  // namespace

bool walks_fully(const WorkerSettings& settings, const ClaimedRun& run, Timestamp now) {
  if (run.first_sync) return true;
  if (settings.full_walk_every.count() <= 0) return false;
  return !run.last_full_walk_at || now - *run.last_full_walk_at >= settings.full_walk_every;
}

int page_wanted(const WorkerSettings& settings, const ClaimedRun& run, int walked) {
  return std::min(settings.page_size, limits_of(run.tier).follower_cap_per_sync - walked);
}

std::vector<ScoredFollower> score_page(std::vector<FollowerProfile> followers, ProfileMatcher& matcher) {
  std::vector<ScoredFollower> scored;
  scored.reserve(followers.size());
  for (auto& profile : followers) {
    ScoredFollower follower{std::move(profile), false, {}};
    follower.passed_filter = passes_bot_filter(follower.profile);
    scored.push_back(std::move(follower));
  }
  // The candidates in one call: a remote model is asked about many at once.
  std::vector<ScoredFollower*> candidates;
  std::vector<const FollowerProfile*> profiles;
  for (auto& follower : scored) {
    if (!follower.passed_filter) continue;
    candidates.push_back(&follower);
    profiles.push_back(&follower.profile);
  }
  auto matches = matcher.matches_of(profiles);
  for (std::size_t i = 0; i < candidates.size() && i < matches.size(); ++i)
    candidates[i]->matches = std::move(matches[i]);
  return scored;
}

Result<void> carry_out(EngineDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop) {
  if (const auto reason = obstacle(run, settings)) return deps.queue.fail(run.id, settings.owner, *reason);
  return run.mode == RunMode::kRetest ? retest_followers(deps, settings, run, stop)
                                      : sync_followers(deps, settings, run, stop);
}

}  // namespace leadstream::domain
