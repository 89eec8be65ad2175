#include "adapters/postgres/pg_credit_ledger.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

constexpr const char* kBalance = "SELECT coalesce(sum(delta), 0)::bigint FROM credit_ledger WHERE team_id = $1";

std::int64_t balance_in(pqxx::work& tx, domain::TeamId team) {
  return tx.exec_params(kBalance, team.value)[0][0].as<std::int64_t>();
}

/// Closes a hold: deletes its open row (whoever deletes it closes it), releases its amount
/// and charges `cost` of it. False when it was closed already.
bool close_hold(pqxx::work& tx, domain::TeamId team, std::int64_t hold_id, std::int64_t cost,
                const std::string& reason) {
  const auto open = tx.exec_params("DELETE FROM credit_holds WHERE hold_id = $1 AND team_id = $2 RETURNING amount",
                                   hold_id, team.value);
  if (open.empty()) return false;
  const auto amount = open[0][0].as<std::int64_t>();
  tx.exec_params("INSERT INTO credit_ledger (team_id, delta, kind, reason, hold_id) VALUES ($1, $2, 'release', $3, $4)",
                 team.value, amount, reason, hold_id);
  if (const auto charged = std::min(cost, amount); charged > 0) {
    tx.exec_params(
        "INSERT INTO credit_ledger (team_id, delta, kind, reason, hold_id) VALUES ($1, $2, 'settle', $3, $4)",
        team.value, -charged, reason, hold_id);
  }
  return true;
}

/// What counts against a spending cap: charged since `since`, and held now.
std::int64_t committed_in(pqxx::transaction_base& tx, domain::TeamId team, domain::Timestamp since) {
  return tx
      .exec_params("SELECT (SELECT coalesce(-sum(delta), 0) FROM credit_ledger WHERE team_id = $1 AND kind = 'settle'"
                   " AND created_at >= " +
                       at_exact(2) + ") + (SELECT coalesce(sum(amount), 0) FROM credit_holds WHERE team_id = $1)",
                   team.value, epoch_us(since))[0][0]
      .as<std::int64_t>();
}

}  // namespace

domain::Result<std::int64_t> PgCreditLedger::grant(domain::TeamId team, std::int64_t amount, std::string_view reason) {
  if (amount <= 0) return domain::Error{domain::ErrorCode::kInvalidRequest, "a grant must be a positive amount"};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::int64_t> {
    pqxx::work tx(c);
    if (!lock_team_row(tx, team)) return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    tx.exec_params("INSERT INTO credit_ledger (team_id, delta, kind, reason) VALUES ($1, $2, 'grant', $3)", team.value,
                   amount, std::string(reason));
    const auto balance = balance_in(tx, team);
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

domain::Result<domain::CreditHold> PgCreditLedger::hold(domain::TeamId team, std::int64_t amount,
                                                        std::string_view reason, domain::Timestamp lease_until,
                                                        const std::optional<domain::SpendingCap>& cap) {
  if (amount <= 0) return domain::Error{domain::ErrorCode::kInvalidRequest, "a hold must be a positive amount"};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<domain::CreditHold> {
    pqxx::work tx(c);
    // The team's row is the lock that makes "check the balance, then hold" one step.
    if (!lock_team_row(tx, team)) return domain::Error{domain::ErrorCode::kNotFound, "team not found"};
    if (const auto balance = balance_in(tx, team); balance < amount) {
      return domain::Error{
          domain::ErrorCode::kCreditsExhausted,
          "This needs " + std::to_string(amount) + " credits and the balance is " + std::to_string(balance) + "."};
    }
    if (cap) {
      const auto committed = committed_in(tx, team, cap->since);
      if (committed + amount > cap->limit) {
        return domain::Error{domain::ErrorCode::kBudgetExhausted,
                             "This needs " + std::to_string(amount) +
                                 " credits and this month's enrichment budget of " + std::to_string(cap->limit) +
                                 " has " + std::to_string(committed) + " charged or held."};
      }
    }
    const auto id =
        tx.exec_params("INSERT INTO credit_ledger (team_id, delta, kind, reason) VALUES ($1, $2, 'hold', $3) "
                       "RETURNING id",
                       team.value, -amount, std::string(reason))[0][0]
            .as<std::int64_t>();
    tx.exec_params(
        "INSERT INTO credit_holds (hold_id, team_id, amount, lease_until) VALUES ($1, $2, $3, " + at_exact(4) + ")", id,
        team.value, amount, epoch_us(lease_until));
    commit(tx);
    return domain::CreditHold{id, amount};
  });
}

domain::Result<std::int64_t> PgCreditLedger::settle(domain::TeamId team, const domain::CreditHold& hold,
                                                    std::int64_t cost, std::string_view reason) {
  if (cost < 0) return domain::Error{domain::ErrorCode::kInvalidRequest, "a cost cannot be negative"};
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::int64_t> {
    pqxx::work tx(c);
    if (!close_hold(tx, team, hold.id, cost, std::string(reason))) {
      return domain::Error{domain::ErrorCode::kGone, "the hold was released already: its lease ran out"};
    }
    const auto balance = balance_in(tx, team);
    commit(tx);
    return balance;
  });
}

domain::Result<int> PgCreditLedger::release_expired(domain::Timestamp now) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<int> {
    pqxx::work tx(c);
    // SKIP LOCKED: a settlement closing one of them now wins it, and a second sweeper
    // takes the others.
    const auto expired = tx.exec_params("SELECT hold_id, team_id FROM credit_holds WHERE lease_until < " + at_exact(1) +
                                            " ORDER BY lease_until LIMIT 1000 FOR UPDATE SKIP LOCKED",
                                        epoch_us(now));
    int released = 0;
    for (const auto& row : expired) {
      const domain::TeamId team{row[1].as<std::int64_t>()};
      if (close_hold(tx, team, row[0].as<std::int64_t>(), 0, "lease ran out")) ++released;
    }
    commit(tx);
    return released;
  });
}

domain::Result<std::vector<domain::LedgerEntry>> PgCreditLedger::history(domain::TeamId team, int limit) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::vector<domain::LedgerEntry>> {
    pqxx::nontransaction tx(c);
    const auto rows = tx.exec_params("SELECT id, kind, delta, reason, hold_id, " + us("created_at") +
                                         " FROM credit_ledger WHERE team_id = $1 ORDER BY id DESC LIMIT $2",
                                     team.value, limit);
    std::vector<domain::LedgerEntry> entries;
    entries.reserve(rows.size());
    for (const auto& row : rows) {
      entries.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                         row[3].as<std::string>(), optional_of<std::int64_t>(row[4]),
                         from_epoch_us(row[5].as<std::int64_t>())});
    }
    return entries;
  });
}

domain::Result<std::int64_t> PgCreditLedger::committed_since(domain::TeamId team, domain::Timestamp since) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::int64_t> {
    pqxx::nontransaction tx(c);
    return committed_in(tx, team, since);
  });
}

}  // namespace leadstream::adapters::postgres
