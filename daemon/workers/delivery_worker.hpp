#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "adapters/webhooks/curl_webhook_sender.hpp"
#include "domain/use_cases/webhooks.hpp"

namespace leadstream::daemon {

/// Threads that claim due webhook deliveries in batches and POST them, each with a libcurl
/// sender of its own. Idle ones sleep until PostgreSQL notifies new deliveries (LISTEN
/// webhook_deliveries) or `poll_interval` passes, which also picks up retries that came
/// due and batches whose lease expired in a dead process.
class DeliveryWorker {
 public:
  DeliveryWorker(domain::WebhookStore& store, domain::Secrets& secrets, domain::WebhookPayloads& payloads,
                 const domain::Clock& clock, adapters::webhooks::WebhookSenderOptions sender, std::string database_url,
                 int threads, std::chrono::seconds lease, std::chrono::milliseconds poll_interval = std::chrono::seconds{1});
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void start();
  /// Stops claiming; a batch under way is finished first.
  void stop();

 private:
  void work(int index, std::stop_token stop);
  void listen(std::stop_token stop);

  domain::WebhookStore& store_;
  domain::Secrets& secrets_;
  domain::WebhookPayloads& payloads_;
  const domain::Clock& clock_;
  adapters::webhooks::WebhookSenderOptions sender_;
  std::string database_url_;
  int thread_count_;
  std::chrono::seconds lease_;
  std::chrono::milliseconds poll_interval_;
  std::string owner_prefix_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::uint64_t wakeups_ = 0;
  std::vector<std::jthread> threads_;
};

}  // namespace leadstream::daemon
