#include "adapters/postgres/pg_run_reader.hpp"

#include <boost/json.hpp>
#include <tuple>

#include "adapters/postgres/pool_internal.hpp"
#include "domain/model/time.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;
namespace json = boost::json;

const std::string kRunColumns =
    "r.id, r.team_id, r.stream_id, s.name, r.account_id, a.display_handle, r.segment_id, g.name, r.source, r.mode,"
    " r.status, " +
    us("r.triggered_at") + ", " + us("r.started_at") + ", " + us("r.completed_at") +
    ", r.attempt, r.followers_walked, r.new_followers_count, r.candidates_passed_count, r.high_fit_count,"
    " r.medium_fit_count, r.enriched_count, r.leads_created, r.api_calls, r.error_message, r.progress_log::text,"
    " r.classifier_requests, r.classifier_prompt_tokens, r.classifier_completion_tokens, r.classifier_cached,"
    " r.classifier_fallbacks"
    " FROM sync_runs r JOIN streams s ON s.id = r.stream_id JOIN tracked_accounts a ON a.id = r.account_id"
    " LEFT JOIN segments g ON g.id = r.segment_id";

std::vector<domain::ProgressEntry> read_progress(const pqxx::field& field) {
  std::vector<domain::ProgressEntry> entries;
  const auto log = json::parse(field.c_str());
  for (const auto& item : log.as_array()) {
    const auto& entry = item.as_object();
    entries.push_back(domain::ProgressEntry{
        json::value_to<std::string>(entry.at("step")), json::value_to<std::string>(entry.at("message")),
        domain::parse_rfc3339(json::value_to<std::string>(entry.at("timestamp"))).value_or(domain::Timestamp{})});
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
  run.classifier_usage = {row[25].as<int>(), row[26].as<std::int64_t>(), row[27].as<std::int64_t>(), row[28].as<int>(),
                          row[29].as<int>()};
  return run;
}

const std::string kLeadColumns =
    "l.id, l.stream_id, l.account_id, l.segment_id, l.run_id, l.match_confidence, l.score,"
    " to_jsonb(l.reasons)::text, l.source_type, l.lifecycle, " +
    us("l.discovered_at") + ", " + us("l.exported_at") +
    ", f.x_user_id, f.handle, f.display_name, f.bio, f.location, f.url, f.profile_image_url, f.followers_count,"
    " f.following_count, f.verified, fb.status, fb.bad_reason, fb.bad_reason_freeform, " +
    us("fb.recorded_at") + ", " + enrichment_columns("e") +
    " FROM leads l JOIN followers f ON f.account_id = l.account_id AND f.x_user_id = l.x_user_id"
    " LEFT JOIN lead_feedback fb ON fb.team_id = l.team_id AND fb.lead_id = l.id AND fb.segment_id = l.segment_id"
    " LEFT JOIN enrichments e ON e.team_id = l.team_id AND e.x_user_id = l.x_user_id";

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
  if (!row[22].is_null()) {
    lead.feedback =
        domain::LeadFeedback{lead.segment_id, row[22].as<std::string>() == "good", optional_of<std::string>(row[23]),
                             optional_of<std::string>(row[24]), from_epoch_us(row[25].as<std::int64_t>())};
  }
  lead.enrichment = read_enrichment(row, 26);
  return lead;
}

}  // namespace

Result<domain::RunList> PgRunReader::runs(const domain::RunQuery& query) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::RunList> {
    pqxx::work tx(c);
    std::optional<std::string> status;
    if (query.status) status = std::string(domain::to_string(*query.status));
    const std::string where = " WHERE r.team_id = $1 AND ($2::bigint IS NULL OR r.stream_id = $2)"
                              " AND ($3::text IS NULL OR r.status = $3)";
    const auto select =
        std::string("SELECT ").append(kRunColumns).append(where).append(" ORDER BY r.id DESC LIMIT $4 OFFSET $5");
    domain::RunList list;
    for (const auto& row :
         tx.exec_params(select, query.team_id.value, value_of(query.stream_id), status, query.limit, query.offset)) {
      list.runs.push_back(read_run(row));
    }
    list.total = tx.exec_params("SELECT count(*) FROM sync_runs r" + where, query.team_id.value,
                                value_of(query.stream_id), status)[0][0]
                     .as<int>();
    return list;
  });
}

Result<std::optional<domain::Run>> PgRunReader::run(domain::TeamId team, domain::RunId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::Run>> {
    pqxx::nontransaction tx(c);
    const auto rows =
        tx.exec_params("SELECT " + kRunColumns + " WHERE r.team_id = $1 AND r.id = $2", team.value, id.value);
    if (rows.empty()) return std::optional<domain::Run>();
    return std::optional<domain::Run>(read_run(rows[0]));
  });
}

namespace {

/// A lead query's filters as SQL and its parameters $1 to $7 (the cursor, $8, is the
/// page's alone). Over `leads l`, or, without `since`, over the team's `lead_counts c`,
/// whose columns have the same names: a million leads' total is then a sum of a few rows.
struct LeadFilter {
  std::int64_t team;
  std::optional<std::int64_t> stream, account, segment, since, before;
  std::optional<std::string> confidence, lifecycle;

