#pragma once

#include <optional>
#include <string_view>

#include "domain/model/team.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Teams, the tenants. Blocking; thread-safe. kUnavailable when the store is unreachable.
class TeamRepository {
 public:
  virtual ~TeamRepository() = default;
  /// kConflict when a team of that name exists. `email` is its contact address, or empty.
  virtual Result<Team> create(std::string_view name, std::string_view email) = 0;
  /// kNotFound for an unknown team.
  virtual Result<void> set_email(TeamId team, std::string_view email) = 0;
  virtual Result<std::optional<Team>> find(TeamId id) = 0;
  virtual Result<std::optional<Team>> find_by_name(std::string_view name) = 0;
  /// Bills the team through Stripe from now on; nullopt returns it to the embedded ledger.
  /// Every tier's pending quantity is settled again against the new target.
  virtual Result<void> set_billing(TeamId team, const std::optional<StripeBilling>& billing) = 0;
  /// Puts the team on the free plan (billed by no one; see kFreePlan). set_billing leaves it.
  virtual Result<void> set_free_plan(TeamId team) = 0;
};

}  // namespace leadstream::domain
