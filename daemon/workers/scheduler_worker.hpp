#pragma once

#include <chrono>
#include <string>
#include <thread>

#include "domain/use_cases/schedule_runs.hpp"

namespace leadstream::daemon {

/// Every `interval`, asks for scheduler leadership and, while this process holds it,
/// enqueues the runs that came due. Every process runs one; one of them leads.
class SchedulerWorker {
 public:
  SchedulerWorker(domain::SchedulerDeps deps, std::string database_url,
                  std::chrono::milliseconds interval = std::chrono::seconds{1});
  ~SchedulerWorker();
  SchedulerWorker(const SchedulerWorker&) = delete;
  SchedulerWorker& operator=(const SchedulerWorker&) = delete;

  void start();
  void request_stop() { thread_.request_stop(); }
  void stop();

 private:
  void run(std::stop_token stop);

  domain::SchedulerDeps deps_;
  std::string database_url_;
  std::chrono::milliseconds interval_;
  std::jthread thread_;
};

}  // namespace leadstream::daemon
