#pragma once

#include <string>

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/billing.hpp"

namespace leadstream::adapters::postgres {

/// billing_changes as the reconciler's queue: the due rows of one (team, tier) are claimed
/// (FOR UPDATE SKIP LOCKED, then marked with this outbox's owner and a lease), so processes
/// sharing the database never settle a group twice, and no transaction stays open while
/// Stripe answers.
/// Only changes effective now are settled here; period-end ones wait for the scheduled
/// phase that applies them.
class PgBillingOutbox final : public domain::BillingOutbox {
 public:
  explicit PgBillingOutbox(ConnectionPool& pool);

  // domain::BillingOutbox
  domain::Result<std::vector<std::pair<domain::TeamId, domain::Tier>>> due(domain::Timestamp now, int limit) override;
  domain::Result<void> settle(
      domain::TeamId team, domain::Tier tier, domain::Timestamp now,
      const std::function<domain::BillingOutcome(const domain::PendingBilling&)>& decide) override;
  domain::Result<std::vector<domain::TeamId>> period_end_due(domain::Timestamp now, int limit) override;
  domain::Result<void> settle_period_end(
      domain::TeamId team, domain::Timestamp now,
      const std::function<domain::PeriodEndOutcome(const domain::PendingPeriodEnd&)>& decide) override;
  domain::Result<std::vector<domain::BilledTeam>> billed_teams(bool only_unread) override;
  domain::Result<void> resettle(domain::TeamId team, domain::Tier tier, const std::string& reason) override;
  domain::Result<void> record_subscription(domain::TeamId team, const domain::SubscriptionState& state) override;

 private:
  ConnectionPool& pool_;
  std::string owner_;  // 128 random bits: whose claims these are
};

}  // namespace leadstream::adapters::postgres
