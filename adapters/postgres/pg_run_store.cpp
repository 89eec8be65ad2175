#include "adapters/postgres/pg_run_store.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <array>
#include <unordered_set>

#include "adapters/postgres/binary_array.hpp"
#include "adapters/postgres/pool_internal.hpp"
#include "domain/model/time.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;
namespace json = boost::json;

domain::Error lease_lost(domain::RunId run) {
  return domain::Error{domain::ErrorCode::kConflict, "run " + std::to_string(run.value) + ": lease lost"};
}

std::optional<std::int64_t> value_of(const auto& id) {
  if (!id) return std::nullopt;
  return id->value;
}

/// Adds a page's counters to the run, moves its cursor and renews its lease, as the last
/// statement of the page's transaction: false when `owner` no longer holds the lease, and
/// the caller must then not commit. Last, so that the run row is locked only briefly.
bool finish_page(pqxx::work& tx, domain::RunId run, std::string_view owner, std::chrono::seconds lease,
                 const std::optional<std::string>& next_cursor, const domain::RunCounters& added) {
  return !tx.exec_params(
                "UPDATE sync_runs SET lease_expires_at = now() + make_interval(secs => $3), follower_cursor = $4,"
                " followers_walked = followers_walked + $5, new_followers_count = new_followers_count + $6,"
                " candidates_passed_count = candidates_passed_count + $7, high_fit_count = high_fit_count + $8,"
                " medium_fit_count = medium_fit_count + $9, leads_created = leads_created + $10,"
                " api_calls = api_calls + $11"
                " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id",
                run.value, std::string(owner), static_cast<double>(lease.count()), next_cursor,
                added.followers_walked, added.new_followers, added.candidates_passed, added.high_fit,
                added.medium_fit, added.leads_created, added.api_calls)
              .empty();
}

/// `UPDATE sync_runs SET <set>` on the run while `owner` holds its lease, in a transaction
/// of its own; `set` names its parameters from $3 on. kConflict when the lease was lost.
template <class... Params>
Result<void> update_leased(ConnectionPool& pool, domain::RunId run, std::string_view owner, const std::string& set,
                           const Params&... params) {
  return with_connection(pool, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    if (tx.exec_params("UPDATE sync_runs SET " + set +
                           " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id",
                       run.value, std::string(owner), params...)
            .empty()) {
      return lease_lost(run);
    }
    tx.commit();
    return {};
  });
}

std::string progress_json(const domain::ProgressEntry& entry) {
  return json::serialize(json::array{json::object{
      {"step", entry.step}, {"message", entry.message}, {"timestamp", domain::format_rfc3339(entry.at)}}});
}

/// A page as binary arrays, one per column, for unnest(): a whole page goes in one
/// statement, without a temporary table to fill and empty, and with no array literal for
/// the server to parse.
class PageColumns {
 public:
  using Element = BinaryArray::Element;

  void add(const domain::FollowerProfile& p) {
    ids_.add_text(p.x_user_id);
    handles_.add_text(p.handle);
    names_.add_text(p.display_name);
    bios_.add_text(p.bio);
    locations_.add_text(p.location);
    urls_.add_text(p.url);
    images_.add_text(p.profile_image_url);
    followers_.add_int8(p.followers_count);
    following_.add_int8(p.following_count);
    tweets_.add_int8(p.tweet_count);
    verified_.add_bool(p.verified);
    protected_.add_bool(p.is_protected);
  }

  /// The columns in the order of kUpsertPage's parameters $4 to $15.
  std::array<pqxx::binarystring, 12> build() {
    return {ids_.build(),    handles_.build(),   names_.build(),  bios_.build(),
            locations_.build(), urls_.build(),   images_.build(), followers_.build(),
            following_.build(), tweets_.build(), verified_.build(), protected_.build()};
  }

