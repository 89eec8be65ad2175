#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/credit_ledger.hpp"

namespace leadstream::adapters::postgres {

class PgCreditLedger final : public domain::CreditLedger {
 public:
  explicit PgCreditLedger(ConnectionPool& pool) : pool_(pool) {}

  // domain::CreditLedger
  domain::Result<std::int64_t> grant(domain::TeamId team, std::int64_t amount, std::string_view reason) override;
  domain::Result<std::int64_t> balance(domain::TeamId team) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
