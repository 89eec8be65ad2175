#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/ports/billing.hpp"

namespace leadstream::fakes {

/// Records every update; answers `answer` when set, success otherwise.
class RecordingGateway final : public domain::BillingGateway {
 public:
  // domain::BillingGateway
  domain::Result<void> set_quantity(const domain::QuantityUpdate& update) override {
    updates.push_back(update);
    if (answer) return *answer;
    return {};
  }
  domain::Result<domain::SubscriptionState> subscription(const std::string&) override {
    return domain::SubscriptionState{status, quantities, std::nullopt};
  }
  domain::Result<std::string> schedule_period_end(const domain::PeriodEndChange& change) override {
    schedules.push_back(change);
    if (answer) return *answer;
    return change.schedule_id.value_or("sub_sched_1");
  }
  domain::Result<void> release_schedule(const std::string& schedule_id, const std::string&) override {
    released.push_back(schedule_id);
    if (answer) return *answer;
    return {};
  }
  std::vector<domain::PeriodEndChange> schedules;
  std::vector<std::string> released;
  std::map<std::string, int> quantities;
  std::string status = "active";
  std::vector<domain::QuantityUpdate> updates;
  std::optional<domain::Error> answer;
};

/// Settles nothing by itself; serves the teams it is given to the drift check.
class ScriptedOutbox final : public domain::BillingOutbox {
 public:
  // domain::BillingOutbox
  domain::Result<std::vector<std::pair<domain::TeamId, domain::Tier>>> due(domain::Timestamp, int) override {
    return std::vector<std::pair<domain::TeamId, domain::Tier>>{};
  }
  domain::Result<void> settle(domain::TeamId, domain::Tier, domain::Timestamp,
                              const std::function<domain::BillingOutcome(const domain::PendingBilling&)>&) override {
    return {};
  }
  domain::Result<std::vector<domain::TeamId>> period_end_due(domain::Timestamp, int) override {
    return std::vector<domain::TeamId>{};
  }
  domain::Result<void> settle_period_end(
      domain::TeamId, domain::Timestamp,
      const std::function<domain::PeriodEndOutcome(const domain::PendingPeriodEnd&)>&) override {
    return {};
  }
  domain::Result<std::vector<domain::BilledTeam>> billed_teams(bool) override { return teams; }
  domain::Result<void> resettle(domain::TeamId team, domain::Tier tier, const std::string&) override {
    resettled.emplace_back(team, tier);
    return {};
  }
  domain::Result<void> record_subscription(domain::TeamId, const domain::SubscriptionState& state) override {
    statuses.push_back(state.status);
    return {};
  }
  std::vector<domain::BilledTeam> teams;
  std::vector<std::string> statuses;
  std::vector<std::pair<domain::TeamId, domain::Tier>> resettled;
};

}  // namespace leadstream::fakes
