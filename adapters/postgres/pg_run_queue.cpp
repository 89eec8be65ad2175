#include "adapters/postgres/pg_run_queue.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
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
                run.value, std::string(owner), static_cast<double>(lease.count()), next_cursor, added.followers_walked,
                added.new_followers, added.candidates_passed, added.high_fit, added.medium_fit, added.leads_created,
                added.api_calls)
              .empty();
}

/// `UPDATE sync_runs SET <set>` on the run while `owner` holds its lease, in a transaction
/// of its own; `set` names its parameters from $3 on. kConflict when the lease was lost.
template <class... Params>
Result<void> update_leased(ConnectionPool& pool, domain::RunId run, std::string_view owner, const std::string& set,
                           const Params&... params) {
  return with_connection(pool, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    if (tx.exec_params(
              "UPDATE sync_runs SET " + set + " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id",
              run.value, std::string(owner), params...)
            .empty()) {
      return lease_lost(run);
    }
    commit(tx);
    return {};
  });
}

std::string progress_json(const domain::ProgressEntry& entry) {
  return json::serialize(json::array{
      json::object{{"step", entry.step}, {"message", entry.message}, {"timestamp", domain::format_rfc3339(entry.at)}}});
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
    return {ids_.build(),       handles_.build(), names_.build(),    bios_.build(),
            locations_.build(), urls_.build(),    images_.build(),   followers_.build(),
            following_.build(), tweets_.build(),  verified_.build(), protected_.build()};
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
  for (const auto& row : tx.exec_prepared("upsert_page", run.stream_id.value, run.account_id.value, run.id.value, c[0],
                                          c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11])) {
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

/// The page's leads, each with a discovery time of its own from the team's lead clock
/// ($10: how many the page offers): the clock's row stays locked until the page commits,
/// so a team's leads are timed, and numbered, in the order they become visible. The
/// team's lead counts move in the same statement.
const std::string kInsertLeads =
    "WITH clock AS ("
    "  INSERT INTO lead_clocks AS c (team_id, last_at) VALUES ($1, clock_timestamp() + $10 * interval '1 microsecond')"
    "  ON CONFLICT (team_id) DO UPDATE"
    "    SET last_at = greatest(clock_timestamp(), c.last_at) + $10 * interval '1 microsecond'"
    "  RETURNING last_at - $10 * interval '1 microsecond' AS base),"
    " inserted AS ("
    "  INSERT INTO leads (team_id, stream_id, segment_id, account_id, x_user_id, run_id, match_confidence, score,"
    "  reasons, discovered_at) SELECT $1, $2, l.segment_id, $3, l.x_user_id, $4, l.confidence, l.score,"
    "  string_to_array(l.reasons, E'\\x1f'), clock.base + l.n * interval '1 microsecond'"
    "  FROM clock, unnest($5::bigint[], $6::text[], $7::text[], $8::real[], $9::text[]) WITH ORDINALITY"
    "    AS l(segment_id, x_user_id, confidence, score, reasons, n)"
    "  ORDER BY l.n"
    "  ON CONFLICT (stream_id, segment_id, x_user_id) DO NOTHING RETURNING segment_id, match_confidence, x_user_id),"
    " counted AS ("
    "  INSERT INTO lead_counts AS c SELECT $1, $2, $3, segment_id, match_confidence, 'new', count(*) FROM inserted"
    "  GROUP BY segment_id, match_confidence"
    "  ON CONFLICT (team_id, stream_id, account_id, segment_id, match_confidence, lifecycle)"
    "  DO UPDATE SET n = c.n + excluded.n)"
    " SELECT match_confidence, x_user_id FROM inserted";

/// Leads for the followers that matched, but those in `known`; the unique (stream,
/// segment, follower) keeps a reclaimed page from creating one twice. Adds what was
/// created, and whom for, to `saved`.
void insert_leads(pqxx::work& tx, const domain::ClaimedRun& run,
                  const std::vector<const domain::ScoredFollower*>& followers,
                  const std::unordered_set<std::string>& known, domain::SavedPage& saved) {
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
  std::unordered_set<std::string> people;  // a person matched to two segments is one lead person
  for (const auto& row : tx.exec_prepared("insert_leads", run.team_id.value, run.stream_id.value, run.account_id.value,
                                          run.id.value, segments.build(), ids.build(), confidences.build(),
                                          scores.build(), reasons.build(), segments.size())) {
    ++saved.added.leads_created;
    ++(row[0].as<std::string>() == "high" ? saved.added.high_fit : saved.added.medium_fit);
    if (auto person = row[1].as<std::string>(); people.insert(person).second) {
      saved.new_lead_people.push_back(std::move(person));
    }
  }
}

/// Whether the account has spent `budget` on runs of `mode`, counted with its row locked so
/// that concurrent enqueues for it count one after another.
bool budget_spent(pqxx::work& tx, const domain::RunOrder& order, const domain::RunBudget& budget) {
  tx.exec_params("SELECT 1 FROM tracked_accounts WHERE id = $1 FOR NO KEY UPDATE", order.account_id.value);
  const auto spends = order.mode == domain::RunMode::kSync ? spends_daily_sync("r", at(2)) : spends_retest("r", at(2));
  const auto used = tx.exec_params("SELECT count(*) FROM sync_runs r WHERE r.account_id = $1 AND " + spends,
                                   order.account_id.value, epoch_us(budget.since))[0][0]
                        .as<int>();
  return used >= budget.cap;
}

/// The people the team's users judged against the segment, newest first: what the
/// classifier learns it from. The latest thousand are plenty, and keep claims cheap.
std::vector<domain::FeedbackExample> feedback_of(pqxx::work& tx, domain::TeamId team, domain::SegmentId segment) {
  std::vector<domain::FeedbackExample> examples;
  for (const auto& row : tx.exec_params(
           "SELECT f.x_user_id, f.handle, f.display_name, f.bio, f.location, fb.status = 'good', fb.bad_reason"
           " FROM lead_feedback fb JOIN leads l ON l.id = fb.lead_id"
           " JOIN followers f ON f.account_id = l.account_id AND f.x_user_id = l.x_user_id"
           " WHERE fb.team_id = $1 AND fb.segment_id = $2 ORDER BY fb.recorded_at DESC LIMIT 1000",
           team.value, segment.value)) {
    domain::FeedbackExample example;
    example.profile.x_user_id = row[0].as<std::string>();
    example.profile.handle = row[1].as<std::string>();
    example.profile.display_name = row[2].as<std::string>();
    example.profile.bio = row[3].as<std::string>();
    example.profile.location = row[4].as<std::string>();
    example.good = row[5].as<bool>();
    example.bad_reason = optional_of<std::string>(row[6]);
    examples.push_back(std::move(example));
  }
  return examples;
}

}  // namespace