  explicit LeadFilter(const domain::LeadQuery& query)
      : team(query.team_id.value),
        stream(value_of(query.stream_id)),
        account(value_of(query.account_id)),
        segment(value_of(query.segment_id)),
        before(value_of(query.before)),
        lifecycle(query.lifecycle) {
    if (query.confidence) confidence = std::string(domain::to_string(*query.confidence));
    if (query.since) since = epoch_us(*query.since);
  }

  static std::string where(const std::string& t) {
    return " WHERE " + t + ".team_id = $1 AND ($2::bigint IS NULL OR " + t +
           ".stream_id = $2)"
           " AND ($3::text IS NULL OR " +
           t + ".match_confidence = $3) AND ($4::bigint IS NULL OR " + t +
           ".account_id = $4) AND ($5::bigint IS NULL OR " + t +
           ".segment_id = $5)"
           " AND ($6::text IS NULL OR " +
           t + ".lifecycle = $6)";
  }
  static std::string where_leads() {
    return where("l") + " AND ($7::bigint IS NULL OR l.discovered_at > " + at_exact(7) + ")";
  }

  /// `what` over the selected leads, each of `what`'s counts spelt for both tables: in
  /// `count(*)` form for leads, `sum(n)` form for the counts.
  pqxx::result count(pqxx::work& tx, const std::string& over_leads, const std::string& over_counts) const {
    if (since)
      return tx.exec_params("SELECT " + over_leads + " FROM leads l" + where_leads(), team, stream, confidence, account,
                            segment, lifecycle, since);
    return tx.exec_params("SELECT " + over_counts + " FROM lead_counts c" + where("c") + " AND $7::bigint IS NULL",
                          team, stream, confidence, account, segment, lifecycle, since);
  }
};

}  // namespace

Result<domain::LeadList> PgRunReader::leads(const domain::LeadQuery& query) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::LeadList> {
    pqxx::work tx(c);
    const LeadFilter filter(query);
    domain::LeadList list;
    // The total first: a filter that matches nothing would otherwise walk every lead of
    // the team backwards looking for a page.
    list.total = filter.count(tx, "count(*)", "coalesce(sum(c.n), 0)")[0][0].as<int>();
    if (list.total == 0) return list;
    // A team's ids grow in the order its leads commit (see lead_clocks): newest first is
    // id order, which is also the tie-break between equal times of older leads.
    const auto rows =
        tx.exec_params("SELECT " + kLeadColumns + LeadFilter::where_leads() +
                           " AND ($8::bigint IS NULL OR l.id < $8) ORDER BY l.id DESC LIMIT $9 OFFSET $10",
                       filter.team, filter.stream, filter.confidence, filter.account, filter.segment, filter.lifecycle,
                       filter.since, filter.before, query.limit + 1, query.offset);
    for (const auto& row : rows) {
      if (static_cast<int>(list.leads.size()) == query.limit) {
        list.more = true;  // the one row asked for beyond the page
        break;
      }
      list.leads.push_back(read_lead(row));
    }
    return list;
  });
}

Result<domain::LeadSummary> PgRunReader::lead_summary(const domain::LeadQuery& query) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::LeadSummary> {
    pqxx::work tx(c);
    const auto of = [](const std::string& condition) {
      return "coalesce(sum(c.n) FILTER (WHERE c." + condition + "), 0)";
    };
    const auto row = LeadFilter(query).count(
        tx,
        "count(*) FILTER (WHERE l.match_confidence = 'high'), count(*) FILTER (WHERE l.match_confidence = 'medium'),"
        " count(*) FILTER (WHERE l.lifecycle = 'new'), count(*) FILTER (WHERE l.lifecycle = 'exported')",
        of("match_confidence = 'high'") + ", " + of("match_confidence = 'medium'") + ", " + of("lifecycle = 'new'") +
            ", " + of("lifecycle = 'exported'"))[0];
    return domain::LeadSummary{row[0].as<int>(), row[1].as<int>(), row[2].as<int>(), row[3].as<int>()};
  });
}

Result<std::optional<domain::Lead>> PgRunReader::lead(domain::TeamId team, domain::LeadId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::Lead>> {
    pqxx::nontransaction tx(c);
    const auto rows =
        tx.exec_params("SELECT " + kLeadColumns + " WHERE l.team_id = $1 AND l.id = $2", team.value, id.value);
    if (!rows.empty()) return std::optional<domain::Lead>(read_lead(rows[0]));
    // A lead is shown with its follower's profile: one whose profile row is gone (a
    // database restored in part, a row removed by hand) cannot be shown or enriched.
    if (!tx.exec_params("SELECT 1 FROM leads WHERE team_id = $1 AND id = $2", team.value, id.value).empty()) {
      return domain::Error{domain::ErrorCode::kProfileMissing, "The lead's X profile is no longer stored."};
    }
    return std::optional<domain::Lead>();
  });
}

}  // namespace leadstream::adapters::postgres
