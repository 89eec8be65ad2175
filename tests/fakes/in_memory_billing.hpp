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
  domain::Result<std::vector<domain::BilledTeam>> billed_teams() override { return teams; }
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
