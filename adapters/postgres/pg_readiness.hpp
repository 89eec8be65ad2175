#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/readiness.hpp"

namespace leadstream::adapters::postgres {

/// Ready when the database answers and its schema is at the version this binary embeds.
class PgReadiness final : public domain::Readiness {
 public:
  PgReadiness(ConnectionPool& pool, int expected_version) : pool_(pool), expected_version_(expected_version) {}

  // domain::Readiness
  domain::Result<void> check() override;

 private:
  ConnectionPool& pool_;
  const int expected_version_;
};

}  // namespace leadstream::adapters::postgres
