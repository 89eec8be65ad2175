#include "adapters/postgres/pg_billing_outbox.hpp"

#include <random>

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;

std::string id_array(const pqxx::result& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row[0].as<std::int64_t>());
  return postgres::id_array(ids);
}

domain::PendingBilling read_pending(pqxx::work& tx, domain::TeamId team, domain::Tier tier, const pqxx::result& rows) {
  const std::string tier_name(domain::to_string(tier));
  domain::PendingBilling pending{.team = team, .tier = tier};
  for (const auto& row : rows) {
    pending.latest_change_id = std::max(pending.latest_change_id, row[0].as<std::int64_t>());
    pending.attempts = std::max(pending.attempts, row[1].as<int>());
  }
  pending.desired_quantity =
      tx.exec_params("SELECT count(*) FROM tracked_accounts WHERE team_id = $1 AND tier = $2 AND is_active", team.value,
                     tier_name)[0][0]
          .as<int>();
  const auto applied =
      tx.exec_params("SELECT quantity FROM billing_quantities WHERE team_id = $1 AND tier = $2", team.value, tier_name);
  if (!applied.empty()) pending.applied_quantity = applied[0][0].as<int>();
  // The column name comes from our own enum, never from input.
  const auto item = tx.exec_params("SELECT " + tier_name + "_item FROM team_billing WHERE team_id = $1", team.value);
  if (!item.empty() && !item[0][0].is_null()) pending.subscription_item = item[0][0].as<std::string>();
  return pending;
}

/// Marks the held changes applied, or counts the failed attempt and when to try again,
/// and shows the outcome on the team's accounts that `accounts` selects (an SQL condition
/// built from our own enums, never from input).
void record_outcome(pqxx::work& tx, std::int64_t team, const std::string& ids, const domain::BillingOutcome& outcome,
                    const std::string& accounts) {
  const auto on_accounts = " WHERE team_id = $1 AND " + accounts;
  if (outcome.kind == domain::BillingOutcome::Kind::kApplied) {
    tx.exec_params("UPDATE billing_changes SET applied_at = now(), last_error = NULL, claimed_by = NULL"
                   " WHERE id = ANY($1::bigint[])",
                   ids);
    tx.exec_params("UPDATE tracked_accounts SET billing_status = 'ok', billing_error = NULL" + on_accounts, team);
    return;
  }
  tx.exec_params("UPDATE billing_changes SET attempts = attempts + 1, last_error = $2, claimed_by = NULL,"
                 " next_attempt_at = " +
                     at(3) + " WHERE id = ANY($1::bigint[])",
                 ids, outcome.error, epoch_us(outcome.next_attempt_at));
  const bool failed = outcome.kind == domain::BillingOutcome::Kind::kFailed;
  std::optional<std::string> shown;
  if (failed) shown = outcome.error;
  tx.exec_params("UPDATE tracked_accounts SET billing_status = $2, billing_error = $3" + on_accounts, team,
                 std::string(failed ? "error" : "pending"), shown);
}

void record(pqxx::work& tx, const domain::PendingBilling& pending, const std::string& ids,
            const domain::BillingOutcome& outcome) {
  const std::string tier(domain::to_string(pending.tier));
  const auto team = pending.team.value;
  record_outcome(tx, team, ids, outcome, "tier = '" + tier + "'");
  if (outcome.kind != domain::BillingOutcome::Kind::kApplied) return;
  tx.exec_params("INSERT INTO billing_quantities (team_id, tier, quantity) VALUES ($1, $2, $3)"
                 " ON CONFLICT (team_id, tier) DO UPDATE SET quantity = excluded.quantity, applied_at = now()",
                 team, tier, pending.desired_quantity);
  // A subscription that follows a schedule takes the schedule's phases at its period's
  // end: they must carry this quantity too.
  tx.exec_params("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason)"
                 " SELECT $1, $2, $3, 'period_end', 'the schedule follows a quantity change'"
                 " FROM team_billing WHERE team_id = $1 AND schedule_id IS NOT NULL",
                 team, tier, pending.desired_quantity);
}

/// The team's subscription items and their quantities now and after the scheduled
/// downgrades; the schedule it follows.
domain::PendingPeriodEnd read_period_end(pqxx::work& tx, domain::TeamId team, const pqxx::result& rows) {
  domain::PendingPeriodEnd pending{.team = team};
  for (const auto& row : rows) {
    pending.latest_change_id = std::max(pending.latest_change_id, row[0].as<std::int64_t>());
    pending.attempts = std::max(pending.attempts, row[1].as<int>());
  }
  const auto billing = tx.exec_params("SELECT subscription_id, schedule_id, starter_item, growth_item, pro_item"
                                      " FROM team_billing WHERE team_id = $1",
                                      team.value);
  if (billing.empty()) return pending;
  const auto& row = billing[0];
  pending.subscription_id = row[0].as<std::string>();
  if (!row[1].is_null()) pending.schedule_id = row[1].as<std::string>();
  // Per tier, in the order of the item columns: active accounts now, and once the
  // scheduled downgrades are in.
  const auto counts = tx.exec_params(
      "SELECT count(*) FILTER (WHERE tier = 'starter'), count(*) FILTER (WHERE coalesce(pending_tier, tier) = 'starter'),"
      " count(*) FILTER (WHERE tier = 'growth'), count(*) FILTER (WHERE coalesce(pending_tier, tier) = 'growth'),"
      " count(*) FILTER (WHERE tier = 'pro'), count(*) FILTER (WHERE coalesce(pending_tier, tier) = 'pro')"
      " FROM tracked_accounts WHERE team_id = $1 AND is_active",
      team.value)[0];
  for (int i = 0; i < 3; ++i) {
    if (row[2 + i].is_null()) continue;
    const auto item = row[2 + i].as<std::string>();
    pending.now[item] = counts[2 * i].as<int>();
    pending.next[item] = counts[2 * i + 1].as<int>();
  }
  return pending;
}

