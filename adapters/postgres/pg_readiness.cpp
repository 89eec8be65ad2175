#include "adapters/postgres/pg_readiness.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

domain::Result<void> PgReadiness::check() {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::nontransaction tx(c);
    const auto version = tx.exec("SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0"
                                 " ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END")[0][0]
                             .as<int>();
    if (version < expected_version_) {
      return domain::Error{domain::ErrorCode::kUnavailable, "database schema is at version " + std::to_string(version) +
                                                                ", expected " + std::to_string(expected_version_) +
                                                                ": run leadstreamd migrate"};
    }
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
