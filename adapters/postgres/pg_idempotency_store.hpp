#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/idempotency_store.hpp"

namespace leadstream::adapters::postgres {

class PgIdempotencyStore final : public domain::IdempotencyStore {
 public:
  explicit PgIdempotencyStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::IdempotencyStore
  domain::Result<domain::IdempotencyClaim> claim(domain::TeamId team, std::string_view key,
                                                 std::string_view fingerprint) override;
  domain::Result<void> complete(domain::TeamId team, std::string_view key,
                                const domain::StoredResponse& response) override;
  void begin_acting(domain::TeamId team, std::string_view key) override;
  void end_acting() override;
  domain::Result<void> release(domain::TeamId team, std::string_view key,
                               const domain::StoredResponse& response) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
