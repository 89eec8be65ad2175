#pragma once

#include <cstdint>
#include <string>

#include "domain/model/api_key.hpp"
#include "domain/model/team.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/team_repository.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Below this balance the credits are reported as low.
inline constexpr std::int64_t kLowCreditThreshold = 50;

struct Credits {
  std::int64_t balance = 0;
  std::int64_t low_balance_threshold = kLowCreditThreshold;
  bool is_low() const { return balance < low_balance_threshold; }
};

/// What GET /me reports. Tracked accounts and their budgets join with the campaigns work.
struct Me {
  Team team;
  Principal caller;
  std::string subscription_status;  // active | trialing | free_user | past_due
  Credits credits;
};

struct DescribeMeDeps {
  TeamRepository& teams;
  CreditLedger& credits;
};

Result<Me> describe_me(DescribeMeDeps deps, const Principal& caller);

}  // namespace leadstream::domain
