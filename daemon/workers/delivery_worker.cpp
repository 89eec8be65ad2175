#include "daemon/workers/delivery_worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#include "adapters/postgres/pg_notification_listener.hpp"

namespace leadstream::daemon {
namespace {

double unit_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

DeliveryWorker::DeliveryWorker(domain::WebhookStore& store, domain::Secrets& secrets, domain::WebhookPayloads& payloads,
                               const domain::Clock& clock, adapters::webhooks::WebhookSenderOptions sender,
                               std::string database_url, int threads, std::chrono::seconds lease,
                               std::chrono::milliseconds poll_interval)
    : store_(store),
      secrets_(secrets),
      payloads_(payloads),
      clock_(clock),
      sender_(sender),
      database_url_(std::move(database_url)),
      thread_count_(threads),
      lease_(lease),
      poll_interval_(poll_interval) {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  owner_prefix_ = std::string(host.data()) + ":" + std::to_string(getpid()) + ":" +
                  std::to_string(std::random_device{}() % 100'000) + "/deliveries";
}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  threads_.emplace_back([this](std::stop_token stop) { listen(stop); });
  for (int index = 0; index < thread_count_; ++index) {
    threads_.emplace_back([this, index](std::stop_token stop) { work(index, stop); });
  }
}

void DeliveryWorker::stop() {
  for (auto& thread : threads_) thread.request_stop();
  wake_.notify_all();
  threads_.clear();
}

void DeliveryWorker::listen(std::stop_token stop) {
  adapters::postgres::PgNotificationListener listener(database_url_, "webhook_deliveries");
  while (!stop.stop_requested()) {
    if (!listener.wait(std::chrono::milliseconds{250})) continue;
    {
      std::lock_guard lock(mutex_);
      ++wakeups_;
    }
    wake_.notify_all();
  }
}

void DeliveryWorker::work(int index, std::stop_token stop) {
  adapters::webhooks::CurlWebhookSender sender(sender_);
  const domain::DeliveryDeps deps{store_, secrets_, sender, payloads_, clock_, unit_random};
  const domain::DeliverySettings settings{.owner = owner_prefix_ + "/" + std::to_string(index), .lease = lease_};
  while (!stop.stop_requested()) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = wakeups_;
    }
    int attempted = 0;
    try {
      const auto result = domain::deliver_due(deps, settings);
      if (!result) spdlog::warn("delivery worker: {}", result.error().message);
      attempted = result ? *result : 0;
    } catch (const std::exception& error) {
      spdlog::error("delivery worker: {}", error.what());
    }
    if (attempted > 0) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, poll_interval_, [&] { return wakeups_ != seen; });
  }
}

}  // namespace leadstream::daemon
