#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/webhook_store.hpp"

namespace leadstream::adapters::postgres {

/// Webhook subscriptions and the delivery outbox in PostgreSQL.
class PgWebhookStore final : public domain::WebhookStore {
 public:
  explicit PgWebhookStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::WebhookStore
  domain::Result<domain::Subscribed> subscribe(domain::TeamId team, const std::string& url,
                                               const domain::WebhookFilter& filter, const std::string& secret) override;
  domain::Result<bool> unsubscribe(domain::TeamId team, domain::WebhookId id) override;
  domain::Result<std::vector<domain::WebhookSubscription>> subscriptions(domain::TeamId team) override;
  domain::Result<std::optional<domain::WebhookSubscription>> subscription(domain::TeamId team,
                                                                          domain::WebhookId id) override;
  domain::Result<std::vector<domain::DeliveryRecord>> deliveries(domain::TeamId team, domain::WebhookId id,
                                                                 int limit) override;
  domain::Result<domain::DeliveryId> queue_test(domain::TeamId team, domain::WebhookId id,
                                                const std::string& body) override;
  domain::Result<std::vector<domain::Delivery>> claim(std::string_view owner, std::chrono::seconds lease,
                                                      int limit) override;
  domain::Result<void> record(std::string_view owner, const std::vector<domain::DeliveryAttempt>& attempts) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
