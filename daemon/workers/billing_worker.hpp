#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/ports/credit_ledger.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/reconcile_billing.hpp"

namespace leadstream::daemon {

/// On its own thread until stopped: every `interval`, applies the scheduled downgrades
/// that fell due, runs the billing reconciler and releases the credit holds whose lease
/// ran out; every `drift_interval`, the drift check.
class BillingWorker {
 public:
  BillingWorker(domain::ReconcileDeps deps, domain::CampaignDeps campaigns, domain::CreditLedger& credits,
                std::chrono::milliseconds interval, std::chrono::milliseconds drift_interval);
  ~BillingWorker();
  BillingWorker(const BillingWorker&) = delete;
  BillingWorker& operator=(const BillingWorker&) = delete;

  void start();
  /// Finishes the pass under way, then returns.
  void request_stop();
  void stop();

 private:
  void run();
  void pass(std::chrono::steady_clock::time_point& last_drift_check);

  domain::ReconcileDeps deps_;
  domain::CampaignDeps campaigns_;
  domain::CreditLedger& credits_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds drift_interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadstream::daemon
