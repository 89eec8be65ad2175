#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/lookup_store.hpp"

namespace leadstream::adapters::postgres {

class PgLookupStore final : public domain::LookupStore {
 public:
  explicit PgLookupStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::LookupStore
  domain::Result<domain::LookupRecord> record(domain::TeamId team, domain::LookupRecord lookup) override;
  domain::Result<domain::LookupPage> list(domain::TeamId team, const std::string& kind, int limit, int offset) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