 private:
  BinaryArray ids_{Element::kText}, handles_{Element::kText}, names_{Element::kText}, bios_{Element::kText},
      locations_{Element::kText}, urls_{Element::kText}, images_{Element::kText}, followers_{Element::kInt8},
      following_{Element::kInt8}, tweets_{Element::kInt8}, verified_{Element::kBool}, protected_{Element::kBool};
};

/// Upserts the page into the account's follower cache and marks each follower processed
/// for the stream ($1) in the row itself, which costs the insert nothing, where a marker
/// table cost a second index-maintained insert per follower. Returns the X user ids the
/// stream had processed before (few: a walk stops at the first page of known followers):
/// `new_for_run` is how the statement tells them apart, since RETURNING sees only the row
/// as updated.
const std::string kUpsertPage =
    "WITH saved AS ("
    "  INSERT INTO followers AS f (account_id, x_user_id, handle, display_name, bio, location, url,"
    "    profile_image_url, followers_count, following_count, tweet_count, verified, protected, processed_by,"
    "    new_for_run)"
    "  SELECT $2, p.*, ARRAY[$1::bigint], $3::bigint"
    "  FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],"
    "    $11::bigint[], $12::bigint[], $13::bigint[], $14::boolean[], $15::boolean[]) AS p"
    "  ON CONFLICT (account_id, x_user_id) DO UPDATE SET handle = excluded.handle,"
    "    display_name = excluded.display_name, bio = excluded.bio, location = excluded.location, url = excluded.url,"
    "    profile_image_url = excluded.profile_image_url, followers_count = excluded.followers_count,"
    "    following_count = excluded.following_count, tweet_count = excluded.tweet_count,"
    "    verified = excluded.verified, protected = excluded.protected, last_seen_at = now(),"
    "    processed_by = CASE WHEN $1 = ANY (f.processed_by) THEN f.processed_by ELSE f.processed_by || $1 END,"
    "    new_for_run = CASE WHEN $1 = ANY (f.processed_by) THEN NULL ELSE $3 END"
    "  RETURNING x_user_id, new_for_run)"
    " SELECT x_user_id FROM saved WHERE new_for_run IS DISTINCT FROM $3";

/// The followers of the page with duplicates dropped (one statement cannot upsert a row
/// twice), in X user id order: two runs upserting overlapping pages of one account then
/// lock their rows in the same order, and cannot deadlock.
std::vector<const domain::ScoredFollower*> distinct(const std::vector<domain::ScoredFollower>& followers) {
  std::vector<const domain::ScoredFollower*> out;
  out.reserve(followers.size());
  for (const auto& follower : followers) out.push_back(&follower);
  const auto id = [](const domain::ScoredFollower* f) -> const std::string& { return f->profile.x_user_id; };
  std::ranges::stable_sort(out, {}, id);
  const auto duplicates = std::ranges::unique(out, {}, id);
  out.erase(duplicates.begin(), duplicates.end());
  return out;
}

std::unordered_set<std::string> save_followers(pqxx::work& tx, const domain::ClaimedRun& run,
                                               const std::vector<const domain::ScoredFollower*>& followers) {
  PageColumns columns;
  for (const auto* follower : followers) columns.add(follower->profile);
  const auto c = columns.build();
  // Prepared once per connection (a repeated prepare() of the same text is a no-op): a
  // page's statement is planned once, not once a page.
  tx.conn().prepare("upsert_page", kUpsertPage);
  std::unordered_set<std::string> known;
  for (const auto& row : tx.exec_prepared("upsert_page", run.stream_id.value, run.account_id.value, run.id.value,
                                          c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11])) {
    known.insert(row[0].as<std::string>());
  }
  return known;
}

/// A lead's reasons as one text, split again by string_to_array(): a jsonb document per
/// lead, unpacked by a subquery, cost the lead insert more than its rows.
std::string joined_reasons(const std::vector<std::string>& reasons) {
  constexpr char kSeparator = '\x1f';  // ASCII unit separator: never in a profile's words
  std::string out;
  for (const auto& reason : reasons) {
    if (!out.empty()) out += kSeparator;
    for (const char c : reason) {
      if (c != kSeparator) out += c;
    }
  }
  return out;
}