/// Longer than a settlement's Stripe calls can take (attempts x timeout, plus backoff).
constexpr std::chrono::minutes kClaimLease{5};

/// Claims the due rows `select` finds (its SQL ends FOR UPDATE SKIP LOCKED) for `owner`:
/// not due again until the lease passes. Empty when none were due, or all were held.
pqxx::result claim(pqxx::work& tx, const std::string& owner, domain::Timestamp now, const pqxx::result& rows) {
  if (rows.empty()) return rows;
  tx.exec_params(
      "UPDATE billing_changes SET claimed_by = $2, next_attempt_at = " + at(3) + " WHERE id = ANY($1::bigint[])",
      id_array(rows), owner, epoch_us(now + kClaimLease));
  return rows;
}

/// Whether every claimed row is still `owner`'s, locked for the outcome; false when its
/// lease ran out and another process took the rows (whose outcome then stands).
bool still_claimed(pqxx::work& tx, const std::string& owner, const std::string& ids, std::size_t count) {
  const auto held = tx.exec_params("SELECT id FROM billing_changes WHERE id = ANY($1::bigint[]) AND claimed_by = $2"
                                   " AND applied_at IS NULL FOR UPDATE",
                                   ids, owner);
  return held.size() == count;
}

/// A settlement in three steps, so that no transaction is open while Stripe answers: claim
/// the due rows `select` finds and `read` what they ask for; `decide` (the Stripe calls);
/// `record` the outcome, only while the claim is still `owner`'s.
template <class Pending, class Outcome>
Result<void> settle_claimed(
    ConnectionPool& pool, const std::string& owner, domain::Timestamp now,
    const std::function<pqxx::result(pqxx::work&)>& select,
    const std::function<Pending(pqxx::work&, const pqxx::result&)>& read,
    const std::function<Outcome(const Pending&)>& decide,
    const std::function<void(pqxx::work&, const Pending&, const std::string&, const Outcome&)>& record) {
  std::string ids;
  std::size_t count = 0;
  auto pending = with_connection(pool, [&](pqxx::connection& c) -> Result<std::optional<Pending>> {
    pqxx::work tx(c);
    const auto rows = claim(tx, owner, now, select(tx));
    if (rows.empty()) return std::optional<Pending>();  // settled meanwhile, or held elsewhere
    ids = id_array(rows);
    count = rows.size();
    auto wanted = read(tx, rows);
    commit(tx);
    return std::optional(std::move(wanted));
  });
  if (!pending || !*pending) return pending ? Result<void>{} : Result<void>{pending.error()};
  const auto outcome = decide(**pending);
  return with_connection(pool, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    if (!still_claimed(tx, owner, ids, count)) return {};
    record(tx, **pending, ids, outcome);
    commit(tx);
    return {};
  });
}

std::string new_owner() {
  std::random_device random;
  std::string owner;
  for (int i = 0; i < 4; ++i) owner += std::to_string(random()) + (i < 3 ? "-" : "");
  return owner;
}

}  // namespace

PgBillingOutbox::PgBillingOutbox(ConnectionPool& pool) : pool_(pool), owner_(new_owner()) {}

Result<std::vector<domain::TeamId>> PgBillingOutbox::period_end_due(domain::Timestamp now, int limit) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::TeamId>> {
    pqxx::nontransaction tx(c);
    std::vector<domain::TeamId> teams;
    for (const auto& row : tx.exec_params("SELECT DISTINCT team_id FROM billing_changes WHERE applied_at IS NULL"
                                          " AND effective = 'period_end' AND next_attempt_at <= " +
                                              at(1) + " LIMIT $2",
                                          epoch_us(now), limit)) {
      teams.push_back(domain::TeamId{row[0].as<std::int64_t>()});
    }
    return teams;
  });
}

