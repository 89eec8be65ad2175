#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/use_cases/reconcile_billing.hpp"

namespace leadstream::daemon {

/// Runs the billing reconciler every `interval`, and the drift check every
/// `drift_interval`, on its own thread until stopped.
class BillingWorker {
 public:
  BillingWorker(domain::ReconcileDeps deps, std::chrono::milliseconds interval,
                std::chrono::milliseconds drift_interval);
  ~BillingWorker();
  BillingWorker(const BillingWorker&) = delete;
  BillingWorker& operator=(const BillingWorker&) = delete;

  void start();
  /// Finishes the pass under way, then returns.
  void stop();

 private:
  void run();
  void pass(std::chrono::steady_clock::time_point& last_drift_check);

  domain::ReconcileDeps deps_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds drift_interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadstream::daemon