const std::string kInsertLeads =
    "INSERT INTO leads (team_id, stream_id, segment_id, account_id, x_user_id, run_id, match_confidence, score,"
    " reasons) SELECT $1, $2, l.segment_id, $3, l.x_user_id, $4, l.confidence, l.score,"
    " string_to_array(l.reasons, E'\\x1f')"
    " FROM unnest($5::bigint[], $6::text[], $7::text[], $8::real[], $9::text[])"
    "   AS l(segment_id, x_user_id, confidence, score, reasons)"
    " ON CONFLICT (stream_id, segment_id, x_user_id) DO NOTHING RETURNING match_confidence";

/// Leads for the followers that matched, but those in `known`; the unique (stream,
/// segment, follower) keeps a reclaimed page from creating one twice. Adds what was
/// created to `added`.
void insert_leads(pqxx::work& tx, const domain::ClaimedRun& run,
                  const std::vector<const domain::ScoredFollower*>& followers,
                  const std::unordered_set<std::string>& known, domain::RunCounters& added) {
  using Element = BinaryArray::Element;
  BinaryArray segments{Element::kInt8}, ids{Element::kText}, confidences{Element::kText}, scores{Element::kFloat4},
      reasons{Element::kText};
  for (const auto* follower : followers) {
    if (follower->matches.empty() || known.contains(follower->profile.x_user_id)) continue;
    for (const auto& match : follower->matches) {
      segments.add_int8(match.segment_id.value);
      ids.add_text(follower->profile.x_user_id);
      confidences.add_text(domain::to_string(match.confidence));
      scores.add_float4(static_cast<float>(match.score));
      reasons.add_text(joined_reasons(match.reasons));
    }
  }
  if (segments.size() == 0) return;
  tx.conn().prepare("insert_leads", kInsertLeads);
  for (const auto& row : tx.exec_prepared("insert_leads", run.team_id.value, run.stream_id.value, run.account_id.value,
                                          run.id.value, segments.build(), ids.build(), confidences.build(),
                                          scores.build(), reasons.build())) {
    ++added.leads_created;
    ++(row[0].as<std::string>() == "high" ? added.high_fit : added.medium_fit);
  }
}

const std::string kRunColumns =
    "r.id, r.team_id, r.stream_id, s.name, r.account_id, a.display_handle, r.segment_id, g.name, r.source, r.mode,"
    " r.status, " + us("r.triggered_at") + ", " + us("r.started_at") + ", " + us("r.completed_at") +
    ", r.attempt, r.followers_walked, r.new_followers_count, r.candidates_passed_count, r.high_fit_count,"
    " r.medium_fit_count, r.enriched_count, r.leads_created, r.api_calls, r.error_message, r.progress_log::text"
    " FROM sync_runs r JOIN streams s ON s.id = r.stream_id JOIN tracked_accounts a ON a.id = r.account_id"
    " LEFT JOIN segments g ON g.id = r.segment_id";

std::vector<domain::ProgressEntry> read_progress(const pqxx::field& field) {
  std::vector<domain::ProgressEntry> entries;
  const auto log = json::parse(field.c_str());
  for (const auto& item : log.as_array()) {
    const auto& entry = item.as_object();
    entries.push_back(domain::ProgressEntry{json::value_to<std::string>(entry.at("step")),
                                            json::value_to<std::string>(entry.at("message")),
                                            domain::parse_rfc3339(json::value_to<std::string>(entry.at("timestamp")))
                                                .value_or(domain::Timestamp{})});
  }
  return entries;
}

