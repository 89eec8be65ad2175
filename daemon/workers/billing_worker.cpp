#include "daemon/workers/billing_worker.hpp"

#include <spdlog/spdlog.h>

#include "domain/use_cases/accounts.hpp"

namespace leadstream::daemon {

BillingWorker::BillingWorker(domain::ReconcileDeps deps, domain::CampaignDeps campaigns, domain::CreditLedger& credits,
                             std::chrono::milliseconds interval, std::chrono::milliseconds drift_interval)
    : deps_(std::move(deps)),
      campaigns_(campaigns),
      credits_(credits),
      interval_(interval),
      drift_interval_(drift_interval) {}

BillingWorker::~BillingWorker() { stop(); }

void BillingWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void BillingWorker::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void BillingWorker::stop() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void BillingWorker::pass(std::chrono::steady_clock::time_point& last_drift_check) {
  // Downgrades first: once the period is over, Stripe's schedule has switched the
  // quantities, and a drift check against the old tiers would put them back (and charge).
  const auto downgrades = domain::apply_due_downgrades(campaigns_, deps_.clock);
  if (downgrades && *downgrades > 0) spdlog::info("billing: {} scheduled downgrade(s) applied", *downgrades);
  const auto now = std::chrono::steady_clock::now();
  // Every subscription now and then; one mapped since its last reading, at once (until
  // read, its status counts as active).
  const bool all = now - last_drift_check >= drift_interval_;
  if (all) last_drift_check = now;
  const auto corrections = domain::check_billing_drift(deps_, !all);
  if (corrections && *corrections > 0) spdlog::warn("billing: {} quantity drift(s) to correct", *corrections);
  // An enrichment whose process died holds its credits until its lease ends: then they
  // are the team's again.
  const auto released = credits_.release_expired(deps_.clock.now());
  if (released && *released > 0) spdlog::info("credits: {} expired hold(s) released", *released);
  const auto report = domain::reconcile_billing(deps_);
  if (!report) {
    spdlog::warn("billing reconciliation skipped: {}", report.error().message);
  } else if (report->retrying + report->failed > 0) {
    spdlog::warn("billing: {} applied, {} to retry, {} refused", report->applied, report->retrying, report->failed);
  }
}

void BillingWorker::run() {
  auto last_drift_check = std::chrono::steady_clock::now() - drift_interval_;  // the first pass reads all
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      pass(last_drift_check);
    } catch (const std::exception& error) {
      spdlog::error("billing reconciliation failed: {}", error.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace leadstream::daemon
