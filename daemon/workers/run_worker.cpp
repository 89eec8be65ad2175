#include "daemon/workers/run_worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#include "adapters/postgres/pg_notification_listener.hpp"

namespace leadstream::daemon {
namespace {

/// host:pid:random, so that lease owners never collide across machines or restarts.
std::string process_owner() {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  std::random_device random;
  return std::string(host.data()) + ":" + std::to_string(getpid()) + ":" + std::to_string(random() % 100'000);
}

}  // namespace

RunWorker::RunWorker(domain::SyncDeps deps, std::string database_url, int threads,
                     std::chrono::milliseconds poll_interval, std::chrono::seconds lease)
    : deps_(std::move(deps)),
      database_url_(std::move(database_url)),
      thread_count_(threads),
      poll_interval_(poll_interval),
      lease_(lease),
      owner_prefix_(process_owner()) {}

RunWorker::~RunWorker() { stop(); }

void RunWorker::start() {
  threads_.emplace_back([this](std::stop_token stop) { listen(stop); });
  for (int index = 0; index < thread_count_; ++index) {
    threads_.emplace_back([this, index](std::stop_token stop) { work(index, stop); });
  }
}

void RunWorker::stop() {
  for (auto& thread : threads_) thread.request_stop();
  wake_.notify_all();
  threads_.clear();  // joins
}

void RunWorker::listen(std::stop_token stop) {
  adapters::postgres::PgNotificationListener listener(database_url_, "sync_runs");
  while (!stop.stop_requested()) {
    // Short waits, so that a stop is seen within a quarter second.
    if (!listener.wait(std::chrono::milliseconds{250})) continue;
    {
      std::lock_guard lock(mutex_);
      ++wakeups_;
    }
    wake_.notify_all();
  }
}

void RunWorker::work(int index, std::stop_token stop) {
  // Each thread holds its own leases: a run that one thread lost must not be written by another.
  const domain::WorkerSettings settings{.owner = owner_prefix_ + "/" + std::to_string(index), .lease = lease_};
  while (!stop.stop_requested()) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = wakeups_;
    }
    bool worked = false;
    try {
      const auto result = domain::work_next_run(deps_, settings, stop);
      if (!result) spdlog::warn("run worker: {}", result.error().message);
      worked = result && *result;
    } catch (const std::exception& error) {
      spdlog::error("run worker: {}", error.what());
    }
    if (worked) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, poll_interval_, [&] { return wakeups_ != seen; });
  }
}

}  // namespace leadstream::daemon
