#include "daemon/workers/scheduler_worker.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>

#include "adapters/postgres/pg_scheduler_store.hpp"

namespace leadstream::daemon {

SchedulerWorker::SchedulerWorker(domain::SchedulerDeps deps, std::string database_url,
                                 std::chrono::milliseconds interval)
    : deps_(deps), database_url_(std::move(database_url)), interval_(interval) {}

SchedulerWorker::~SchedulerWorker() { stop(); }

void SchedulerWorker::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void SchedulerWorker::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void SchedulerWorker::run(std::stop_token stop) {
  adapters::postgres::PgLeadership leadership(database_url_);
  bool was_leading = false;
  auto last_prune = std::chrono::steady_clock::now() - std::chrono::hours{1};
  std::mutex mutex;
  std::condition_variable_any sleep;
  while (!stop.stop_requested()) {
    const bool leading = leadership.lead();
    if (leading != was_leading) spdlog::info(leading ? "scheduler: leading" : "scheduler: no longer leading");
    was_leading = leading;
    if (leading) {
      try {
        const auto report = domain::schedule_tick(deps_);
        if (!report) {
          spdlog::warn("scheduler: {}", report.error().message);
        } else if (report->streams_due > 0) {
          spdlog::info("scheduler: {} stream(s) due, {} run(s) queued, {} skipped (budget_exhausted), {} skipped"
                       " (account_sleeping)",
                       report->streams_due, report->runs_enqueued, report->skipped_budget_exhausted,
                       report->skipped_account_sleeping);
        }
        if (std::chrono::steady_clock::now() - last_prune >= std::chrono::hours{1}) {
          last_prune = std::chrono::steady_clock::now();
          const auto pruned = domain::prune_finished_runs(deps_);
          if (!pruned) spdlog::warn("scheduler: pruning runs: {}", pruned.error().message);
          if (pruned && *pruned > 0) spdlog::info("scheduler: {} finished run(s) pruned", *pruned);
          const auto records = domain::prune_records(deps_);
          if (!records) spdlog::warn("scheduler: pruning records: {}", records.error().message);
          if (records && *records > 0) {
            spdlog::info("scheduler: {} expired key(s) and billing change(s) pruned", *records);
          }
        }
      } catch (const std::exception& error) {
        spdlog::error("scheduler: {}", error.what());
      }
    }
    std::unique_lock lock(mutex);
    sleep.wait_for(lock, stop, interval_, [] { return false; });
  }
}

}  // namespace leadstream::daemon