Result<domain::Enqueued> PgRunQueue::enqueue(const domain::RunOrder& order) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::Enqueued> {
    pqxx::work tx(c);
    if (order.budget && budget_spent(tx, order, *order.budget)) return domain::Enqueued{.over_budget = true};
    std::optional<std::int64_t> slot;
    if (order.slot_at) slot = epoch_us(*order.slot_at);
    const auto rows = tx.exec_params(
        "INSERT INTO sync_runs (team_id, stream_id, account_id, source, mode, slot_at, segment_id)"
        " VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint / 1000000.0), $7) ON CONFLICT DO NOTHING RETURNING id",
        order.team_id.value, order.stream_id.value, order.account_id.value,
        std::string(domain::to_string(order.source)), std::string(domain::to_string(order.mode)), slot,
        value_of(order.segment_id));
    if (rows.empty()) return domain::Enqueued{};
    // Wakes idle workers at once; delivered at commit, dropped on rollback.
    tx.exec("NOTIFY sync_runs");
    commit(tx);
    return domain::Enqueued{.id = domain::RunId{rows[0][0].as<std::int64_t>()}};
  });
}

Result<bool> PgRunQueue::has_open_run(domain::StreamId stream, domain::AccountId account) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::nontransaction tx(c);
    return !tx.exec_params("SELECT 1 FROM sync_runs WHERE stream_id = $1 AND account_id = $2 AND mode = 'sync'"
                           " AND status IN ('queued', 'running')",
                           stream.value, account.value)
                .empty();
  });
}

