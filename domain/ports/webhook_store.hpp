#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "domain/model/webhook.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Webhook subscriptions and their delivery outbox. Deliveries are written in the
/// transaction of the change that causes them (a run's success, a feedback), claimed in
/// batches under a lease, and their attempts recorded fenced by the lease owner.
/// Blocking; thread-safe.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  /// Creates the team's subscription to `url` with `sealed_secret`, or updates the filter
  /// of the one it has (keeping its secret, and enabling it again). `secret` unset.
  virtual Result<Subscribed> subscribe(TeamId team, const std::string& url, const WebhookFilter& filter,
                                       const std::string& secret) = 0;
  /// false when the team has no such subscription.
  virtual Result<bool> unsubscribe(TeamId team, WebhookId id) = 0;
  virtual Result<std::vector<WebhookSubscription>> subscriptions(TeamId team) = 0;
  virtual Result<std::optional<WebhookSubscription>> subscription(TeamId team, WebhookId id) = 0;
  virtual Result<std::vector<DeliveryRecord>> deliveries(TeamId team, WebhookId id, int limit) = 0;
  /// Queues a `webhook.test` delivery with `body` to the subscription.
  virtual Result<DeliveryId> queue_test(TeamId team, WebhookId id, const std::string& body) = 0;

  /// Up to `limit` due deliveries of active subscriptions, leased to `owner`.
  virtual Result<std::vector<Delivery>> claim(std::string_view owner, std::chrono::seconds lease, int limit) = 0;
  /// The attempts' outcomes, in one transaction; those whose lease `owner` lost are skipped.
  virtual Result<void> record(std::string_view owner, const std::vector<DeliveryAttempt>& attempts) = 0;
};

}  // namespace leadstream::domain
