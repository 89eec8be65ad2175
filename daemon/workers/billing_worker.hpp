#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/use_cases/reconcile_billing.hpp"

namespace leadstream::daemon {

/// Runs the billing reconciler every `interval` on its own thread until stopped.
class BillingWorker {
 public:
  BillingWorker(domain::ReconcileDeps deps, std::chrono::milliseconds interval);
  ~BillingWorker();
  BillingWorker(const BillingWorker&) = delete;
  BillingWorker& operator=(const BillingWorker&) = delete;

  void start();
  /// Finishes the pass under way, then returns.
  void stop();

 private:
  void run();

  domain::ReconcileDeps deps_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadstream::daemon
