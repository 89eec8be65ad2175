#include "daemon/workers/billing_worker.hpp"

#include <spdlog/spdlog.h>

namespace leadstream::daemon {

BillingWorker::BillingWorker(domain::ReconcileDeps deps, std::chrono::milliseconds interval)
    : deps_(std::move(deps)), interval_(interval) {}

BillingWorker::~BillingWorker() { stop(); }

void BillingWorker::start() { thread_ = std::thread([this] { run(); }); }

void BillingWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BillingWorker::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      const auto report = domain::reconcile_billing(deps_);
      if (!report) {
        spdlog::warn("billing reconciliation skipped: {}", report.error().message);
      } else if (report->retrying + report->failed > 0) {
        spdlog::warn("billing: {} applied, {} to retry, {} refused", report->applied, report->retrying, report->failed);
      }
    } catch (const std::exception& error) {
      spdlog::error("billing reconciliation failed: {}", error.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace leadstream::daemon
