#include "daemon/workers/run_worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <future>

namespace leadstream::daemon {
namespace {

/// Renews a claimed run's lease every third of it, from its own thread, until destroyed:
/// pages renew it too, but one slow page (X timing out and retried, a save waiting on
/// locks) must not let another process claim a run that is alive. A renewal that fails
/// ends the heartbeat; the run's next write finds out why.
class LeaseHeartbeat {
 public:
  LeaseHeartbeat(domain::RunQueue& queue, domain::RunId run, const domain::WorkerSettings& settings)
      : thread_([&queue, run, owner = settings.owner, lease = settings.lease](std::stop_token stop) {
          const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(lease) / 3;
          std::mutex mutex;
          std::condition_variable_any wake;
          std::unique_lock lock(mutex);
          for (;;) {
            wake.wait_for(lock, stop, period, [] { return false; });
            if (stop.stop_requested()) return;
            try {
              if (!queue.renew_lease(run, owner, lease)) return;
            } catch (const std::exception&) {
              return;  // a thread of its own must not throw; the run's next write will fail and say why
            }
          }
        }) {}

 private:
  std::jthread thread_;  // stopped and joined on destruction
};

/// The source of a full walk (a first sync, or one due now and then): while the engine
/// saves a page, the next one is already on its way. A full walk goes to its cap or the
/// last page whatever it finds, so no call is spent on a page it will not use; other
/// syncs stop at known followers and are left to fetch page by page.
class PrefetchingSource final : public domain::FollowerSource {
 public:
  PrefetchingSource(domain::FollowerSource& source, const domain::WorkerSettings& settings,
                    const domain::ClaimedRun& run)
      : source_(source), settings_(settings), run_(run), walked_(run.followers_walked) {}

  // domain::FollowerSource
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override { return source_.resolve(handle); }
  domain::Result<domain::FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                                 int max_results) override {
    auto page = ahead_.valid() && ahead_user_ == x_user_id && ahead_cursor_ == cursor && ahead_max_ == max_results
                    ? ahead_.get()
                    : source_.followers(x_user_id, cursor, max_results);
    if (!page) return page;
    walked_ += static_cast<int>(page->followers.size());
    const int wanted = domain::page_wanted(settings_, run_, walked_);
    if (page->next_cursor && !page->followers.empty() && !page->resume_at && wanted > 0) {
      ahead_user_ = x_user_id;
      ahead_cursor_ = page->next_cursor;
      ahead_max_ = wanted;
      ahead_ = std::async(std::launch::async, [this, cursor = page->next_cursor, x_user_id, wanted] {
        return source_.followers(x_user_id, cursor, wanted);
      });
    }
    return page;
  }

 private:
  domain::FollowerSource& source_;
  const domain::WorkerSettings& settings_;
  const domain::ClaimedRun& run_;
  int walked_;
  std::string ahead_user_;
  std::optional<std::string> ahead_cursor_;
  int ahead_max_ = 0;
  std::future<domain::Result<domain::FollowerPage>> ahead_;  // waited for on destruction
};

}  // namespace

domain::Result<bool> work_next_run(const domain::EngineDeps& deps, const domain::WorkerSettings& settings,
                                   std::stop_token stop) {
  auto claimed = deps.queue.claim(settings.owner, settings.lease);
  if (!claimed) return claimed.error();
  if (!*claimed) return false;
  auto& run = **claimed;
  const LeaseHeartbeat heartbeat(deps.queue, run.id, settings);
  PrefetchingSource prefetching(deps.source, settings, run);
  const bool full_walk = run.mode == domain::RunMode::kSync && domain::walks_fully(settings, run, deps.clock.now());
  const domain::EngineDeps engine{deps.queue,      deps.cache, full_walk ? prefetching : deps.source,
                                  deps.classifier, deps.clock, deps.unit_random,
                                  deps.enrich};
  auto done = domain::carry_out(engine, settings, run, stop);
  // A lost lease means another process holds the run now: nothing of ours to record.
  if (!done && done.error().code != domain::ErrorCode::kConflict) return done.error();
  return true;
}

RunWorker::RunWorker(domain::EngineDeps deps, std::string database_url, int threads,
                     std::chrono::milliseconds poll_interval, domain::WorkerSettings settings)
    : deps_(std::move(deps)),
      settings_(std::move(settings)),
      owner_prefix_(process_owner()),
      loop_("run worker", std::move(database_url), "sync_runs", threads, poll_interval,
            [this](int index, std::stop_token stop) { return work(index, stop); }) {}

void RunWorker::start() { loop_.start(); }

void RunWorker::stop() { loop_.stop(); }

bool RunWorker::work(int index, std::stop_token stop) {
  // Each thread holds its own leases: a run that one thread lost must not be written by another.
  auto settings = settings_;
  settings.owner = owner_prefix_ + "/" + std::to_string(index);
  const auto result = work_next_run(deps_, settings, stop);
  if (!result) spdlog::warn("run worker: {}", result.error().message);
  return result && *result;
}

}  // namespace leadstream::daemon