domain::Run read_run(const pqxx::row& row) {
  domain::Run run;
  run.id = domain::RunId{row[0].as<std::int64_t>()};
  run.team_id = domain::TeamId{row[1].as<std::int64_t>()};
  run.stream_id = domain::StreamId{row[2].as<std::int64_t>()};
  run.stream_name = row[3].as<std::string>();
  run.account_id = domain::AccountId{row[4].as<std::int64_t>()};
  run.handle = row[5].as<std::string>();
  if (!row[6].is_null()) run.segment_id = domain::SegmentId{row[6].as<std::int64_t>()};
  run.segment_name = optional_of<std::string>(row[7]);
  run.source = row[8].as<std::string>() == "cron" ? domain::RunSource::kCron : domain::RunSource::kManual;
  run.mode = row[9].as<std::string>() == "sync" ? domain::RunMode::kSync : domain::RunMode::kRetest;
  run.status = domain::parse_run_status(row[10].c_str()).value_or(domain::RunStatus::kQueued);
  run.triggered_at = from_epoch_us(row[11].as<std::int64_t>());
  run.started_at = optional_time(row[12]);
  run.completed_at = optional_time(row[13]);
  run.attempt = row[14].as<int>();
  auto& c = run.counters;
  c.followers_walked = row[15].as<int>();
  c.new_followers = row[16].as<int>();
  c.candidates_passed = row[17].as<int>();
  c.high_fit = row[18].as<int>();
  c.medium_fit = row[19].as<int>();
  c.enriched = row[20].as<int>();
  c.leads_created = row[21].as<int>();
  c.api_calls = row[22].as<int>();
  run.error_message = optional_of<std::string>(row[23]);
  run.progress_log = read_progress(row[24]);
  return run;
}

const std::string kLeadColumns =
    "l.id, l.stream_id, l.account_id, l.segment_id, l.run_id, l.match_confidence, l.score,"
    " to_jsonb(l.reasons)::text, l.source_type, l.lifecycle, " + us("l.discovered_at") + ", " + us("l.exported_at") +
    ", f.x_user_id, f.handle, f.display_name, f.bio, f.location, f.url, f.profile_image_url, f.followers_count,"
    " f.following_count, f.verified"
    " FROM leads l JOIN followers f ON f.account_id = l.account_id AND f.x_user_id = l.x_user_id";

domain::Lead read_lead(const pqxx::row& row) {
  domain::Lead lead;
  lead.id = domain::LeadId{row[0].as<std::int64_t>()};
  lead.stream_id = domain::StreamId{row[1].as<std::int64_t>()};
  lead.account_id = domain::AccountId{row[2].as<std::int64_t>()};
  lead.segment_id = domain::SegmentId{row[3].as<std::int64_t>()};
  if (!row[4].is_null()) lead.run_id = domain::RunId{row[4].as<std::int64_t>()};
  lead.confidence = domain::parse_match_confidence(row[5].c_str()).value_or(domain::MatchConfidence::kMedium);
  lead.score = row[6].as<double>();
  lead.reasons = json::value_to<std::vector<std::string>>(json::parse(row[7].c_str()));
  lead.source_type = row[8].as<std::string>();
  lead.lifecycle = row[9].as<std::string>();
  lead.discovered_at = from_epoch_us(row[10].as<std::int64_t>());
  lead.exported_at = optional_time(row[11]);
  auto& p = lead.profile;
  p.x_user_id = row[12].as<std::string>();
  p.handle = row[13].as<std::string>();
  p.display_name = row[14].as<std::string>();
  p.bio = row[15].as<std::string>();
  p.location = row[16].as<std::string>();
  p.url = row[17].as<std::string>();
  p.profile_image_url = row[18].as<std::string>();
  p.followers_count = row[19].as<std::int64_t>();
  p.following_count = row[20].as<std::int64_t>();
  p.verified = row[21].as<bool>();
  return lead;
}

}  // namespace

