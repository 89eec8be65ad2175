#include "adapters/postgres/pg_idempotency_store.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using Kind = domain::IdempotencyClaim::Kind;

// Inserts a claim, or takes over one that expired (24 h) or was abandoned in flight (1 min).
constexpr const char* kClaim =
    "INSERT INTO idempotency_keys AS k (team_id, key, fingerprint) VALUES ($1, $2, $3)"
    " ON CONFLICT (team_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = NULL, body = NULL,"
    " created_at = now()"
    " WHERE k.created_at < now() - interval '24 hours'"
    " OR (k.status IS NULL AND k.created_at < now() - interval '1 minute')"
    " RETURNING 1";

}  // namespace

domain::Result<domain::IdempotencyClaim> PgIdempotencyStore::claim(domain::TeamId team, std::string_view key,
                                                                   std::string_view fingerprint) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::IdempotencyClaim> {
    pqxx::work tx(c);
    if (!tx.exec_params(kClaim, team.value, std::string(key), std::string(fingerprint)).empty()) {
      tx.commit();
      return domain::IdempotencyClaim{Kind::kNew};
    }
    const auto row = tx.exec_params("SELECT fingerprint, status, body FROM idempotency_keys"
                                    " WHERE team_id = $1 AND key = $2", team.value, std::string(key))[0];
    tx.commit();
    if (row[0].as<std::string>() != fingerprint) return domain::IdempotencyClaim{Kind::kMismatch};
    if (row[1].is_null()) return domain::IdempotencyClaim{Kind::kInProgress};
    return domain::IdempotencyClaim{Kind::kReplay, domain::StoredResponse{row[1].as<int>(), row[2].as<std::string>()}};
  });
}

domain::Result<void> PgIdempotencyStore::complete(domain::TeamId team, std::string_view key,
                                                  const domain::StoredResponse& response) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    tx.exec_params("UPDATE idempotency_keys SET status = $3, body = $4 WHERE team_id = $1 AND key = $2", team.value,
                   std::string(key), response.status, response.body);
    tx.commit();
    return {};
  });
}

domain::Result<void> PgIdempotencyStore::release(domain::TeamId team, std::string_view key) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    tx.exec_params("DELETE FROM idempotency_keys WHERE team_id = $1 AND key = $2 AND status IS NULL", team.value,
                   std::string(key));
    tx.commit();
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
