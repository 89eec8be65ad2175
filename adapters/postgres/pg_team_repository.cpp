#include "adapters/postgres/pg_team_repository.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

constexpr const char* kColumns = "id, name, (extract(epoch FROM created_at) * 1000000)::bigint, email";

domain::Team to_team(const pqxx::row& row) {
  return domain::Team{domain::TeamId{row[0].as<std::int64_t>()}, row[1].as<std::string>(),
                      from_epoch_us(row[2].as<std::int64_t>()), row[3].as<std::string>()};
}

std::optional<domain::Team> first_team(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return to_team(rows[0]);
}

}  // namespace

domain::Result<domain::Team> PgTeamRepository::create(std::string_view name, std::string_view email) {
  auto created = with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::Team> {
    pqxx::work tx(c);
    auto rows = tx.exec_params(std::string("INSERT INTO teams (name, email) VALUES ($1, $2) RETURNING ") + kColumns,
                               std::string(name), std::string(email));
    commit(tx);
    return to_team(rows[0]);
  });
  if (!created && created.error().code == domain::ErrorCode::kConflict) {
    return domain::Error{domain::ErrorCode::kConflict, "a team named '" + std::string(name) + "' already exists"};
  }
  return created;
}

domain::Result<void> PgTeamRepository::set_email(domain::TeamId team, std::string_view email) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    if (tx.exec_params("UPDATE teams SET email = $2 WHERE id = $1", team.value, std::string(email)).affected_rows() ==
        0) {
      return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    }
    commit(tx);
    return {};
  });
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

namespace {

/// Who bills the team from now on: a Stripe subscription, the embedded ledger, or no one
/// (the free plan).
domain::Result<void> set_billing_target(ConnectionPool& pool, domain::TeamId team,
                                        const std::optional<domain::StripeBilling>& billing, bool free_plan) {
  return with_connection(pool, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    if (!lock_team_row(tx, team)) {
      return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    }
    if (billing) {
      const auto item = [](const std::string& id) {
        return id.empty() ? std::optional<std::string>{} : std::optional{id};
      };
      tx.exec_params("INSERT INTO team_billing (team_id, subscription_id, starter_item, growth_item, pro_item)"
                     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (team_id) DO UPDATE SET"
                     " subscription_id = excluded.subscription_id, starter_item = excluded.starter_item,"
                     " growth_item = excluded.growth_item, pro_item = excluded.pro_item, schedule_id = NULL,"
                     " status_read_at = NULL, updated_at = now()",
                     team.value, billing->subscription_id, item(billing->starter_item), item(billing->growth_item),
                     item(billing->pro_item));
    } else {
      tx.exec_params("DELETE FROM team_billing WHERE team_id = $1", team.value);
    }
    tx.exec_params("UPDATE teams SET free_plan = $2 WHERE id = $1", team.value, free_plan);
    // The new target has not seen any quantity: forget what was applied and settle again.
    tx.exec_params("DELETE FROM billing_quantities WHERE team_id = $1", team.value);
    tx.exec_params("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason)"
                   " SELECT $1, t.tier, (SELECT count(*) FROM tracked_accounts a WHERE a.team_id = $1"
                   " AND a.tier = t.tier AND a.is_active), 'now', 'billing target changed'"
                   " FROM (VALUES ('starter'), ('growth'), ('pro')) AS t (tier)",
                   team.value);
    // Downgrades pending for the end of the period must be scheduled on the new target too.
    tx.exec_params("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason)"
                   " SELECT $1, 'starter', 0, 'period_end', 'billing target changed'",
                   team.value);
    commit(tx);
    return {};
  });
}

}  // namespace

domain::Result<void> PgTeamRepository::set_billing(domain::TeamId team,
                                                   const std::optional<domain::StripeBilling>& billing) {
  return set_billing_target(pool_, team, billing, /*free_plan=*/false);
}

domain::Result<void> PgTeamRepository::set_free_plan(domain::TeamId team) {
  return set_billing_target(pool_, team, std::nullopt, /*free_plan=*/true);
}

}  // namespace leadstream::adapters::postgres