Result<std::optional<domain::RunId>> PgRunStore::enqueue(const domain::RunOrder& order) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::RunId>> {
    pqxx::work tx(c);
    std::optional<std::int64_t> slot;
    if (order.slot_at) slot = epoch_us(*order.slot_at);
    const auto rows = tx.exec_params(
        "INSERT INTO sync_runs (team_id, stream_id, account_id, source, mode, slot_at, segment_id)"
        " VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint / 1000000.0), $7) ON CONFLICT DO NOTHING RETURNING id",
        order.team_id.value, order.stream_id.value, order.account_id.value, std::string(domain::to_string(order.source)),
        std::string(domain::to_string(order.mode)), slot, value_of(order.segment_id));
    if (rows.empty()) return std::optional<domain::RunId>();
    // Wakes idle workers at once; delivered at commit, dropped on rollback.
    tx.exec("NOTIFY sync_runs");
    mark_acted(tx);
    tx.commit();
    return std::optional<domain::RunId>(domain::RunId{rows[0][0].as<std::int64_t>()});
  });
}

Result<int> PgRunStore::syncs_since(domain::AccountId account, domain::Timestamp since) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<int> {
    pqxx::nontransaction tx(c);
    return tx.exec_params("SELECT count(*) FROM sync_runs WHERE account_id = $1 AND mode = 'sync'"
                          " AND status <> 'failed' AND triggered_at >= " + at(2),
                          account.value, epoch_us(since))[0][0].as<int>();
  });
}

Result<bool> PgRunStore::has_open_run(domain::StreamId stream, domain::AccountId account) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::nontransaction tx(c);
    return !tx.exec_params("SELECT 1 FROM sync_runs WHERE stream_id = $1 AND account_id = $2 AND mode = 'sync'"
                           " AND status IN ('queued', 'running')",
                           stream.value, account.value).empty();
  });
}

Result<std::optional<domain::ClaimedRun>> PgRunStore::claim(std::string_view owner, std::chrono::seconds lease) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::ClaimedRun>> {
    pqxx::work tx(c);
    const auto claimed = tx.exec_params(
        "WITH next AS (SELECT id FROM sync_runs"
        "   WHERE (status = 'queued' AND run_after <= now()) OR (status = 'running' AND lease_expires_at < now())"
        "   ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
        " UPDATE sync_runs r SET status = 'running', lease_owner = $1,"
        "   lease_expires_at = now() + make_interval(secs => $2), started_at = coalesce(started_at, now()),"
        "   attempt = attempt + 1"
        " FROM next WHERE r.id = next.id"
        " RETURNING r.id, r.team_id, r.stream_id, r.account_id, r.mode, r.attempt, r.follower_cursor,"
        "   r.followers_walked, r.segment_id",
        std::string(owner), static_cast<double>(lease.count()));
    if (claimed.empty()) return std::optional<domain::ClaimedRun>();
    const auto& row = claimed[0];
    domain::ClaimedRun run;
    run.id = domain::RunId{row[0].as<std::int64_t>()};
    run.team_id = domain::TeamId{row[1].as<std::int64_t>()};
    run.stream_id = domain::StreamId{row[2].as<std::int64_t>()};
    run.account_id = domain::AccountId{row[3].as<std::int64_t>()};
    run.mode = row[4].as<std::string>() == "sync" ? domain::RunMode::kSync : domain::RunMode::kRetest;
    run.attempt = row[5].as<int>();
    run.cursor = optional_of<std::string>(row[6]);
    run.followers_walked = row[7].as<int>();
    if (!row[8].is_null()) run.segment_id = domain::SegmentId{row[8].as<std::int64_t>()};

    const auto context = tx.exec_params(
        "SELECT a.handle, a.x_user_id, a.tier, a.is_active, s.archived_at IS NOT NULL,"
        "  NOT EXISTS (SELECT 1 FROM sync_runs p WHERE p.stream_id = s.id AND p.account_id = a.id"
        "              AND p.mode = 'sync' AND p.status = 'succeeded'),"
        "  (SELECT p.source_follower_count FROM sync_runs p WHERE p.stream_id = s.id AND p.account_id = a.id"
        "   AND p.mode = 'sync' AND p.status = 'succeeded' ORDER BY p.id DESC LIMIT 1)"
        " FROM tracked_accounts a, streams s WHERE a.id = $1 AND s.id = $2",
        run.account_id.value, run.stream_id.value)[0];
    run.handle = context[0].as<std::string>();
    run.x_user_id = optional_of<std::string>(context[1]);
    run.tier = domain::parse_tier(context[2].c_str()).value_or(domain::Tier::kStarter);
    run.account_sleeping = !context[3].as<bool>();
    run.stream_archived = context[4].as<bool>();
    run.first_sync = context[5].as<bool>();
    run.last_follower_count = optional_of<std::int64_t>(context[6]);
    for (const auto& segment : tx.exec_params(
             "SELECT g.id, g.description, to_jsonb(g.keywords)::text, to_jsonb(g.exclude_keywords)::text"
             " FROM stream_pairs p JOIN segments g ON g.id = p.segment_id"
             " WHERE p.stream_id = $1 AND p.account_id = $2 AND ($3::bigint IS NULL OR p.segment_id = $3)"
             " ORDER BY p.id",
             run.stream_id.value, run.account_id.value, value_of(run.segment_id))) {
      run.segments.push_back(domain::SegmentTerms{
          domain::SegmentId{segment[0].as<std::int64_t>()}, segment[1].as<std::string>(),
          json::value_to<std::vector<std::string>>(json::parse(segment[2].c_str())),
          json::value_to<std::vector<std::string>>(json::parse(segment[3].c_str()))});
    }
    tx.commit();
    return std::optional<domain::ClaimedRun>(std::move(run));
  });
}

