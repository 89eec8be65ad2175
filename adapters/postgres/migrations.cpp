#include "adapters/postgres/migrations.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/connection_defaults.hpp"

namespace leadstream::adapters::postgres {
namespace {

// An arbitrary constant naming "leadstream schema migration" among advisory locks.
constexpr std::int64_t kMigrationLock = 0x6c65616473747231;

constexpr const char* kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

bool is_applied(pqxx::work& tx, int version) {
  return !tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", version).empty();
}

int current_version(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
}

domain::Result<int> apply_pending(pqxx::connection& connection, const std::vector<Migration>& migrations) {
  int applied = 0;
  for (const auto& migration : migrations) {
    try {
      pqxx::work tx(connection);
      if (is_applied(tx, migration.version)) continue;
      tx.exec(migration.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", migration.version,
                     std::string(migration.name));
      tx.commit();
      ++applied;
    } catch (const pqxx::sql_error& error) {
      return domain::Error{domain::ErrorCode::kInternal,
                           "migration " + std::to_string(migration.version) + " failed: " + error.what()};
    }
  }
  return applied;
}

}  // namespace

domain::Result<MigrationReport> migrate(const std::string& database_url, const std::vector<Migration>& migrations) {
  try {
    pqxx::connection connection(with_connection_defaults(database_url, /*long_statements=*/true));
    pqxx::nontransaction(connection).exec_params("SELECT pg_advisory_lock($1)", kMigrationLock);
    pqxx::nontransaction(connection).exec(kCreateLedger);
    auto applied = apply_pending(connection, migrations);
    // Closing the connection releases the lock too; unlocking says so explicitly.
    pqxx::nontransaction(connection).exec_params("SELECT pg_advisory_unlock($1)", kMigrationLock);
    if (!applied) return applied.error();
    return MigrationReport{*applied, current_version(connection)};
  } catch (const pqxx::broken_connection& error) {
    return domain::Error{domain::ErrorCode::kUnavailable, std::string("database unavailable: ") + error.what()};
  } catch (const pqxx::sql_error& error) {
    return domain::Error{domain::ErrorCode::kInternal, std::string("migration bookkeeping failed: ") + error.what()};
  }
}

domain::Result<int> applied_version(const std::string& database_url) {
  try {
    pqxx::connection connection(with_connection_defaults(database_url, /*long_statements=*/true));
    pqxx::nontransaction tx(connection);
    if (tx.exec("SELECT to_regclass('schema_migrations') IS NULL")[0][0].as<bool>()) return 0;
    return tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
  } catch (const pqxx::broken_connection& error) {
    return domain::Error{domain::ErrorCode::kUnavailable, std::string("database unavailable: ") + error.what()};
  }
}

}  // namespace leadstream::adapters::postgres
