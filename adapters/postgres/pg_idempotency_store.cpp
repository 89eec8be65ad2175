#include "adapters/postgres/pg_idempotency_store.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using Kind = domain::IdempotencyClaim::Kind;

// Inserts a claim, or takes over one that expired (24 h) or was abandoned in flight (1 min)
// without taking effect.
constexpr const char* kClaim =
    "INSERT INTO idempotency_keys AS k (team_id, key, fingerprint) VALUES ($1, $2, $3)"
    " ON CONFLICT (team_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = NULL, body = NULL,"
    " acted_at = NULL, created_at = now()"
    " WHERE k.created_at < now() - interval '24 hours'"
    " OR (k.status IS NULL AND k.acted_at IS NULL AND k.created_at < now() - interval '1 minute')"
    " RETURNING 1";

/// The claim whose request this thread is carrying out.
struct ActingRequest {
  std::int64_t team = 0;
  std::string key;
};
thread_local std::optional<ActingRequest> acting;

}  // namespace

// This store's own transactions (claims, answers, keep-alives) are the bookkeeping of a
// key, never the request's effect: they call tx.commit() directly, not commit(tx).

void mark_acted(pqxx::work& tx) {
  if (!acting) return;
  // A transaction that wrote has an id; one that only read has none, and marks nothing.
  tx.exec_params("UPDATE idempotency_keys SET acted_at = now() WHERE team_id = $1 AND key = $2"
                 " AND acted_at IS NULL AND pg_current_xact_id_if_assigned() IS NOT NULL",
                 acting->team, acting->key);
}

PgIdempotencyStore::PgIdempotencyStore(ConnectionPool& pool, std::chrono::milliseconds keep_alive_interval)
    : pool_(pool), keeper_([this, keep_alive_interval](std::stop_token stop) {
        while (!stop.stop_requested()) {
          {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, stop, keep_alive_interval, [] { return false; });
          }
          if (!stop.stop_requested()) (void)keep_alive();  // a failure is retried at the next turn
        }
      }) {}

PgIdempotencyStore::~PgIdempotencyStore() {
  keeper_.request_stop();
  if (keeper_.joinable()) keeper_.join();
}

void PgIdempotencyStore::begin_acting(domain::TeamId team, std::string_view key) {
  acting = ActingRequest{team.value, std::string(key)};
  std::lock_guard lock(mutex_);
  in_flight_.emplace(team.value, std::string(key));
}

void PgIdempotencyStore::end_acting() {
  if (!acting) return;
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase({acting->team, acting->key});
  }
  acting.reset();
}

domain::Result<void> PgIdempotencyStore::keep_alive() {
  std::vector<std::pair<std::int64_t, std::string>> claims;
  {
    std::lock_guard lock(mutex_);
    claims.assign(in_flight_.begin(), in_flight_.end());
  }
  if (claims.empty()) return {};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    // A few at most (one per handler thread). Only claims still unanswered: created_at
    // then means "alive at", which the takeover reads.
    for (const auto& [team, key] : claims) {
      tx.exec_params(
          "UPDATE idempotency_keys SET created_at = now() WHERE team_id = $1 AND key = $2 AND status IS NULL", team,
          key);
    }
    tx.commit();
    return {};
  });
}

domain::Result<domain::IdempotencyClaim> PgIdempotencyStore::claim(domain::TeamId team, std::string_view key,
                                                                   std::string_view fingerprint) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::IdempotencyClaim> {
    pqxx::work tx(c);
    if (!tx.exec_params(kClaim, team.value, std::string(key), std::string(fingerprint)).empty()) {
      tx.commit();
      return domain::IdempotencyClaim{Kind::kNew};
    }
    const auto row = tx.exec_params("SELECT fingerprint, status, body,"
                                    " acted_at IS NOT NULL AND created_at < now() - interval '1 minute'"
                                    " FROM idempotency_keys WHERE team_id = $1 AND key = $2",
                                    team.value, std::string(key))[0];
    tx.commit();
    if (row[0].as<std::string>() != fingerprint) return domain::IdempotencyClaim{Kind::kMismatch};
    if (row[1].is_null()) return domain::IdempotencyClaim{row[3].as<bool>() ? Kind::kLost : Kind::kInProgress};
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

domain::Result<void> PgIdempotencyStore::release(domain::TeamId team, std::string_view key,
                                                 const domain::StoredResponse& response) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    tx.exec_params("DELETE FROM idempotency_keys WHERE team_id = $1 AND key = $2 AND status IS NULL"
                   " AND acted_at IS NULL",
                   team.value, std::string(key));
    // Took effect before it failed: its answer is the first response, as for any other.
    tx.exec_params("UPDATE idempotency_keys SET status = $3, body = $4 WHERE team_id = $1 AND key = $2"
                   " AND status IS NULL",
                   team.value, std::string(key), response.status, response.body);
    tx.commit();
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