Result<void> PgRunStore::renew_lease(domain::RunId run, std::string_view owner, std::chrono::seconds lease) {
  return update_leased(pool_, run, owner, "lease_expires_at = now() + make_interval(secs => $3)",
                       static_cast<double>(lease.count()));
}

Result<void> PgRunStore::record_follower_count(domain::RunId run, std::string_view owner, std::int64_t count) {
  return update_leased(pool_, run, owner, "source_follower_count = $3", count);
}

Result<void> PgRunStore::set_x_user_id(domain::AccountId account, const std::string& x_user_id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    tx.exec_params("UPDATE tracked_accounts SET x_user_id = $2 WHERE id = $1", account.value, x_user_id);
    tx.commit();
    return {};
  });
}

Result<domain::RunCounters> PgRunStore::save_page(const domain::ClaimedRun& run, std::string_view owner,
                                                  const std::vector<domain::ScoredFollower>& followers,
                                                  const std::optional<std::string>& next_cursor, int api_calls,
                                                  std::chrono::seconds lease) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::RunCounters> {
    pqxx::work tx(c);
    // A commit lost in a crash loses its whole page, cursor included, so the page is
    // fetched and saved again: waiting for the WAL flush buys nothing here.
    tx.exec("SET LOCAL synchronous_commit TO off");
    const auto unique = distinct(followers);
    const auto known = save_followers(tx, run, unique);
    domain::RunCounters added;
    added.followers_walked = static_cast<int>(followers.size());
    added.api_calls = api_calls;
    added.new_followers = static_cast<int>(unique.size() - known.size());
    for (const auto* follower : unique) {
      if (follower->passed_filter && !known.contains(follower->profile.x_user_id)) ++added.candidates_passed;
    }
    insert_leads(tx, run, unique, known, added);
    if (!finish_page(tx, run.id, owner, lease, next_cursor, added)) return lease_lost(run.id);
    tx.commit();
    return added;
  });
}

