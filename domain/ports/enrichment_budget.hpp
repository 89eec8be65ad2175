#pragma once

#include <optional>

#include "domain/model/ids.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What a team may spend on enrichment in the current billing period. Thread-safe.
class EnrichmentBudget {
 public:
  virtual ~EnrichmentBudget() = default;
  /// The team's cap now; nullopt for none.
  virtual Result<std::optional<SpendingCap>> cap(TeamId team) = 0;
};

}  // namespace leadstream::domain
