#include "daemon/workers/notified_loop.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <random>

#include "adapters/postgres/pg_notification_listener.hpp"

namespace leadstream::daemon {

// 128 random bits: two processes (a restart reusing a pid, a container's host name) must
// never hold each other's leases.
std::string process_owner() {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  std::random_device random;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    std::array<char, 9> word{};
    std::snprintf(word.data(), word.size(), "%08x", static_cast<unsigned>(random()));
    token += word.data();
  }
  return std::string(host.data()) + ":" + std::to_string(getpid()) + ":" + token;
}

NotifiedLoop::NotifiedLoop(std::string name, std::string database_url, std::string channel, int threads,
                           std::chrono::milliseconds poll_interval, Step step)
    : name_(std::move(name)),
      database_url_(std::move(database_url)),
      channel_(std::move(channel)),
      thread_count_(threads),
      poll_interval_(poll_interval),
      step_(std::move(step)) {}

NotifiedLoop::~NotifiedLoop() { stop(); }

void NotifiedLoop::start() {
  threads_.emplace_back([this](std::stop_token stop) { listen(stop); });
  for (int index = 0; index < thread_count_; ++index) {
    threads_.emplace_back([this, index](std::stop_token stop) { work(index, stop); });
  }
}

void NotifiedLoop::request_stop() {
  for (auto& thread : threads_) thread.request_stop();
  wake_.notify_all();
}

void NotifiedLoop::stop() {
  request_stop();
  threads_.clear();  // joins
}

void NotifiedLoop::listen(std::stop_token stop) {
  adapters::postgres::PgNotificationListener listener(database_url_, channel_);
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

void NotifiedLoop::work(int index, std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = wakeups_;
    }
    bool worked = false;
    try {
      worked = step_(index, stop);
    } catch (const std::exception& error) {
      spdlog::error("{}: {}", name_, error.what());
    }
    if (worked) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, poll_interval_, [&] { return wakeups_ != seen; });
  }
}

}  // namespace leadstream::daemon
