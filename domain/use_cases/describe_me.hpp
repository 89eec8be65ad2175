#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/model/api_key.hpp"
#include "domain/model/campaign.hpp"
#include "domain/model/team.hpp"
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/team_repository.hpp"
#include "domain/result.hpp"
#include "domain/rules/ttl_cache.hpp"

namespace leadstream::domain {

/// How many of the latest credit moves /me shows.
inline constexpr int kRecentCreditMoves = 10;
/// Below this balance the credits are reported as low.
inline constexpr std::int64_t kLowCreditThreshold = 50;

struct Credits {
  std::int64_t balance = 0;
  std::int64_t low_balance_threshold = kLowCreditThreshold;
  bool is_low() const { return balance < low_balance_threshold; }
  std::vector<LedgerEntry> recent;             // the latest moves, newest first
  std::int64_t monthly_enrichment_budget = 0;  // this billing period's, in credits
  std::int64_t enrichment_committed = 0;       // of it, charged so far and held now
  Timestamp budget_period_start;
};

struct Budget {
  int used = 0;
  int limit = 0;
  int remaining() const { return limit > used ? limit - used : 0; }
};

/// An active account's budgets from its tier, and how much of them its runs used.
struct AccountBudget {
  AccountId account_id;
  std::string handle;
  Tier tier = Tier::kStarter;
  Budget monthly_retests;
  Timestamp billing_period_start;
  Budget daily_syncs;
};

/// What GET /me reports.
struct Me {
  Team team;
  Principal caller;
  std::string subscription_status;  // active | trialing | free_user | past_due
  Credits credits;
  std::vector<AccountBudget> accounts;
};

struct DescribeMeDeps {
  TeamRepository& teams;
  CreditLedger& credits;
  CampaignTransactions& campaigns;
  const Clock& clock;
};

/// kInvalidApiKey when the caller's team no longer exists.
Result<Me> describe_me(DescribeMeDeps deps, const Principal& caller);

/// describe_me with each team's part of the answer kept for `ttl`: integrations poll /me
/// to check their key, and a poll served from memory needs no query. Changes made
/// elsewhere show within `ttl`. Thread-safe.
class CachedMe {
 public:
  CachedMe(DescribeMeDeps deps, std::chrono::milliseconds ttl) : deps_(deps), cache_(ttl, kMaxCachedTeams) {}

  /// Blocks on the stores when the team is not cached.
  Result<Me> describe(const Principal& caller);
  /// Never blocks: nullopt when the answer needs the stores.
  std::optional<Me> describe_cached(const Principal& caller);
  /// Drops the team's cached answer: after a change made through this process.
  void forget(TeamId team);

 private:
  static constexpr std::size_t kMaxCachedTeams = 100'000;

  DescribeMeDeps deps_;
  TtlCache<TeamId, Me> cache_;
};

}  // namespace leadstream::domain