Result<std::optional<domain::ClaimedRun>> PgRunQueue::claim(std::string_view owner, std::chrono::seconds lease) {
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
        "   AND p.mode = 'sync' AND p.status = 'succeeded' ORDER BY p.id DESC LIMIT 1),"
        "  (SELECT (extract(epoch FROM max(p.completed_at)) * 1000000)::bigint FROM sync_runs p"
        "   WHERE p.stream_id = s.id AND p.account_id = a.id AND p.mode = 'sync' AND p.status = 'succeeded'"
        "   AND p.full_walk),"
        "  s.auto_enrich_linkedin, s.auto_enrich_email, s.email_mode = 'verified'"
        " FROM tracked_accounts a, streams s WHERE a.id = $1 AND s.id = $2",
        run.account_id.value, run.stream_id.value)[0];
    run.handle = context[0].as<std::string>();
    run.x_user_id = optional_of<std::string>(context[1]);
    run.tier = domain::parse_tier(context[2].c_str()).value_or(domain::Tier::kStarter);
    run.account_sleeping = !context[3].as<bool>();
    run.stream_archived = context[4].as<bool>();
    run.first_sync = context[5].as<bool>();
    run.last_follower_count = optional_of<std::int64_t>(context[6]);
    if (!context[7].is_null()) run.last_full_walk_at = from_epoch_us(context[7].as<std::int64_t>());
    run.auto_enrich = {context[8].as<bool>(), context[9].as<bool>(), context[10].as<bool>()};
    for (const auto& segment :
         tx.exec_params("SELECT g.id, g.description, to_jsonb(g.keywords)::text, to_jsonb(g.exclude_keywords)::text,"
                        " g.applied_search_filters::text, to_jsonb(g.follower_count_tiers)::text"
                        " FROM stream_pairs p JOIN segments g ON g.id = p.segment_id"
                        " WHERE p.stream_id = $1 AND p.account_id = $2 AND ($3::bigint IS NULL OR p.segment_id = $3)"
                        " ORDER BY p.id",
                        run.stream_id.value, run.account_id.value, value_of(run.segment_id))) {
      run.segments.push_back(domain::SegmentTerms{
          domain::SegmentId{segment[0].as<std::int64_t>()}, segment[1].as<std::string>(),
          json::value_to<std::vector<std::string>>(json::parse(segment[2].c_str())),
          json::value_to<std::vector<std::string>>(json::parse(segment[3].c_str())),
          json::value_to<std::map<std::string, std::vector<std::string>>>(json::parse(segment[4].c_str())),
          json::value_to<std::vector<std::string>>(json::parse(segment[5].c_str()))});
      run.segments.back().feedback = feedback_of(tx, run.team_id, run.segments.back().id);
    }
    commit(tx);
    return std::optional<domain::ClaimedRun>(std::move(run));
  });
}

Result<void> PgRunQueue::renew_lease(domain::RunId run, std::string_view owner, std::chrono::seconds lease) {
  return update_leased(pool_, run, owner, "lease_expires_at = now() + make_interval(secs => $3)",
                       static_cast<double>(lease.count()));
}

Result<void> PgRunQueue::record_follower_count(domain::RunId run, std::string_view owner, std::int64_t count) {
  return update_leased(pool_, run, owner, "source_follower_count = $3", count);
}

Result<void> PgRunQueue::set_x_user_id(domain::AccountId account, const std::string& x_user_id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    tx.exec_params("UPDATE tracked_accounts SET x_user_id = $2 WHERE id = $1", account.value, x_user_id);
    commit(tx);
    return {};
  });
}

Result<domain::SavedPage> PgRunQueue::save_page(const domain::ClaimedRun& run, std::string_view owner,
                                                const std::vector<domain::ScoredFollower>& followers,
                                                const std::optional<std::string>& next_cursor, int api_calls,
                                                std::chrono::seconds lease) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::SavedPage> {
    pqxx::work tx(c);
    // A commit lost in a crash loses its whole page, cursor included, so the page is
    // fetched and saved again: waiting for the WAL flush buys nothing here.
    tx.exec("SET LOCAL synchronous_commit TO off");
    const auto unique = distinct(followers);
    const auto known = save_followers(tx, run, unique);
    domain::SavedPage saved;
    auto& added = saved.added;
    added.followers_walked = static_cast<int>(followers.size());
    added.api_calls = api_calls;
    added.new_followers = static_cast<int>(unique.size() - known.size());
    for (const auto* follower : unique) {
      if (follower->passed_filter && !known.contains(follower->profile.x_user_id)) ++added.candidates_passed;
    }
    insert_leads(tx, run, unique, known, saved);
    if (!finish_page(tx, run.id, owner, lease, next_cursor, added)) return lease_lost(run.id);
    commit(tx);
    return saved;
  });
}

