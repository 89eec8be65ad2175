#include "adapters/postgres/pg_team_repository.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

constexpr const char* kColumns = "id, name, (extract(epoch FROM created_at) * 1000000)::bigint";

domain::Team to_team(const pqxx::row& row) {
  return domain::Team{domain::TeamId{row[0].as<std::int64_t>()}, row[1].as<std::string>(),
                      from_epoch_us(row[2].as<std::int64_t>())};
}

std::optional<domain::Team> first_team(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return to_team(rows[0]);
}

}  // namespace

domain::Result<domain::Team> PgTeamRepository::create(std::string_view name) {
  auto created = with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::Team> {
    pqxx::work tx(c);
    auto rows = tx.exec_params(std::string("INSERT INTO teams (name) VALUES ($1) RETURNING ") + kColumns,
                               std::string(name));
    tx.commit();
    return to_team(rows[0]);
  });
  if (!created && created.error().code == domain::ErrorCode::kConflict) {
    return domain::Error{domain::ErrorCode::kConflict, "a team named '" + std::string(name) + "' already exists"};
  }
  return created;
}

domain::Result<std::optional<domain::Team>> PgTeamRepository::find(domain::TeamId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::optional<domain::Team>> {
    pqxx::nontransaction tx(c);
    return first_team(tx.exec_params(std::string("SELECT ") + kColumns + " FROM teams WHERE id = $1", id.value));
  });
}

domain::Result<std::optional<domain::Team>> PgTeamRepository::find_by_name(std::string_view name) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::optional<domain::Team>> {
    pqxx::nontransaction tx(c);
    return first_team(
        tx.exec_params(std::string("SELECT ") + kColumns + " FROM teams WHERE name = $1", std::string(name)));
  });
}

}  // namespace leadstream::adapters::postgres
