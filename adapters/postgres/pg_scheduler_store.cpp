#include "adapters/postgres/pg_scheduler_store.hpp"

#include <boost/json.hpp>

#include "adapters/postgres/connection_defaults.hpp"
#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;
namespace json = boost::json;

/// The advisory lock key of scheduler leadership ("leadstrm" in ASCII).
constexpr std::int64_t kSchedulerLock = 0x6c65616473747270;

/// id, sync_times, timezone, cron as the scheduler reads a stream.
domain::Stream read_schedule(const pqxx::row& row) {
  domain::Stream stream;
  stream.id = domain::StreamId{row[0].as<std::int64_t>()};
  stream.settings.sync_times = json::value_to<std::vector<std::string>>(json::parse(row[1].c_str()));
  stream.settings.timezone = row[2].as<std::string>();
  stream.settings.cron = optional_of<std::string>(row[3]);
  return stream;
}

}  // namespace

Result<std::vector<domain::Stream>> PgSchedulerStore::unscheduled(int limit) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::Stream>> {
    pqxx::nontransaction tx(c);
    std::vector<domain::Stream> streams;
    for (const auto& row : tx.exec_params("SELECT id, to_jsonb(sync_times)::text, timezone, cron FROM streams"
                                          " WHERE next_sync_at IS NULL AND archived_at IS NULL AND is_active"
                                          " ORDER BY id LIMIT $1",
                                          limit)) {
      streams.push_back(read_schedule(row));
    }
    return streams;
  });
}

Result<void> PgSchedulerStore::set_next_slots(
    const std::vector<std::pair<domain::StreamId, std::optional<domain::Timestamp>>>& slots) {
  if (slots.empty()) return {};
  std::vector<std::int64_t> ids;
  std::string times = "{";
  for (const auto& [id, slot] : slots) {
    ids.push_back(id.value);
    if (times.size() > 1) times += ',';
    times += slot ? std::to_string(epoch_us(*slot)) : "NULL";
  }
  times += '}';
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    tx.exec_params("UPDATE streams s SET next_sync_at = coalesce(to_timestamp(v.us / 1000000.0), 'infinity')"
                   " FROM (SELECT unnest($1::bigint[]) AS id, unnest($2::bigint[]) AS us) v WHERE s.id = v.id",
                   id_array(ids), times);
    commit(tx);
    return {};
  });
}

Result<int> PgSchedulerStore::prune(domain::Timestamp logs_before, domain::Timestamp runs_before) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<int> {
    pqxx::work tx(c);
    tx.exec_params(
        "UPDATE sync_runs SET progress_log = '[]' WHERE completed_at < " + at(1) + " AND progress_log <> '[]'",
        epoch_us(logs_before));
    const auto deleted = tx.exec_params("DELETE FROM sync_runs WHERE completed_at < " + at(1), epoch_us(runs_before));
    commit(tx);
    return static_cast<int>(deleted.affected_rows());
  });
}

Result<int> PgSchedulerStore::prune_records(domain::Timestamp keys_before, domain::Timestamp changes_before) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<int> {
    pqxx::work tx(c);
    const auto keys = tx.exec_params("DELETE FROM idempotency_keys WHERE created_at < " + at(1), epoch_us(keys_before));
    const auto changes =
        tx.exec_params("DELETE FROM billing_changes WHERE applied_at < " + at(1), epoch_us(changes_before));
    commit(tx);
    return static_cast<int>(keys.affected_rows() + changes.affected_rows());
  });
}

