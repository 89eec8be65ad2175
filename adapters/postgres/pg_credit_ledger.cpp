#include "adapters/postgres/pg_credit_ledger.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

constexpr const char* kBalance = "SELECT coalesce(sum(delta), 0)::bigint FROM credit_ledger WHERE team_id = $1";

}  // namespace

domain::Result<std::int64_t> PgCreditLedger::grant(domain::TeamId team, std::int64_t amount, std::string_view reason) {
  if (amount <= 0) return domain::Error{domain::ErrorCode::kInvalidRequest, "a grant must be a positive amount"};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::int64_t> {
    pqxx::work tx(c);
    if (!lock_team_row(tx, team)) return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    tx.exec_params("INSERT INTO credit_ledger (team_id, delta, kind, reason) VALUES ($1, $2, 'grant', $3)", team.value,
                   amount, std::string(reason));
    const auto balance = tx.exec_params(kBalance, team.value)[0][0].as<std::int64_t>();
    commit(tx);
    return balance;
  });
}

domain::Result<std::int64_t> PgCreditLedger::balance(domain::TeamId team) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::int64_t> {
    pqxx::nontransaction tx(c);
    return tx.exec_params(kBalance, team.value)[0][0].as<std::int64_t>();
  });
}

}  // namespace leadstream::adapters::postgres
