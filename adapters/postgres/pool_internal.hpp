#pragma once

// Only for adapters/postgres/*.cpp: the pqxx side of ConnectionPool.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/postgres/connection_pool.hpp"
#include "domain/model/enrichment.hpp"
#include "domain/model/team.hpp"
#include "domain/result.hpp"

namespace leadstream::adapters::postgres {

struct ConnectionPool::Impl {
  std::string url;
  std::size_t size;
  std::chrono::milliseconds acquire_timeout;
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<std::unique_ptr<pqxx::connection>> idle;
  std::size_t open = 0;  // idle + lent

  /// Throws pqxx::broken_connection when none can be opened or none frees up in time.
  std::unique_ptr<pqxx::connection> acquire();
  void release(std::unique_ptr<pqxx::connection> connection);
};

/// A connection lent for one unit of work; a broken one is dropped instead of returned.
class Lease {
 public:
  explicit Lease(ConnectionPool& pool) : pool_(pool.impl()), connection_(pool_.acquire()) {}
  ~Lease() { pool_.release(std::move(connection_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  pqxx::connection& operator*() { return *connection_; }

 private:
  ConnectionPool::Impl& pool_;
  std::unique_ptr<pqxx::connection> connection_;
};

/// Before a commit: when this thread carries out a request under an Idempotency-Key and
/// `tx` wrote anything, marks the key's claim as having taken effect, in `tx`, so that the
/// mark and the writes commit together (PgIdempotencyStore::begin_acting).
void mark_acted(pqxx::work& tx);

/// Locks the team's row until `tx` ends: a team's writes that count before they insert
/// (quotas, credits, billing) take it, so that concurrent ones see each other. False when
/// there is no such team.
inline bool lock_team_row(pqxx::work& tx, domain::TeamId team) {
  return !tx.exec_params("SELECT 1 FROM teams WHERE id = $1 FOR UPDATE", team.value).empty();
}

/// Every store commits through this, so that no writing transaction of a request can
/// forget its mark (ctest one_commit_helper checks that nothing else calls commit()).
inline void commit(pqxx::work& tx) {
  mark_acted(tx);
  tx.commit();
}

/// Runs `work(connection)` on a leased connection and turns libpqxx's exceptions into
/// domain errors at this boundary: unreachable -> kUnavailable, unique -> kConflict,
/// anything else -> kInternal.
template <class Work>
auto with_connection(ConnectionPool& pool, Work&& work) -> decltype(work(std::declval<pqxx::connection&>())) {
  try {
    Lease lease(pool);
    return work(*lease);
  } catch (const pqxx::broken_connection&) {
    return domain::Error{domain::ErrorCode::kUnavailable, "database unavailable"};
  } catch (const pqxx::unique_violation&) {
    return domain::Error{domain::ErrorCode::kConflict, "already exists"};
  } catch (const pqxx::in_doubt_error&) {
    return domain::Error{domain::ErrorCode::kUnavailable, "database connection lost during commit"};
  } catch (const pqxx::failure& error) {
    // A bug or a schema out of step with the code: the detail is for the log only.
    return domain::Error{domain::ErrorCode::kInternal, std::string("database error: ") + error.what()};
  }
}

/// A PostgreSQL array literal of ids, "{1,2,3}", for `= ANY($n::bigint[])`.
inline std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string text = "{";
  for (const auto id : ids) {
    if (text.size() > 1) text += ',';
    text += std::to_string(id);
  }
  text += '}';
  return text;
}

/// Microseconds since the epoch, as the queries select timestamps.
inline domain::Timestamp from_epoch_us(std::int64_t microseconds) {
  return domain::Timestamp{std::chrono::microseconds{microseconds}};
}

inline std::int64_t epoch_us(domain::Timestamp time) { return time.time_since_epoch().count(); }

/// SQL selecting a timestamptz column as microseconds since the epoch.
inline std::string us(const char* column) {
  return std::string("(extract(epoch FROM ") + column + ") * 1000000)::bigint";
}

/// SQL for "the timestamp in microseconds of parameter $n".
inline std::string at(int parameter) { return "to_timestamp($" + std::to_string(parameter) + "::bigint / 1000000.0)"; }

/// As at(), in integer arithmetic: exact to the microsecond where a comparison must be
/// (to_timestamp goes through a double).
inline std::string at_exact(int parameter) {
  return "('epoch'::timestamptz + $" + std::to_string(parameter) + "::bigint * interval '1 microsecond')";
}

template <class T>
std::optional<T> optional_of(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<T>();
}

inline std::optional<domain::Timestamp> optional_time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return from_epoch_us(field.as<std::int64_t>());
}

/// Queues `leads.created` deliveries of the run's leads, at most 100 a delivery, to each
/// active subscription of the team whose filter they match: called in the transaction
/// that marks the run succeeded, so a success never goes without its deliveries.
void queue_run_deliveries(pqxx::work& tx, std::int64_t run);

/// Queues a `lead.feedback` delivery of the lead to each active subscription of the team
/// whose filter it matches, `feedbackStatus` (good | bad) included: called in the
/// transaction that records the feedback.
void queue_feedback_deliveries(pqxx::work& tx, std::int64_t team, std::int64_t lead, const std::string& status);

/// An optional id as an optional parameter (NULL when absent).
std::optional<std::int64_t> value_of(const auto& id) {
  if (!id) return std::nullopt;
  return id->value;
}

/// The one SQL spelling of the daily sync budget's rule: whether a run of `runs` (an alias
/// of sync_runs) spends one of its account's syncs of the day starting at `day_start` (an
/// SQL expression; domain::usage_day_start says which day). Failed syncs spend nothing.
/// The re-test budget's rule, likewise: a re-test of `runs` triggered since `period_start`
/// spends one of its account's re-tests of the billing period. Failed ones spend nothing.
inline std::string spends_retest(const std::string& runs, const std::string& period_start) {
  return "(" + runs + ".mode = 'retest' AND " + runs + ".status <> 'failed' AND " + runs +
         ".triggered_at >= " + period_start + ")";
}

inline std::string spends_daily_sync(const std::string& runs, const std::string& day_start) {
  return "(" + runs + ".mode = 'sync' AND " + runs + ".status <> 'failed' AND " + runs +
         ".triggered_at >= " + day_start + ")";
}

/// The columns of `enrichments` (table alias `alias`) that read_enrichment reads back.
inline std::string enrichment_columns(const std::string& alias) {
  const auto column = [&](const char* name) { return alias + "." + name; };
  return column("linkedin_url") + ", " + column("linkedin_confidence") + ", " + column("email") + ", " +
         column("email_status") + ", " + column("email_provider") + ", " + column("email_confidence") + ", " +
         column("phone") + ", " + us((alias + ".enriched_at").c_str());
}

/// What enrichment_columns selected, from column `first` on; nullopt for a row without
/// one (a LEFT JOIN that found none).
inline std::optional<domain::Enrichment> read_enrichment(const pqxx::row& row, int first) {
  if (row[first + 7].is_null()) return std::nullopt;
  domain::Enrichment e;
  if (!row[first].is_null()) {
    e.linkedin = domain::FoundLinkedin{row[first].as<std::string>(), row[first + 1].as<double>()};
  }
  if (!row[first + 2].is_null()) {
    e.email = domain::FoundEmail{row[first + 2].as<std::string>(), row[first + 3].as<std::string>(),
                                 row[first + 4].as<std::string>(), row[first + 5].as<double>(0.0)};
  }
  e.phone = optional_of<std::string>(row[first + 6]);
  e.enriched_at = from_epoch_us(row[first + 7].as<std::int64_t>());
  return e;
}

}  // namespace leadstream::adapters::postgres
