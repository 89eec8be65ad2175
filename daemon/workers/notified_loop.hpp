#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace leadstream::daemon {

/// host:pid:random, so that lease owners never collide across machines or restarts.
std::string process_owner();

/// The shape of a queue's workers: threads that each call `step` while it finds work,
/// and otherwise sleep until PostgreSQL notifies `channel` (LISTEN) or `poll_interval`
/// passes; polling also picks up retries that came due and leases that expired in a dead
/// process. A step that throws is logged under `name`, and the loop goes on.
class NotifiedLoop {
 public:
  /// Does one unit of work for thread `index`; true when it found some.
  using Step = std::function<bool(int index, std::stop_token stop)>;

  NotifiedLoop(std::string name, std::string database_url, std::string channel, int threads,
               std::chrono::milliseconds poll_interval, Step step);
  ~NotifiedLoop();
  NotifiedLoop(const NotifiedLoop&) = delete;
  NotifiedLoop& operator=(const NotifiedLoop&) = delete;

  void start();
  /// Asks every thread to stop, without waiting.
  void request_stop();
  /// Asks every thread to stop and joins them: a step under way finishes first.
  void stop();

 private:
  void work(int index, std::stop_token stop);
  void listen(std::stop_token stop);

  std::string name_;
  std::string database_url_;
  std::string channel_;
  int thread_count_;
  std::chrono::milliseconds poll_interval_;
  Step step_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::uint64_t wakeups_ = 0;  // bumped by each notification: a waiter compares it
  std::vector<std::jthread> threads_;
};

}  // namespace leadstream::daemon