Result<domain::EnqueuedBatch> PgSchedulerStore::enqueue_due(domain::Timestamp now, domain::Timestamp day_start,
                                                            const std::vector<domain::DailySyncCap>& caps, int limit) {
  std::string tier_names = "{", syncs = "{";
  for (const auto& cap : caps) {
    if (tier_names.size() > 1) tier_names += ',', syncs += ',';
    tier_names += domain::to_string(cap.tier);
    syncs += std::to_string(cap.syncs_per_day);
  }
  tier_names += '}', syncs += '}';
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::EnqueuedBatch> {
    pqxx::work tx(c);
    const auto rows = tx.exec_params(
        "WITH due AS ("
        "  SELECT id, team_id, next_sync_at FROM streams"
        "  WHERE next_sync_at <= " +
            at(1) +
            " AND archived_at IS NULL AND is_active"
            "  ORDER BY next_sync_at, id LIMIT $5 FOR UPDATE SKIP LOCKED),"
            // One run per active (stream, account) due, and for an account due in several
            // streams only as many as its day's syncs have left: the nth stream of the account
            // in the batch counts the n - 1 before it. (A pair whose last run is still open
            // enqueues nothing, its insert conflicting, yet keeps its rank: the error is on the
            // side of the budget, and checking for it made bench/scheduler's tick 3.6 times slower.)
            " pairs AS ("
            "  SELECT DISTINCT d.team_id, d.id AS stream_id, a.id AS account_id, d.next_sync_at AS slot_at, a.tier,"
            "    a.is_active"
            "  FROM due d JOIN stream_pairs p ON p.stream_id = d.id JOIN tracked_accounts a ON a.id = p.account_id),"
            " ranked AS ("
            "  SELECT p.*, row_number() OVER (PARTITION BY p.account_id ORDER BY p.slot_at, p.stream_id) AS nth,"
            "    (SELECT count(*) FROM sync_runs r WHERE r.account_id = p.account_id AND " +
            spends_daily_sync("r", at(2)) +
            ") AS used"
            "  FROM pairs p WHERE p.is_active),"
            " wanted AS ("
            "  SELECT r.team_id, r.stream_id, r.account_id, r.slot_at FROM ranked r"
            "  JOIN unnest($3::text[], $4::int[]) AS cap(tier, syncs) ON cap.tier = r.tier WHERE r.used + r.nth <= cap.syncs),"
            " inserted AS ("
            "  INSERT INTO sync_runs (team_id, stream_id, account_id, source, mode, slot_at)"
            "  SELECT team_id, stream_id, account_id, 'cron', 'sync', slot_at FROM wanted"
            "  ON CONFLICT DO NOTHING RETURNING 1)"
            " SELECT s.id, to_jsonb(s.sync_times)::text, s.timezone, s.cron, (SELECT count(*) FROM inserted),"
            "   (SELECT count(*) FROM ranked) - (SELECT count(*) FROM wanted),"
            "   (SELECT count(*) FROM pairs WHERE NOT is_active)"
            " FROM due d JOIN streams s ON s.id = d.id",
        epoch_us(now), epoch_us(day_start), tier_names, syncs, limit);
    domain::EnqueuedBatch batch;
    for (const auto& row : rows) {
      batch.streams.push_back(read_schedule(row));
      batch.runs_enqueued = row[4].as<int>();
      batch.skipped_budget_exhausted = row[5].as<int>();
      batch.skipped_account_sleeping = row[6].as<int>();
    }
    if (batch.runs_enqueued > 0) tx.exec("NOTIFY sync_runs");
    commit(tx);
    return batch;
  });
}

struct PgLeadership::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> connection;
  bool leading = false;
};

PgLeadership::PgLeadership(std::string url) : impl_(std::make_unique<Impl>(Impl{std::move(url), nullptr, false})) {}

PgLeadership::~PgLeadership() = default;

bool PgLeadership::lead() {
  try {
    if (!impl_->connection)
      impl_->connection = std::make_unique<pqxx::connection>(with_connection_defaults(impl_->url));
    pqxx::nontransaction tx(*impl_->connection);
    if (impl_->leading) {
      tx.exec("SELECT 1");  // the session, and with it the lock, is still there
      return true;
    }
    impl_->leading = tx.exec_params("SELECT pg_try_advisory_lock($1)", kSchedulerLock)[0][0].as<bool>();
    return impl_->leading;
  } catch (const std::exception&) {
    // The session is gone, and the lock with it: another process may lead now.
    impl_->connection.reset();
    impl_->leading = false;
    return false;
  }
}

}  // namespace leadstream::adapters::postgres
