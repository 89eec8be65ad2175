#include "adapters/postgres/pg_lead_store.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {

using domain::Result;

Result<bool> PgLeadStore::record_feedback(domain::TeamId team, domain::LeadId lead,
                                          const domain::LeadFeedback& feedback) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    if (tx.exec_params("SELECT 1 FROM leads WHERE team_id = $1 AND id = $2", team.value, lead.value).empty()) return false;
    if (tx.exec_params("SELECT 1 FROM segments WHERE team_id = $1 AND id = $2", team.value, feedback.segment_id.value)
            .empty()) {
      return domain::Error{domain::ErrorCode::kInvalidRequest, "Invalid request body.",
                           {{"segmentId", "is not one of your segments"}}};
    }
    tx.exec_params(
        "INSERT INTO lead_feedback (team_id, lead_id, segment_id, status, bad_reason, bad_reason_freeform, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, " + at_exact(7) + ")"
        " ON CONFLICT (team_id, lead_id, segment_id) DO UPDATE SET status = excluded.status,"
        " bad_reason = excluded.bad_reason, bad_reason_freeform = excluded.bad_reason_freeform,"
        " recorded_at = excluded.recorded_at",
        team.value, lead.value, feedback.segment_id.value, std::string(feedback.good ? "good" : "bad"),
        feedback.bad_reason, feedback.bad_reason_freeform, epoch_us(feedback.at));
    queue_feedback_deliveries(tx, team.value, lead.value, feedback.good ? "good" : "bad");
    mark_acted(tx);
    tx.commit();
    return true;
  });
}

Result<bool> PgLeadStore::mark_exported(domain::TeamId team, domain::LeadId lead) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    const auto rows = tx.exec_params(
        "UPDATE leads SET lifecycle = 'exported', exported_at = coalesce(exported_at, now())"
        " WHERE team_id = $1 AND id = $2 RETURNING id",
        team.value, lead.value);
    mark_acted(tx);
    tx.commit();
    return !rows.empty();
  });
}

}  // namespace leadstream::adapters::postgres
