#include "domain/use_cases/sync.hpp"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "domain/model/time.hpp"
#include "domain/rules/billing_period.hpp"
#include "domain/rules/bot_filter.hpp"
#include "domain/rules/retry.hpp"
#include "domain/rules/tiers.hpp"
#include "domain/use_cases/campaigns.hpp"

namespace leadstream::domain {
namespace {

Error not_found(std::string_view what) { return Error{ErrorCode::kNotFound, std::string(what) + " not found"}; }

struct StreamAccounts {
  Stream stream;
  std::vector<TrackedAccount> accounts;  // of its pairs, in pair order, each once
};

Result<StreamAccounts> read_stream_accounts(SyncDeps deps, TeamId team, StreamId id) {
  return in_transaction<StreamAccounts>(deps.campaigns, [&](CampaignStore& store) -> Result<StreamAccounts> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    StreamAccounts out{std::move(**stream), {}};
    std::set<AccountId> seen;
    for (const auto& pair : out.stream.pairs) {
      if (!seen.insert(pair.account_id).second) continue;
      auto account = store.account(team, pair.account_id);
      if (!account) return account.error();
      if (*account) out.accounts.push_back(std::move(**account));
    }
    return out;
  });
}

/// Why the account's sync cannot be queued now, or nullopt when it can.
Result<std::optional<std::string>> skip_reason(SyncDeps deps, StreamId stream, const TrackedAccount& account) {
  if (!account.is_active) return std::optional<std::string>("account_sleeping");
  auto open = deps.runs.has_open_run(stream, account.id);
  if (!open) return open.error();
  if (*open) return std::optional<std::string>("run_in_progress");
  const auto day_start = std::chrono::floor<std::chrono::days>(deps.clock.now());
  auto used = deps.runs.syncs_since(account.id, day_start);
  if (!used) return used.error();
  if (*used >= limits_of(account.tier).syncs_per_day) return std::optional<std::string>("budget_exhausted");
  return std::optional<std::string>();
}

ProgressEntry progress(SyncDeps deps, std::string step, std::string message) {
  return ProgressEntry{std::move(step), std::move(message), deps.clock.now()};
}

/// A source failure: back to the queue while a retry may help and attempts remain,
/// else failed for good.
Result<void> settle_failure(SyncDeps deps, const WorkerSettings& settings, const ClaimedRun& run, const Error& error) {
  if (error.code == ErrorCode::kRateLimited) {
    // Waiting for the provider's window is no failure: the attempt is given back, and the
    // run resumes from its saved cursor even if this process restarts meanwhile.
    const auto resume_at = deps.clock.now() + error.retry_after.value_or(std::chrono::seconds{60});
    auto logged = deps.runs.log_progress(
        run.id, settings.owner, progress(deps, "fetch_followers", error.message + "; resuming at " + format_rfc3339(resume_at)));
    if (!logged) return logged;
    return deps.runs.retry_later(run.id, settings.owner, error.message, resume_at, false);
  }
  if (error.code == ErrorCode::kUnavailable && run.attempt < settings.max_attempts) {
    const auto delay = backoff_delay(run.attempt, deps.unit_random(), std::chrono::seconds{2}, std::chrono::minutes{5});
    return deps.runs.retry_later(run.id, settings.owner, error.message,
                                 deps.clock.now() + std::chrono::duration_cast<std::chrono::microseconds>(delay));
  }
  return deps.runs.fail(run.id, settings.owner, error.message);
}

/// The account as the source sees it now: its X user id (remembered on the first run) and
/// its follower count (recorded on the run). A lookup, not a follower call: X counts them
/// in another, far larger, rate limit bucket.
Result<ResolvedHandle> look_up_account(SyncDeps deps, const WorkerSettings& settings, ClaimedRun& run) {
  auto resolved = deps.source.resolve(run.handle);
  if (!resolved) return resolved.error();
  if (!resolved->x_user_id) return Error{ErrorCode::kUpstream, "the follower source gave no user id for @" + run.handle};
  if (!run.x_user_id) {
    if (auto saved = deps.runs.set_x_user_id(run.account_id, *resolved->x_user_id); !saved) return saved.error();
    run.x_user_id = resolved->x_user_id;
  }
  if (resolved->follower_count) {
    if (auto recorded = deps.runs.record_follower_count(run.id, settings.owner, *resolved->follower_count); !recorded) {
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

Result<ScoredPage> read_page(SyncDeps deps, const std::string& user_id, ProfileMatcher& matcher,
                             std::optional<std::string> cursor, int wanted) {
  auto page = deps.source.followers(user_id, cursor, wanted);
  if (!page) return page.error();
  return ScoredPage{score_page(std::move(page->followers), matcher), std::move(page->next_cursor), page->api_calls,
                    page->resume_at};
}

Result<void> log_summary(SyncDeps deps, const ClaimedRun& run, const std::string& owner, const RunCounters& total) {
  if (auto logged = deps.runs.log_progress(run.id, owner, progress(deps, "filter",
          std::to_string(total.new_followers) + " new followers, " + std::to_string(total.candidates_passed) +
              " passed the bot filter"));
      !logged) {
    return logged;
  }
  return deps.runs.log_progress(run.id, owner, progress(deps, "classify",
      std::to_string(total.high_fit) + " high and " + std::to_string(total.medium_fit) + " medium fits"));
}

/// Cursors of a walk that reuses the follower cache start with this, so that a resumed
/// run knows which walk it was in.
constexpr std::string_view kCacheCursor = "cache:";
/// A walk at the source serves every other stream of the account for this long.
constexpr std::chrono::hours kWalkReuseWindow{1};

/// Processes the followers another stream's walk cached at or after `seen_since`, instead
/// of calling the source again: X's rate limits are per call, and the cache is fresh.
Result<void> reuse_recent_walk(SyncDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop,
                               std::optional<Timestamp> seen_since) {
  const auto& owner = settings.owner;
  const std::string when = seen_since ? " at " + format_rfc3339(*seen_since) : "";
  if (auto logged = deps.runs.log_progress(run.id, owner, progress(deps, "fetch_followers",
          "Reusing the followers of @" + run.handle + " fetched" + when + " for another stream"));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  const int cap = limits_of(run.tier).follower_cap_per_sync;
  RunCounters total;
  int walked = run.followers_walked;
  while (walked < cap) {
    std::optional<std::string> cursor;
    if (run.cursor) cursor = run.cursor->substr(kCacheCursor.size());
    auto page = deps.runs.cached_followers(run.account_id, cursor, std::min(settings.page_size, cap - walked),
                                           seen_since);
    if (!page) return page.error();
    std::optional<std::string> next;
    if (page->next_cursor) next = std::string(kCacheCursor) + *page->next_cursor;
    const auto size = static_cast<int>(page->followers.size());
    auto added = deps.runs.save_page(run, owner, score_page(std::move(page->followers), *matcher), next, 0,
                                     settings.lease);
    if (!added) return added.error();
    total += *added;
    walked += size;
    run.cursor = next;
    if (!next) break;
    if (stop.stop_requested()) {
      return deps.runs.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.runs.succeed(run.id, owner, progress(deps, "done", summary(total)));
}

/// Walks the followers page by page until the cap, the last page, or (after the first
/// sync) a page with known followers: X lists followers newest first, so the rest is known.
/// On a first sync, which walks to the cap anyway, the next page is fetched and classified
/// while the current one is saved; later syncs never fetch a page they may not need.
Result<void> sync_followers(SyncDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop) {
  const auto& owner = settings.owner;
  const bool reusing = run.cursor && run.cursor->starts_with(kCacheCursor);
  if (reusing || (!run.cursor && run.followers_walked == 0)) {
    auto walked_at = deps.runs.recent_walk(run.account_id, run.stream_id, deps.clock.now() - kWalkReuseWindow);
    if (!walked_at) return walked_at.error();
    if (*walked_at || reusing) return reuse_recent_walk(deps, settings, run, stop, *walked_at);
  }
  auto account = look_up_account(deps, settings, run);
  if (!account) return settle_failure(deps, settings, run, account.error());
  const auto user_id = run.x_user_id;
  // The same count as at this pair's last sync: most likely nobody followed since (equal
  // follows and unfollows would hide them until the count moves), so no follower call.
  if (!run.first_sync && !run.cursor && account->follower_count && account->follower_count == run.last_follower_count) {
    if (auto logged = deps.runs.log_progress(run.id, owner, progress(deps, "fetch_followers",
            "@" + run.handle + " still has " + std::to_string(*account->follower_count) +
                " followers, as at the last sync: nothing to fetch"));
        !logged) {
      return logged;
    }
    return deps.runs.succeed(run.id, owner, progress(deps, "done", summary(RunCounters{})));
  }
  if (auto logged = deps.runs.log_progress(run.id, owner, progress(deps, "fetch_followers", "Fetching followers of @" + run.handle));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  const int cap = limits_of(run.tier).follower_cap_per_sync;
  const auto wanted_after = [&](int walked) { return std::min(settings.page_size, cap - walked); };
  RunCounters total;
  int walked = run.followers_walked;
  auto next = walked < cap ? read_page(deps, *user_id, *matcher, run.cursor, wanted_after(walked))
                           : Result<ScoredPage>(ScoredPage{});
  for (;;) {
    if (!next) return settle_failure(deps, settings, run, next.error());
    auto page = std::move(*next);
    const auto size = static_cast<int>(page.followers.size());
    const bool more = page.next_cursor && size > 0 && walked + size < cap;
    std::future<Result<ScoredPage>> ahead;
    if (more && run.first_sync && !page.resume_at) {
      ahead = std::async(std::launch::async, read_page, deps, *user_id, std::ref(*matcher), page.next_cursor,
                         wanted_after(walked + size));
    }
    auto added = deps.runs.save_page(run, owner, page.followers, page.next_cursor, page.api_calls, settings.lease);
    if (!added) return added.error();
    total += *added;
    walked += size;
    run.cursor = page.next_cursor;
    if (!more) break;
    // Newest first: once a page holds a follower this pair already processed, the rest
    // of the list is known too.
    if (!run.first_sync && added->new_followers < added->followers_walked) break;
    if (page.resume_at) {
      return settle_failure(deps, settings, run,
                            Error{ErrorCode::kRateLimited, "the follower source's rate limit window is used up", {}, {}, {},
                                  std::chrono::ceil<std::chrono::seconds>(*page.resume_at - deps.clock.now())});
    }
    if (stop.stop_requested()) {  // between pages: the next process resumes from the saved cursor
      return deps.runs.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
    next = ahead.valid() ? ahead.get() : read_page(deps, *user_id, *matcher, run.cursor, wanted_after(walked));
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.runs.succeed(run.id, owner, progress(deps, "done", summary(total)));
}

/// Re-classifies the account's cached followers against the run's segment, page by page.
Result<void> retest_followers(SyncDeps deps, const WorkerSettings& settings, ClaimedRun& run, std::stop_token stop) {
  const auto& owner = settings.owner;
  if (auto logged = deps.runs.log_progress(run.id, owner, progress(deps, "classify",
          "Re-testing the cached followers of @" + run.handle));
      !logged) {
    return logged;
  }
  const auto matcher = deps.classifier.prepare(run.segments);
  RunCounters total;
  for (;;) {
    auto page = deps.runs.cached_followers(run.account_id, run.cursor, settings.page_size);
    if (!page) return page.error();
    auto added = deps.runs.save_retest_page(run, owner, score_page(std::move(page->followers), *matcher),
                                            page->next_cursor, settings.lease);
    if (!added) return added.error();
    total += *added;
    run.cursor = page->next_cursor;
    if (!run.cursor) break;
    if (stop.stop_requested()) {
      return deps.runs.retry_later(run.id, owner, "interrupted by shutdown", deps.clock.now(), false);
    }
  }
  if (auto logged = log_summary(deps, run, owner, total); !logged) return logged;
  return deps.runs.succeed(run.id, owner, progress(deps, "done", summary(total)));
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

/// kNotFound unless the stream is the team's.
Result<void> require_stream(SyncDeps deps, TeamId team, StreamId id) {
  return deps.campaigns.transact([&](CampaignStore& store) -> Result<void> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    return {};
  });
}

/// Renews a claimed run's lease every third of it, from its own thread, until destroyed:
/// pages renew it too, but one slow page (X timing out and retried, a save waiting on
/// locks) must not let another process claim a run that is alive. A renewal that fails
/// ends the heartbeat; the run's next write finds out why.
class LeaseHeartbeat {
 public:
  LeaseHeartbeat(RunStore& runs, RunId run, const WorkerSettings& settings)
      : thread_([&runs, run, owner = settings.owner, lease = settings.lease](std::stop_token stop) {
          const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(lease) / 3;
          std::mutex mutex;
          std::condition_variable_any wake;
          std::unique_lock lock(mutex);
          for (;;) {
            wake.wait_for(lock, stop, period, [] { return false; });
            if (stop.stop_requested()) return;
            try {
              if (!runs.renew_lease(run, owner, lease)) return;
            } catch (const std::exception&) {
              return;  // a thread of its own must not throw; the run's next write will fail and say why
            }
          }
        }) {}

 private:
  std::jthread thread_;  // stopped and joined on destruction
};

}  // namespace

Result<RunRequested> request_run(SyncDeps deps, TeamId team, StreamId stream_id, RunSource source) {
  auto found = read_stream_accounts(deps, team, stream_id);
  if (!found) return found.error();
  if (found->stream.is_archived) {
    return Error{ErrorCode::kInvalidRequest, "This stream is archived: restore it before running it.", {}, "stream_archived"};
  }
  RunRequested out;
  for (const auto& account : found->accounts) {
    auto reason = skip_reason(deps, stream_id, account);
    if (!reason) return reason.error();
    if (*reason) {
      out.skipped.push_back({account.id, std::move(**reason)});
      continue;
    }
    auto queued = deps.runs.enqueue(RunOrder{team, stream_id, account.id, source, RunMode::kSync, std::nullopt});
    if (!queued) return queued.error();
    if (*queued) {
      out.queued.push_back({account.id, **queued});
    } else {
      out.skipped.push_back({account.id, "run_in_progress"});  // lost a race with another request
    }
  }
  return out;
}

namespace {

struct RetestView {
  Stream stream;
  std::map<AccountId, TrackedAccount> accounts;
  bool free_tier = false;
  std::map<AccountId, RunUsage> usage;
};

Result<RetestView> read_retest_view(SyncDeps deps, TeamId team, StreamId id) {
  return in_transaction<RetestView>(deps.campaigns, [&](CampaignStore& store) -> Result<RetestView> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    RetestView view{std::move(**stream), {}, false, {}};
    for (const auto& pair : view.stream.pairs) {
      if (view.accounts.contains(pair.account_id)) continue;
      auto account = store.account(team, pair.account_id);
      if (!account) return account.error();
      if (*account) view.accounts.emplace(pair.account_id, std::move(**account));
    }
    if (auto subscribed = require_active_subscription(store, team); !subscribed) {
      if (subscribed.error().code != ErrorCode::kForbidden) return subscribed.error();
      view.free_tier = true;
    }
    const auto now = deps.clock.now();
    auto usage = store.run_usage(team, std::chrono::floor<std::chrono::days>(now), billing_period_start(now));
    if (!usage) return usage.error();
    view.usage = std::move(*usage);
    return view;
  });
}

}  // namespace

Result<RetestRequested> request_retest(SyncDeps deps, TeamId team, StreamId stream_id, RetestScope scope) {
  auto view = read_retest_view(deps, team, stream_id);
  if (!view) return view.error();
  if (view->stream.is_archived) {
    return Error{ErrorCode::kInvalidRequest, "This stream is archived: restore it before re-testing it.", {},
                 "stream_archived"};
  }
  RetestRequested out;
  bool any_in_scope = false;
  for (const auto& pair : view->stream.pairs) {
    if ((scope.account_id && pair.account_id != *scope.account_id) ||
        (scope.segment_id && pair.segment_id != *scope.segment_id)) {
      continue;
    }
    any_in_scope = true;
    const auto account = view->accounts.find(pair.account_id);
    if (account == view->accounts.end()) continue;
    auto& used = view->usage[pair.account_id].retests_this_period;
    std::string reason;
    if (view->free_tier) {
      reason = "free_tier";
    } else if (!account->second.is_active) {
      reason = "account_sleeping";
    } else if (used >= limits_of(account->second.tier).monthly_retests) {
      reason = "budget_exhausted";
    }
    if (!reason.empty()) {
      out.skipped.push_back({pair.pair_id, pair.account_id, std::move(reason)});
      continue;
    }
    auto queued = deps.runs.enqueue(
        RunOrder{team, stream_id, pair.account_id, RunSource::kManual, RunMode::kRetest, std::nullopt, pair.segment_id});
    if (!queued) return queued.error();
    if (*queued) {
      ++used;  // the next pair of the same account sees this one spent
      out.queued.push_back({pair.pair_id, pair.account_id, pair.segment_id, **queued});
    }
  }
  if (!any_in_scope) {
    return Error{ErrorCode::kInvalidRequest, "No pair of this stream matches accountId and segmentId.",
                 {{"accountId", "no pair of the stream has this account and segment"}}};
  }
  return out;
}

std::vector<ScoredFollower> score_page(std::vector<FollowerProfile> followers, ProfileMatcher& matcher) {
  std::vector<ScoredFollower> scored;
  scored.reserve(followers.size());
  for (auto& profile : followers) {
    ScoredFollower follower{std::move(profile), false, {}};
    follower.passed_filter = passes_bot_filter(follower.profile);
    if (follower.passed_filter) follower.matches = matcher.matches(follower.profile);
    scored.push_back(std::move(follower));
  }
  return scored;
}

Result<bool> work_next_run(SyncDeps deps, const WorkerSettings& settings, std::stop_token stop) {
  auto claimed = deps.runs.claim(settings.owner, settings.lease);
  if (!claimed) return claimed.error();
  if (!*claimed) return false;
  auto& run = **claimed;
  const LeaseHeartbeat heartbeat(deps.runs, run.id, settings);
  const auto reason = obstacle(run, settings);
  auto done = reason                         ? deps.runs.fail(run.id, settings.owner, *reason)
              : run.mode == RunMode::kRetest ? retest_followers(deps, settings, run, stop)
                                             : sync_followers(deps, settings, run, stop);
  // A lost lease means another process holds the run now: nothing of ours to record.
  if (!done && done.error().code != ErrorCode::kConflict) return done.error();
  return true;
}

Result<RunList> list_runs(SyncDeps deps, const RunQuery& query) {
  if (query.stream_id) {
    if (auto found = require_stream(deps, query.team_id, *query.stream_id); !found) return found.error();
  }
  return deps.runs.runs(query);
}

Result<Run> get_run(SyncDeps deps, TeamId team, RunId id, std::optional<StreamId> stream) {
  auto run = deps.runs.run(team, id);
  if (!run) return run.error();
  if (!*run || (stream && (*run)->stream_id != *stream)) return not_found("run");
  return std::move(**run);
}

Result<LeadList> list_leads(SyncDeps deps, const LeadQuery& query) {
  if (query.stream_id) {
    if (auto found = require_stream(deps, query.team_id, *query.stream_id); !found) return found.error();
  }
  return deps.runs.leads(query);
}

}  // namespace leadstream::domain
