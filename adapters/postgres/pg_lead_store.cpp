#include "adapters/postgres/pg_lead_store.hpp"

#include "adapters/postgres/binary_array.hpp"
#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

using domain::Result;

Result<bool> PgLeadStore::record_feedback(domain::TeamId team, domain::LeadId lead,
                                          const domain::LeadFeedback& feedback) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    if (tx.exec_params("SELECT 1 FROM leads WHERE team_id = $1 AND id = $2", team.value, lead.value).empty())
      return false;
    if (tx.exec_params("SELECT 1 FROM segments WHERE team_id = $1 AND id = $2", team.value, feedback.segment_id.value)
            .empty()) {
      return domain::Error{
          domain::ErrorCode::kInvalidRequest, "Invalid request body.", {{"segmentId", "is not one of your segments"}}};
    }
    tx.exec_params(
        "INSERT INTO lead_feedback (team_id, lead_id, segment_id, status, bad_reason, bad_reason_freeform, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, " +
            at_exact(7) +
            ")"
            " ON CONFLICT (team_id, lead_id, segment_id) DO UPDATE SET status = excluded.status,"
            " bad_reason = excluded.bad_reason, bad_reason_freeform = excluded.bad_reason_freeform,"
            " recorded_at = excluded.recorded_at",
        team.value, lead.value, feedback.segment_id.value, std::string(feedback.good ? "good" : "bad"),
        feedback.bad_reason, feedback.bad_reason_freeform, epoch_us(feedback.at));
    queue_feedback_deliveries(tx, team.value, lead.value, feedback.good ? "good" : "bad");
    commit(tx);
    return true;
  });
}

Result<bool> PgLeadStore::mark_exported(domain::TeamId team, domain::LeadId lead) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    // Only a lead still new changes (the first exportedAt stays), and moves its count.
    const auto found =
        tx.exec_params(
              "WITH changed AS ("
              "  UPDATE leads SET lifecycle = 'exported', exported_at = now()"
              "  WHERE team_id = $1 AND id = $2 AND lifecycle = 'new'"
              "  RETURNING team_id, stream_id, account_id, segment_id, match_confidence),"
              " fresh AS ("
              "  UPDATE lead_counts c SET n = c.n - 1 FROM changed x WHERE c.team_id = x.team_id"
              "  AND c.stream_id = x.stream_id AND c.account_id = x.account_id AND c.segment_id = x.segment_id"
              "  AND c.match_confidence = x.match_confidence AND c.lifecycle = 'new'),"
              " exported AS ("
              "  INSERT INTO lead_counts AS c SELECT team_id, stream_id, account_id, segment_id, match_confidence,"
              "  'exported', 1 FROM changed"
              "  ON CONFLICT (team_id, stream_id, account_id, segment_id, match_confidence, lifecycle)"
              "  DO UPDATE SET n = c.n + 1)"
              " SELECT EXISTS (SELECT 1 FROM leads WHERE team_id = $1 AND id = $2)",
              team.value, lead.value)[0][0]
            .as<bool>();
    commit(tx);
    return found;
  });
}

namespace {

/// `column` as the stored row (o) has it when `keep` holds, else as the new one (EXCLUDED).
std::string kept_when(const std::string& keep, const std::string& column) {
  return " " + column + " = CASE WHEN " + keep + " THEN o." + column + " ELSE EXCLUDED." + column + " END,";
}

/// What save_enrichment keeps of a stored row against a new one: the new LinkedIn URL and
/// phone when it has them; the new email unless it has none, or is unverified where the
/// stored one is verified.
std::string merged_enrichment() {
  const std::string keep_linkedin = "EXCLUDED.linkedin_url IS NULL";
  const std::string keep_email =
      "(EXCLUDED.email IS NULL OR (o.email_status = 'verified' AND EXCLUDED.email_status <> 'verified'))";
  std::string set;
  for (const auto* column : {"linkedin_url", "linkedin_confidence"}) set += kept_when(keep_linkedin, column);
  for (const auto* column : {"email", "email_status", "email_provider", "email_confidence"}) {
    set += kept_when(keep_email, column);
  }
  return set +
         " phone = coalesce(EXCLUDED.phone, o.phone), enriched_at = greatest(EXCLUDED.enriched_at, o.enriched_at)";
}
const std::string kMergedEnrichment = merged_enrichment();

}  // namespace

domain::Result<void> PgLeadStore::save_enrichment(domain::TeamId team, const std::string& x_user_id,
                                                  const domain::Enrichment& e) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<void> {
    pqxx::work tx(c);
    const auto& linkedin = e.linkedin;
    const auto& email = e.email;
    tx.exec_params(
        "INSERT INTO enrichments AS o (team_id, x_user_id, linkedin_url, linkedin_confidence, email, email_status,"
        " email_provider, email_confidence, phone, enriched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, " +
            at_exact(10) + ") ON CONFLICT (team_id, x_user_id) DO UPDATE SET" + kMergedEnrichment,
        team.value, x_user_id, linkedin ? std::optional(linkedin->url) : std::nullopt,
        linkedin ? std::optional(linkedin->confidence) : std::nullopt,
        email ? std::optional(email->address) : std::nullopt, email ? std::optional(email->status) : std::nullopt,
        email ? std::optional(email->provider) : std::nullopt, email ? std::optional(email->confidence) : std::nullopt,
        e.phone, epoch_us(e.enriched_at.value_or(domain::Timestamp{})));
    commit(tx);
    return {};
  });
}

domain::Result<std::map<std::string, domain::Enrichment>> PgLeadStore::enrichments(
    domain::TeamId team, const std::vector<std::string>& x_user_ids) {
  return with_connection(pool_, [&](pqxx::connection& c) -> domain::Result<std::map<std::string, domain::Enrichment>> {
    pqxx::nontransaction tx(c);
    std::map<std::string, domain::Enrichment> known;
    BinaryArray ids(BinaryArray::Element::kText);
    for (const auto& id : x_user_ids) ids.add_text(id);
    const auto rows = tx.exec_params("SELECT e.x_user_id, " + enrichment_columns("e") +
                                         " FROM enrichments e WHERE e.team_id = $1 AND e.x_user_id = ANY($2::text[])",
                                     team.value, ids.build());
    for (const auto& row : rows) known.emplace(row[0].as<std::string>(), *read_enrichment(row, 1));
    return known;
  });
}

}  // namespace leadstream::adapters::postgres