Result<void> PgBillingOutbox::settle_period_end(
    domain::TeamId team, domain::Timestamp now,
    const std::function<domain::PeriodEndOutcome(const domain::PendingPeriodEnd&)>& decide) {
  return settle_claimed<domain::PendingPeriodEnd, domain::PeriodEndOutcome>(
      pool_, owner_, now,
      [&](pqxx::work& tx) {
        return tx.exec_params("SELECT id, attempts FROM billing_changes WHERE team_id = $1 AND applied_at IS NULL"
                              " AND effective = 'period_end' AND next_attempt_at <= " +
                                  at(2) + " ORDER BY id FOR UPDATE SKIP LOCKED",
                              team.value, epoch_us(now));
      },
      [&](pqxx::work& tx, const pqxx::result& rows) { return read_period_end(tx, team, rows); }, decide,
      [&](pqxx::work& tx, const domain::PendingPeriodEnd&, const std::string& ids,
          const domain::PeriodEndOutcome& decided) {
        record_outcome(tx, team.value, ids, decided.outcome, "pending_tier IS NOT NULL");
        if (decided.outcome.kind != domain::BillingOutcome::Kind::kApplied) return;
        tx.exec_params("UPDATE team_billing SET schedule_id = $2, updated_at = now() WHERE team_id = $1", team.value,
                       decided.schedule_id);
      });
}

Result<std::vector<std::pair<domain::TeamId, domain::Tier>>> PgBillingOutbox::due(domain::Timestamp now, int limit) {
  return with_connection(
      pool_, [&](pqxx::connection& c) -> Result<std::vector<std::pair<domain::TeamId, domain::Tier>>> {
        pqxx::nontransaction tx(c);
        std::vector<std::pair<domain::TeamId, domain::Tier>> groups;
        for (const auto& row :
             tx.exec_params("SELECT DISTINCT team_id, tier FROM billing_changes WHERE applied_at IS NULL"
                            " AND effective = 'now' AND next_attempt_at <= " +
                                at(1) + " LIMIT $2",
                            epoch_us(now), limit)) {
          groups.emplace_back(domain::TeamId{row[0].as<std::int64_t>()}, *domain::parse_tier(row[1].c_str()));
        }
        return groups;
      });
}

Result<void> PgBillingOutbox::settle(
    domain::TeamId team, domain::Tier tier, domain::Timestamp now,
    const std::function<domain::BillingOutcome(const domain::PendingBilling&)>& decide) {
  return settle_claimed<domain::PendingBilling, domain::BillingOutcome>(
      pool_, owner_, now,
      [&](pqxx::work& tx) {
        return tx.exec_params(
            "SELECT id, attempts FROM billing_changes WHERE team_id = $1 AND tier = $2 AND applied_at IS NULL"
            " AND effective = 'now' AND next_attempt_at <= " +
                at(3) + " ORDER BY id FOR UPDATE SKIP LOCKED",
            team.value, std::string(domain::to_string(tier)), epoch_us(now));
      },
      [&](pqxx::work& tx, const pqxx::result& rows) { return read_pending(tx, team, tier, rows); }, decide,
      [](pqxx::work& tx, const domain::PendingBilling& pending, const std::string& ids,
         const domain::BillingOutcome& outcome) { record(tx, pending, ids, outcome); });
}

Result<std::vector<domain::BilledTeam>> PgBillingOutbox::billed_teams(bool only_unread) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::BilledTeam>> {
    pqxx::nontransaction tx(c);
    const auto count = [](const char* tier) {
      return std::string("(SELECT count(*) FROM tracked_accounts a WHERE a.team_id = b.team_id AND a.is_active"
                         " AND a.tier = '") +
             tier + "')";
    };
    std::vector<domain::BilledTeam> teams;
    for (const auto& row :
         tx.exec("SELECT team_id, subscription_id, starter_item, growth_item, pro_item, " + count("starter") + ", " +
                 count("growth") + ", " + count("pro") + " FROM team_billing b" +
                 (only_unread ? " WHERE status_read_at IS NULL" : "") + " ORDER BY team_id")) {
      domain::BilledTeam team{domain::TeamId{row[0].as<std::int64_t>()}, row[1].as<std::string>(), {}};
      const domain::Tier tiers[] = {domain::Tier::kStarter, domain::Tier::kGrowth, domain::Tier::kPro};
      for (int i = 0; i < 3; ++i) {
        if (row[2 + i].is_null()) continue;
        team.desired[row[2 + i].as<std::string>()] = {tiers[i], row[5 + i].as<int>()};
      }
      teams.push_back(std::move(team));
    }
    return teams;
  });
}

Result<void> PgBillingOutbox::resettle(domain::TeamId team, domain::Tier tier, const std::string& reason) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    const std::string tier_name(domain::to_string(tier));
    tx.exec_params("DELETE FROM billing_quantities WHERE team_id = $1 AND tier = $2", team.value, tier_name);
    tx.exec_params("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason) SELECT $1, $2,"
                   " (SELECT count(*) FROM tracked_accounts WHERE team_id = $1 AND tier = $2 AND is_active), 'now', $3",
                   team.value, tier_name, reason);
    commit(tx);
    return {};
  });
}

Result<void> PgBillingOutbox::record_subscription(domain::TeamId team, const domain::SubscriptionState& state) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    std::optional<std::int64_t> period_end;
    if (state.current_period_end) period_end = epoch_us(*state.current_period_end);
    tx.exec_params("UPDATE team_billing SET status = $2, current_period_end = coalesce(" + at(3) +
                       ", current_period_end), status_read_at = now(), updated_at = now() WHERE team_id = $1",
                   team.value, state.status, period_end);
    commit(tx);
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
