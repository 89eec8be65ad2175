#pragma once

#include <cstdint>
#include <string_view>

#include "domain/model/ids.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// A team's credits as an append-only ledger. Blocking; thread-safe.
class CreditLedger {
 public:
  virtual ~CreditLedger() = default;
  /// Appends a grant and returns the new balance.
  virtual Result<std::int64_t> grant(TeamId team, std::int64_t amount, std::string_view reason) = 0;
  virtual Result<std::int64_t> balance(TeamId team) = 0;
};

}  // namespace leadstream::domain
