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
  domain::Result<domain::CreditHold> hold(domain::TeamId team, std::int64_t amount, std::string_view reason,
                                          domain::Timestamp lease_until,
                                          const std::optional<domain::SpendingCap>& cap) override;
  domain::Result<std::int64_t> settle(domain::TeamId team, const domain::CreditHold& hold, std::int64_t cost,
                                      std::string_view reason) override;
  domain::Result<int> release_expired(domain::Timestamp now) override;
  domain::Result<std::vector<domain::LedgerEntry>> history(domain::TeamId team, int limit) override;
  domain::Result<std::int64_t> committed_since(domain::TeamId team, domain::Timestamp since) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