Result<std::optional<domain::Timestamp>> PgRunStore::recent_walk(domain::AccountId account, domain::StreamId stream,
                                                                 domain::Timestamp since) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::Timestamp>> {
    pqxx::nontransaction tx(c);
    // api_calls > 0: a walk at the source, not one that reused another's.
    const auto rows = tx.exec_params("SELECT " + us("max(started_at)") + " FROM sync_runs WHERE account_id = $1"
                                     " AND stream_id <> $3 AND mode = 'sync' AND status = 'succeeded'"
                                     " AND api_calls > 0 AND started_at >= " + at(2),
                                     account.value, epoch_us(since), stream.value);
    return optional_time(rows[0][0]);
  });
}

Result<domain::CachedPage> PgRunStore::cached_followers(domain::AccountId account,
                                                         const std::optional<std::string>& cursor, int limit,
                                                         std::optional<domain::Timestamp> seen_since) {
  std::optional<std::int64_t> seen_us;
  if (seen_since) seen_us = epoch_us(*seen_since);
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::CachedPage> {
    pqxx::nontransaction tx(c);
    domain::CachedPage page;
    for (const auto& row : tx.exec_params(
             "SELECT x_user_id, handle, display_name, bio, location, url, profile_image_url, followers_count,"
             " following_count, tweet_count, verified, protected FROM followers"
             " WHERE account_id = $1 AND ($2::text IS NULL OR x_user_id > $2)"
             " AND ($4::bigint IS NULL OR last_seen_at >= to_timestamp($4::bigint / 1000000.0))"
             " ORDER BY x_user_id LIMIT $3",
             account.value, cursor, limit, seen_us)) {
      page.followers.push_back(domain::FollowerProfile{
          .x_user_id = row[0].as<std::string>(), .handle = row[1].as<std::string>(),
          .display_name = row[2].as<std::string>(), .bio = row[3].as<std::string>(),
          .location = row[4].as<std::string>(), .url = row[5].as<std::string>(),
          .profile_image_url = row[6].as<std::string>(), .followers_count = row[7].as<std::int64_t>(),
          .following_count = row[8].as<std::int64_t>(), .tweet_count = row[9].as<std::int64_t>(),
          .verified = row[10].as<bool>(), .is_protected = row[11].as<bool>()});
    }
    if (static_cast<int>(page.followers.size()) == limit) page.next_cursor = page.followers.back().x_user_id;
    return page;
  });
}

Result<domain::RunCounters> PgRunStore::save_retest_page(const domain::ClaimedRun& run, std::string_view owner,
                                                         const std::vector<domain::ScoredFollower>& followers,
                                                         const std::optional<std::string>& next_cursor,
                                                         std::chrono::seconds lease) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::RunCounters> {
    pqxx::work tx(c);
    tx.exec("SET LOCAL synchronous_commit TO off");  // as save_page: a lost page is read again
    const auto unique = distinct(followers);
    domain::RunCounters added;
    added.followers_walked = static_cast<int>(followers.size());
    for (const auto* follower : unique) {
      if (follower->passed_filter) ++added.candidates_passed;
    }
    insert_leads(tx, run, unique, {}, added);  // a re-test looks at every cached follower
    if (!finish_page(tx, run.id, owner, lease, next_cursor, added)) return lease_lost(run.id);
    tx.commit();
    return added;
  });
}

Result<void> PgRunStore::log_progress(domain::RunId run, std::string_view owner, const domain::ProgressEntry& entry) {
  return update_leased(pool_, run, owner, "progress_log = progress_log || $3::jsonb", progress_json(entry));
}

Result<void> PgRunStore::succeed(domain::RunId run, std::string_view owner, const domain::ProgressEntry& last) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    const auto done = tx.exec_params(
        "UPDATE sync_runs SET status = 'succeeded', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,"
        " error_message = NULL, progress_log = progress_log || $3::jsonb"
        " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING account_id",
        run.value, std::string(owner), progress_json(last));
    if (done.empty()) return lease_lost(run);
    tx.exec_params("UPDATE tracked_accounts SET last_synced_at = now() WHERE id = $1", done[0][0].as<std::int64_t>());
    tx.commit();
    return {};
  });
}

