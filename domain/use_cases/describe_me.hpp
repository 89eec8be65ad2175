#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/model/api_key.hpp"
#include "domain/model/team.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/team_repository.hpp"
#include "domain/result.hpp"
#include "domain/rules/ttl_cache.hpp"

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

/// kInvalidApiKey when the caller's team no longer exists.
Result<Me> describe_me(DescribeMeDeps deps, const Principal& caller);

/// describe_me with each team's part of the answer kept for `ttl`: integrations poll /me
/// to check their key, and a poll served from memory needs no query. Changes made
/// elsewhere show within `ttl`. Thread-safe.
class CachedMe {
 public:
  CachedMe(DescribeMeDeps deps, const Clock& clock, std::chrono::milliseconds ttl)
      : deps_(deps), clock_(clock), cache_(ttl, kMaxCachedTeams) {}

  /// Blocks on the stores when the team is not cached.
  Result<Me> describe(const Principal& caller);
  /// Never blocks: nullopt when the answer needs the stores.
  std::optional<Me> describe_cached(const Principal& caller);

 private:
  static constexpr std::size_t kMaxCachedTeams = 100'000;

  DescribeMeDeps deps_;
  const Clock& clock_;
  TtlCache<TeamId, Me> cache_;
};

}  // namespace leadstream::domain
