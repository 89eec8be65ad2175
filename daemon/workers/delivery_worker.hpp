#pragma once

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "adapters/webhooks/curl_webhook_sender.hpp"
#include "daemon/workers/notified_loop.hpp"
#include "domain/use_cases/webhooks.hpp"

namespace leadstream::daemon {

/// Threads that claim due webhook deliveries in batches and POST them, each with a libcurl
/// sender of its own (it keeps connections alive). Idle ones sleep until PostgreSQL
/// notifies new deliveries (LISTEN webhook_deliveries) or `poll_interval` passes, which
/// also picks up retries that came due and batches whose lease expired in a dead process.
class DeliveryWorker {
 public:
  DeliveryWorker(domain::WebhookStore& store, domain::Secrets& secrets, domain::WebhookPayloads& payloads,
                 const domain::Clock& clock, adapters::webhooks::WebhookSenderOptions sender, std::string database_url,
                 int threads, std::chrono::seconds lease,
                 std::chrono::milliseconds poll_interval = std::chrono::seconds{1});
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void start();
  /// Stops claiming; a batch under way is finished first.
  void request_stop() { loop_.request_stop(); }
  void stop();

 private:
  bool work(int index);

  domain::WebhookStore& store_;
  domain::Secrets& secrets_;
  domain::WebhookPayloads& payloads_;
  const domain::Clock& clock_;
  std::vector<std::unique_ptr<adapters::webhooks::CurlWebhookSender>> senders_;  // one per thread
  std::chrono::seconds lease_;
  std::string owner_prefix_;
  NotifiedLoop loop_;  // last: its threads use the members above
};

}  // namespace leadstream::daemon