Result<void> PgRunStore::retry_later(domain::RunId run, std::string_view owner, const std::string& error,
                                     domain::Timestamp run_after, bool counts_as_attempt) {
  return update_leased(pool_, run, owner,
                       "status = 'queued', lease_owner = NULL, lease_expires_at = NULL, error_message = $3,"
                       " run_after = " + at(4) + ", attempt = attempt - CASE WHEN $5 THEN 0 ELSE 1 END",
                       error, epoch_us(run_after), counts_as_attempt);
}

Result<void> PgRunStore::fail(domain::RunId run, std::string_view owner, const std::string& error) {
  return update_leased(pool_, run, owner,
                       "status = 'failed', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,"
                       " error_message = $3",
                       error);
}

Result<domain::RunList> PgRunStore::runs(const domain::RunQuery& query) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::RunList> {
    pqxx::work tx(c);
    std::optional<std::string> status;
    if (query.status) status = std::string(domain::to_string(*query.status));
    const std::string where = " WHERE r.team_id = $1 AND ($2::bigint IS NULL OR r.stream_id = $2)"
                              " AND ($3::text IS NULL OR r.status = $3)";
    domain::RunList list;
    for (const auto& row : tx.exec_params("SELECT " + kRunColumns + where + " ORDER BY r.id DESC LIMIT $4 OFFSET $5",
                                          query.team_id.value, value_of(query.stream_id), status, query.limit,
                                          query.offset)) {
      list.runs.push_back(read_run(row));
    }
    list.total = tx.exec_params("SELECT count(*) FROM sync_runs r" + where, query.team_id.value,
                                value_of(query.stream_id), status)[0][0].as<int>();
    return list;
  });
}

Result<std::optional<domain::Run>> PgRunStore::run(domain::TeamId team, domain::RunId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::Run>> {
    pqxx::nontransaction tx(c);
    const auto rows = tx.exec_params("SELECT " + kRunColumns + " WHERE r.team_id = $1 AND r.id = $2", team.value, id.value);
    if (rows.empty()) return std::optional<domain::Run>();
    return std::optional<domain::Run>(read_run(rows[0]));
  });
}

Result<domain::LeadList> PgRunStore::leads(const domain::LeadQuery& query) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::LeadList> {
    pqxx::work tx(c);
    std::optional<std::string> confidence;
    if (query.confidence) confidence = std::string(domain::to_string(*query.confidence));
    std::optional<std::int64_t> since;
    if (query.since) since = epoch_us(*query.since);
    const std::string where =
        " WHERE l.team_id = $1 AND ($2::bigint IS NULL OR l.stream_id = $2)"
        " AND ($3::text IS NULL OR l.match_confidence = $3) AND ($4::bigint IS NULL OR l.account_id = $4)"
        " AND ($5::bigint IS NULL OR l.segment_id = $5) AND ($6::text IS NULL OR l.lifecycle = $6)"
        " AND ($7::bigint IS NULL OR l.discovered_at >= to_timestamp($7::bigint / 1000000.0))";
    const auto params = std::make_tuple(query.team_id.value, value_of(query.stream_id), confidence,
                                        value_of(query.account_id), value_of(query.segment_id), query.lifecycle, since);
    domain::LeadList list;
    const auto rows = std::apply(
        [&](const auto&... p) {
          return tx.exec_params("SELECT " + kLeadColumns + where + " ORDER BY l.id DESC LIMIT $8 OFFSET $9", p...,
                                query.limit, query.offset);
        },
        params);
    for (const auto& row : rows) list.leads.push_back(read_lead(row));
    list.total = std::apply(
        [&](const auto&... p) { return tx.exec_params("SELECT count(*) FROM leads l" + where, p...); },
        params)[0][0].as<int>();
    return list;
  });
}

}  // namespace leadstream::adapters::postgres
