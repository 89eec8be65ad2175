#include "adapters/postgres/pg_api_key_repository.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

constexpr const char* kColumns =
    "id, team_id, name, prefix, digest, (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM revoked_at) * 1000000)::bigint";

domain::KeyDigest from_hex(std::string_view hex) {
  const auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
  domain::KeyDigest digest{};
  for (std::size_t i = 0; i < digest.size() && 2 * i + 1 < hex.size(); ++i) {
    digest[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return digest;
}

domain::ApiKey to_key(const pqxx::row& row) {
  domain::ApiKey key{
      .id = domain::ApiKeyId{row[0].as<std::int64_t>()},
      .team_id = domain::TeamId{row[1].as<std::int64_t>()},
      .name = row[2].as<std::string>(),
      .prefix = row[3].as<std::string>(),
      .digest = from_hex(row[4].as<std::string>()),
      .created_at = from_epoch_us(row[5].as<std::int64_t>()),
  };
  if (!row[6].is_null()) key.revoked_at = from_epoch_us(row[6].as<std::int64_t>());
  return key;
}

std::vector<domain::ApiKey> to_keys(const pqxx::result& rows) {
  std::vector<domain::ApiKey> keys;
  keys.reserve(rows.size());
  for (const auto& row : rows) keys.push_back(to_key(row));
  return keys;
}

std::string select_where(const char* condition) {
  return std::string("SELECT ") + kColumns + " FROM api_keys WHERE " + condition;
}

}  // namespace

domain::Result<domain::ApiKey> PgApiKeyRepository::create(const domain::NewApiKey& key) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::ApiKey> {
    pqxx::work tx(c);
    auto rows = tx.exec_params(
        std::string("INSERT INTO api_keys (team_id, name, prefix, digest) VALUES ($1, $2, $3, $4) RETURNING ") +
            kColumns,
        key.team_id.value, key.name, key.prefix, domain::to_hex(key.digest));
    commit(tx);
    return to_key(rows[0]);
  });
}

domain::Result<std::vector<domain::ApiKey>> PgApiKeyRepository::find_active_by_prefix(std::string_view prefix) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::vector<domain::ApiKey>> {
    pqxx::nontransaction tx(c);
    return to_keys(tx.exec_params(select_where("prefix = $1 AND revoked_at IS NULL"), std::string(prefix)));
  });
}

domain::Result<std::optional<domain::ApiKey>> PgApiKeyRepository::find(domain::ApiKeyId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::optional<domain::ApiKey>> {
    pqxx::nontransaction tx(c);
    auto rows = tx.exec_params(select_where("id = $1"), id.value);
    if (rows.empty()) return std::optional<domain::ApiKey>{};
    return std::optional{to_key(rows[0])};
  });
}

domain::Result<std::vector<domain::ApiKey>> PgApiKeyRepository::list(domain::TeamId team) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::vector<domain::ApiKey>> {
    pqxx::nontransaction tx(c);
    return to_keys(tx.exec_params(select_where("team_id = $1 ORDER BY id"), team.value));
  });
}

domain::Result<void> PgApiKeyRepository::revoke(domain::ApiKeyId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    auto rows = tx.exec_params("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", id.value);
    commit(tx);
    if (rows.affected_rows() == 0) return domain::Error{domain::ErrorCode::kNotFound, "API key not found"};
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