Result<domain::SavedPage> PgRunQueue::save_retest_page(const domain::ClaimedRun& run, std::string_view owner,
                                                       const std::vector<domain::ScoredFollower>& followers,
                                                       const std::optional<std::string>& next_cursor,
                                                       std::chrono::seconds lease) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::SavedPage> {
    pqxx::work tx(c);
    tx.exec("SET LOCAL synchronous_commit TO off");  // as save_page: a lost page is read again
    const auto unique = distinct(followers);
    domain::SavedPage saved;
    saved.added.followers_walked = static_cast<int>(followers.size());
    for (const auto* follower : unique) {
      if (follower->passed_filter) ++saved.added.candidates_passed;
    }
    insert_leads(tx, run, unique, {}, saved);  // a re-test looks at every cached follower
    if (!finish_page(tx, run.id, owner, lease, next_cursor, saved.added)) return lease_lost(run.id);
    commit(tx);
    return saved;
  });
}

Result<void> PgRunQueue::add_classifier_usage(domain::RunId run, std::string_view owner,
                                              const domain::ClassifierUsage& usage) {
  return update_leased(pool_, run, owner,
                       "classifier_requests = classifier_requests + $3,"
                       " classifier_prompt_tokens = classifier_prompt_tokens + $4,"
                       " classifier_completion_tokens = classifier_completion_tokens + $5,"
                       " classifier_cached = classifier_cached + $6, classifier_fallbacks = classifier_fallbacks + $7",
                       usage.requests, usage.prompt_tokens, usage.completion_tokens, usage.cached_profiles,
                       usage.fallback_profiles);
}

Result<void> PgRunQueue::mark_full_walk(domain::RunId run, std::string_view owner) {
  return update_leased(pool_, run, owner, "full_walk = $3", true);
}

Result<void> PgRunQueue::log_progress(domain::RunId run, std::string_view owner, const domain::ProgressEntry& entry) {
  return update_leased(pool_, run, owner, "progress_log = progress_log || $3::jsonb", progress_json(entry));
}

Result<void> PgRunQueue::add_enriched(domain::RunId run, std::string_view owner, int count) {
  return update_leased(pool_, run, owner, "enriched_count = enriched_count + $3", count);
}

Result<void> PgRunQueue::succeed(domain::RunId run, std::string_view owner, const domain::ProgressEntry& last) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    const auto done = tx.exec_params(
        "UPDATE sync_runs SET status = 'succeeded', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,"
        " error_message = NULL, progress_log = progress_log || $3::jsonb"
        " WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING account_id",
        run.value, std::string(owner), progress_json(last));
    if (done.empty()) return lease_lost(run);
    tx.exec_params("UPDATE tracked_accounts SET last_synced_at = now() WHERE id = $1", done[0][0].as<std::int64_t>());
    queue_run_deliveries(tx, run.value);
    commit(tx);
    return {};
  });
}

Result<void> PgRunQueue::retry_later(domain::RunId run, std::string_view owner, const std::string& error,
                                     domain::Timestamp run_after, bool counts_as_attempt) {
  return update_leased(pool_, run, owner,
                       "status = 'queued', lease_owner = NULL, lease_expires_at = NULL, error_message = $3,"
                       " run_after = " +
                           at(4) + ", attempt = attempt - CASE WHEN $5 THEN 0 ELSE 1 END",
                       error, epoch_us(run_after), counts_as_attempt);
}

Result<void> PgRunQueue::fail(domain::RunId run, std::string_view owner, const std::string& error) {
  return update_leased(pool_, run, owner,
                       "status = 'failed', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,"
                       " error_message = $3",
                       error);
}

}  // namespace leadstream::adapters::postgres
