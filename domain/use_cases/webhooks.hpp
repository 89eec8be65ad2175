#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "domain/model/webhook.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/ports/webhook_sender.hpp"
#include "domain/ports/webhook_store.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct WebhookDeps {
  WebhookStore& store;
  Secrets& secrets;
  const Clock& clock;
};

/// POST /webhooks/subscribe, with a URL the API checked: a new subscription gets a signing
/// secret (shown once, stored sealed); the same URL again updates the filter and keeps
/// the secret.
Result<Subscribed> subscribe_webhook(WebhookDeps deps, TeamId team, const std::string& url,
                                     const WebhookFilter& filter);
/// DELETE /webhooks/subscribe: kNotFound for an id the team does not have.
Result<void> unsubscribe_webhook(WebhookDeps deps, TeamId team, WebhookId id);
/// POST /webhooks/{id}/test: queues a `webhook.test` delivery. kNotFound as above.
Result<DeliveryId> test_webhook(WebhookDeps deps, TeamId team, WebhookId id);

struct DeliveryDeps {
  WebhookStore& store;
  Secrets& secrets;
  WebhookSender& sender;
  WebhookPayloads& payloads;
  const Clock& clock;
  std::function<double()> unit_random;  // [0, 1), for retry jitter
};

struct DeliverySettings {
  std::string owner;  // who holds the leases: unique per thread
  std::chrono::seconds lease{60};
  int batch = 100;
  /// 16 attempts with delivery_backoff span about a day before a delivery is failed.
  int max_attempts = 16;
};

/// Claims a batch of due deliveries, POSTs them together and records how each went: 2xx
/// delivered; 410 unsubscribes (the subscription is disabled); anything else, no answer and
/// redirects are retried after delivery_backoff, then failed after the last attempt.
/// Returns how many were attempted (0: nothing was due).
Result<int> deliver_due(DeliveryDeps deps, const DeliverySettings& settings);

/// The wait after the `attempts`th failed attempt: 5 s doubling up to 4 h, ±25% jitter.
std::chrono::milliseconds delivery_backoff(int attempts, double unit_random);

}  // namespace leadstream::domain
