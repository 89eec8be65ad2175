#pragma once

#include <map>
#include <mutex>

#include "domain/ports/webhook_store.hpp"

namespace leadstream::fakes {

/// Subscriptions in memory, for the router's tests: deliveries are the PostgreSQL
/// adapter's to test, against a real database.
class InMemoryWebhooks final : public domain::WebhookStore {
 public:
  // domain::WebhookStore
  domain::Result<domain::Subscribed> subscribe(domain::TeamId team, const std::string& url,
                                               const domain::WebhookFilter& filter,
                                               const std::string& secret) override {
    std::lock_guard lock(mutex_);
    for (auto& [id, s] : subscriptions_) {
      if (s.first == team && s.second.target_url == url) {
        s.second.filter = filter;
        return domain::Subscribed{domain::WebhookId{id}, false, std::nullopt};
      }
    }
    const auto id = static_cast<std::int64_t>(subscriptions_.size()) + 1;
    subscriptions_[id] = {
        team, domain::WebhookSubscription{.id = domain::WebhookId{id}, .target_url = url, .filter = filter}};
    return domain::Subscribed{domain::WebhookId{id}, true, secret};
  }
  domain::Result<bool> unsubscribe(domain::TeamId team, domain::WebhookId id) override {
    std::lock_guard lock(mutex_);
    const auto found = subscriptions_.find(id.value);
    if (found == subscriptions_.end() || found->second.first != team) return false;
    subscriptions_.erase(found);
    return true;
  }
  domain::Result<std::vector<domain::WebhookSubscription>> subscriptions(domain::TeamId team) override {
    std::lock_guard lock(mutex_);
    std::vector<domain::WebhookSubscription> out;
    for (const auto& [id, s] : subscriptions_) {
      if (s.first == team) out.push_back(s.second);
    }
    return out;
  }
  domain::Result<std::optional<domain::WebhookSubscription>> subscription(domain::TeamId team,
                                                                          domain::WebhookId id) override {
    std::lock_guard lock(mutex_);
    const auto found = subscriptions_.find(id.value);
    if (found == subscriptions_.end() || found->second.first != team)
      return std::optional<domain::WebhookSubscription>();
    return std::optional<domain::WebhookSubscription>(found->second.second);
  }
  domain::Result<std::vector<domain::DeliveryRecord>> deliveries(domain::TeamId, domain::WebhookId, int) override {
    return std::vector<domain::DeliveryRecord>{};
  }
  domain::Result<domain::DeliveryId> queue_test(domain::TeamId, domain::WebhookId, const std::string&) override {
    return domain::DeliveryId{1};
  }
  domain::Result<std::vector<domain::Delivery>> claim(std::string_view, std::chrono::seconds, int) override {
    return std::vector<domain::Delivery>{};
  }
  domain::Result<void> record(std::string_view, const std::vector<domain::DeliveryAttempt>&) override { return {}; }

 private:
  std::mutex mutex_;
  std::map<std::int64_t, std::pair<domain::TeamId, domain::WebhookSubscription>> subscriptions_;
};

}  // namespace leadstream::fakes
