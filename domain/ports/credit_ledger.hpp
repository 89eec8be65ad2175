#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Credits reserved for work under way: settled for what it found, the rest released.
struct CreditHold {
  std::int64_t id = 0;
  std::int64_t amount = 0;
};

/// The most a team may be charged in a period (a monthly enrichment budget): what was
/// settled since `since` and what is held now count against `limit`.
struct SpendingCap {
  Timestamp since;
  std::int64_t limit = 0;
};

/// One move of a team's credits.
struct LedgerEntry {
  std::int64_t id = 0;
  std::string kind;  // grant | hold | release | settle
  std::int64_t delta = 0;
  std::string reason;
  std::optional<std::int64_t> hold_id;  // the hold a release or settlement closes
  Timestamp at;
};

/// A team's credits as an append-only ledger of grants, holds, releases and
/// settlements; the balance is the sum of its moves and never goes below zero.
/// Blocking; thread-safe.
class CreditLedger {
 public:
  virtual ~CreditLedger() = default;
  /// Appends a grant and returns the new balance.
  virtual Result<std::int64_t> grant(TeamId team, std::int64_t amount, std::string_view reason) = 0;
  virtual Result<std::int64_t> balance(TeamId team) = 0;
  /// Holds `amount` credits until `lease_until`. kCreditsExhausted when the balance is
  /// below it: of two holds racing for the last credits, one gets them. kBudgetExhausted
  /// when it would take the team past `cap`, checked in the same step.
  virtual Result<CreditHold> hold(TeamId team, std::int64_t amount, std::string_view reason, Timestamp lease_until,
                                  const std::optional<SpendingCap>& cap) = 0;
  /// Closes a hold: charges `cost` (at most its amount) and releases the rest; returns the
  /// new balance. kGone when it was closed already (its lease ran out and it was
  /// released): nothing is charged then.
  virtual Result<std::int64_t> settle(TeamId team, const CreditHold& hold, std::int64_t cost,
                                      std::string_view reason) = 0;
  /// Releases every hold whose lease ended before `now`; returns how many.
  virtual Result<int> release_expired(Timestamp now) = 0;
  /// The team's latest moves, newest first.
  virtual Result<std::vector<LedgerEntry>> history(TeamId team, int limit) = 0;
  /// What the team was charged (settlements) since `since` plus what it holds now: a
  /// monthly budget's use, as hold() counts it against the cap.
  virtual Result<std::int64_t> committed_since(TeamId team, Timestamp since) = 0;
};

}  // namespace leadstream::domain
