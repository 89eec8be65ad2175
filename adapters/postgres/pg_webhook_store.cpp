#include "adapters/postgres/pg_webhook_store.hpp"

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;

constexpr int kLeadsPerDelivery = 100;

/// Whether subscription `s` takes a lead `l` of run `r`: each filter key set must match.
/// New leads have no feedback yet, so a feedbackStatus filter takes only lead.feedback.
const std::string kFilterMatchesLead =
    "(s.stream_id IS NULL OR s.stream_id = l.stream_id) AND (s.account_id IS NULL OR s.account_id = l.account_id)"
    " AND (s.source_type IS NULL OR (s.source_type = 'follower' AND l.source_type = 'new_follower'))"
    " AND (s.match_confidence IS NULL OR s.match_confidence = l.match_confidence)";

const std::string kSubscriptionColumns =
    "s.id, s.target_url, s.stream_id, s.account_id, s.source_type, s.feedback_status, s.match_confidence, s.active,"
    " s.disabled_reason, " +
    us("s.created_at") +
    ", (SELECT count(*) FILTER (WHERE d.status = 'delivered') FROM webhook_deliveries d WHERE d.subscription_id = s.id),"
    " (SELECT count(*) FILTER (WHERE d.status = 'pending') FROM webhook_deliveries d WHERE d.subscription_id = s.id),"
    " (SELECT count(*) FILTER (WHERE d.status = 'failed') FROM webhook_deliveries d WHERE d.subscription_id = s.id),"
    " s.owner_stream_id FROM webhook_subscriptions s";

domain::WebhookSubscription read_subscription(const pqxx::row& row) {
  domain::WebhookSubscription s;
  s.id = domain::WebhookId{row[0].as<std::int64_t>()};
  s.target_url = row[1].as<std::string>();
  if (!row[2].is_null()) s.filter.stream_id = domain::StreamId{row[2].as<std::int64_t>()};
  if (!row[3].is_null()) s.filter.account_id = domain::AccountId{row[3].as<std::int64_t>()};
  s.filter.source_type = optional_of<std::string>(row[4]);
  s.filter.feedback_status = optional_of<std::string>(row[5]);
  s.filter.match_confidence = optional_of<std::string>(row[6]);
  s.active = row[7].as<bool>();
  s.disabled_reason = optional_of<std::string>(row[8]);
  s.created_at = from_epoch_us(row[9].as<std::int64_t>());
  s.delivered = row[10].as<int>();
  s.pending = row[11].as<int>();
  s.failed = row[12].as<int>();
  if (!row[13].is_null()) s.owner_stream_id = domain::StreamId{row[13].as<std::int64_t>()};
  return s;
}

std::string_view status_of(domain::DeliveryAttempt::Outcome outcome) {
  switch (outcome) {
    case domain::DeliveryAttempt::Outcome::kDelivered:
      return "delivered";
    case domain::DeliveryAttempt::Outcome::kRetry:
      return "pending";
    case domain::DeliveryAttempt::Outcome::kFailed:
    case domain::DeliveryAttempt::Outcome::kUnsubscribed:
      return "failed";
  }
  return "pending";
}

}  // namespace

void queue_run_deliveries(pqxx::work& tx, std::int64_t run) {
  // The run's leads are the team's leads discovered since it started with its id: the
  // discovery-time index finds them without a scan of the team.
  tx.exec_params("INSERT INTO webhook_deliveries (team_id, subscription_id, event_type, stream_id, run_id, lead_ids)"
                 " SELECT s.team_id, s.id, 'leads.created', r.stream_id, r.id, chunk.ids"
                 " FROM sync_runs r JOIN webhook_subscriptions s ON s.team_id = r.team_id AND s.active"
                 " CROSS JOIN LATERAL (SELECT array_agg(n.id ORDER BY n.id) AS ids FROM ("
                 "   SELECT l.id, (row_number() OVER (ORDER BY l.id) - 1) / $2 AS part FROM leads l"
                 "   WHERE l.team_id = r.team_id AND l.discovered_at >= r.started_at AND l.run_id = r.id AND " +
                     kFilterMatchesLead +
                     ") n GROUP BY n.part) chunk"
                     " WHERE r.id = $1 AND s.feedback_status IS NULL",
                 run, kLeadsPerDelivery);
  tx.exec("NOTIFY webhook_deliveries");
}

void queue_feedback_deliveries(pqxx::work& tx, std::int64_t team, std::int64_t lead, const std::string& status) {
  const auto queued = tx.exec_params(
      "INSERT INTO webhook_deliveries (team_id, subscription_id, event_type, stream_id, lead_ids)"
      " SELECT s.team_id, s.id, 'lead.feedback', l.stream_id, ARRAY[l.id]"
      " FROM leads l JOIN webhook_subscriptions s ON s.team_id = l.team_id AND s.active"
      " WHERE l.team_id = $1 AND l.id = $2 AND (s.feedback_status IS NULL OR s.feedback_status = $3) AND " +
          kFilterMatchesLead,
      team, lead, status);
  if (queued.affected_rows() > 0) tx.exec("NOTIFY webhook_deliveries");
}

Result<domain::Subscribed> PgWebhookStore::subscribe(domain::TeamId team, const std::string& url,
                                                     const domain::WebhookFilter& filter, const std::string& secret) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::Subscribed> {
    pqxx::work tx(c);
    // xmax = 0 only in a row this statement inserted: how an upsert tells new from updated.
    const auto row = tx.exec_params(
        "INSERT INTO webhook_subscriptions AS s (team_id, target_url, secret, stream_id, account_id, source_type,"
        " feedback_status, match_confidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (team_id, target_url) WHERE owner_stream_id IS NULL DO UPDATE SET stream_id = excluded.stream_id,"
        " account_id = excluded.account_id, source_type = excluded.source_type,"
        " feedback_status = excluded.feedback_status, match_confidence = excluded.match_confidence,"
        " active = true, disabled_reason = NULL, updated_at = now()"
        " RETURNING s.id, s.xmax = 0",
        team.value, url, secret, value_of(filter.stream_id), value_of(filter.account_id), filter.source_type,
        filter.feedback_status, filter.match_confidence)[0];
    commit(tx);
    return domain::Subscribed{domain::WebhookId{row[0].as<std::int64_t>()}, row[1].as<bool>(), std::nullopt};
  });
}

Result<bool> PgWebhookStore::unsubscribe(domain::TeamId team, domain::WebhookId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    // A stream's own webhook goes with the stream's deliveryDestination, not from here.
    const auto rows = tx.exec_params("DELETE FROM webhook_subscriptions WHERE team_id = $1 AND id = $2"
                                     " AND owner_stream_id IS NULL RETURNING id",
                                     team.value, id.value);
    commit(tx);
    return !rows.empty();
  });
}

Result<std::vector<domain::WebhookSubscription>> PgWebhookStore::subscriptions(domain::TeamId team) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::WebhookSubscription>> {
    pqxx::nontransaction tx(c);
    std::vector<domain::WebhookSubscription> out;
    for (const auto& row :
         tx.exec_params("SELECT " + kSubscriptionColumns + " WHERE s.team_id = $1 ORDER BY s.id", team.value)) {
      out.push_back(read_subscription(row));
    }
    return out;
  });
}

Result<std::optional<domain::WebhookSubscription>> PgWebhookStore::subscription(domain::TeamId team,
                                                                                domain::WebhookId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::WebhookSubscription>> {
    pqxx::nontransaction tx(c);
    const auto rows =
        tx.exec_params("SELECT " + kSubscriptionColumns + " WHERE s.team_id = $1 AND s.id = $2", team.value, id.value);
    if (rows.empty()) return std::optional<domain::WebhookSubscription>();
    return std::optional<domain::WebhookSubscription>(read_subscription(rows[0]));
  });
}

Result<std::vector<domain::DeliveryRecord>> PgWebhookStore::deliveries(domain::TeamId team, domain::WebhookId id,
                                                                       int limit) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::DeliveryRecord>> {
    pqxx::nontransaction tx(c);
    std::vector<domain::DeliveryRecord> out;
    for (const auto& row : tx.exec_params(
             "SELECT id, message_id, event_type, status, attempts, last_status_code, last_error, last_latency_ms,"
             " last_response, " +
                 us("created_at") + ", " + us("next_attempt_at") + ", " + us("delivered_at") +
                 " FROM webhook_deliveries WHERE team_id = $1 AND subscription_id = $2 ORDER BY id DESC LIMIT $3",
             team.value, id.value, limit)) {
      domain::DeliveryRecord record;
      record.id = domain::DeliveryId{row[0].as<std::int64_t>()};
      record.message_id = row[1].as<std::string>();
      record.event_type = row[2].as<std::string>();
      record.status = row[3].as<std::string>();
      record.attempts = row[4].as<int>();
      record.last_status_code = optional_of<int>(row[5]);
      record.last_error = optional_of<std::string>(row[6]);
      record.last_latency_ms = optional_of<int>(row[7]);
      record.last_response = optional_of<std::string>(row[8]);
      record.created_at = from_epoch_us(row[9].as<std::int64_t>());
      if (record.status == "pending") record.next_attempt_at = optional_time(row[10]);
      record.delivered_at = optional_time(row[11]);
      out.push_back(std::move(record));
    }
    return out;
  });
}

Result<domain::DeliveryId> PgWebhookStore::queue_test(domain::TeamId team, domain::WebhookId id,
                                                      const std::string& body) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<domain::DeliveryId> {
    pqxx::work tx(c);
    const auto row = tx.exec_params(
        "INSERT INTO webhook_deliveries (team_id, subscription_id, event_type, body) VALUES ($1, $2, 'webhook.test', $3)"
        " RETURNING id",
        team.value, id.value, body)[0];
    tx.exec("NOTIFY webhook_deliveries");
    commit(tx);
    return domain::DeliveryId{row[0].as<std::int64_t>()};
  });
}

Result<std::vector<domain::Delivery>> PgWebhookStore::claim(std::string_view owner, std::chrono::seconds lease,
                                                            int limit) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::Delivery>> {
    pqxx::work tx(c);
    std::vector<domain::Delivery> out;
    for (const auto& row : tx.exec_params(
             "WITH due AS (SELECT d.id FROM webhook_deliveries d"
             "   WHERE d.status = 'pending' AND d.next_attempt_at <= now()"
             "   AND (d.lease_expires_at IS NULL OR d.lease_expires_at < now())"
             "   ORDER BY d.next_attempt_at, d.id LIMIT $3 FOR UPDATE SKIP LOCKED)"
             " UPDATE webhook_deliveries d SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2)"
             " FROM due, webhook_subscriptions s WHERE d.id = due.id AND s.id = d.subscription_id AND s.active"
             " RETURNING d.id, d.team_id, s.target_url, s.secret, d.message_id, d.event_type, d.body, d.stream_id,"
             "   d.run_id, to_jsonb(d.lead_ids)::text, d.attempts, " +
                 us("d.created_at"),
             std::string(owner), static_cast<double>(lease.count()), limit)) {
      domain::Delivery delivery;
      delivery.id = domain::DeliveryId{row[0].as<std::int64_t>()};
      delivery.team_id = domain::TeamId{row[1].as<std::int64_t>()};
      delivery.target_url = row[2].as<std::string>();
      delivery.secret = row[3].as<std::string>();
      delivery.message_id = row[4].as<std::string>();
      delivery.event_type = row[5].as<std::string>();
      delivery.body = optional_of<std::string>(row[6]);
      if (!row[7].is_null()) delivery.stream_id = domain::StreamId{row[7].as<std::int64_t>()};
      if (!row[8].is_null()) delivery.run_id = domain::RunId{row[8].as<std::int64_t>()};
      const std::string ids = row[9].as<std::string>();  // "[1, 2, 3]"
      std::int64_t value = 0;
      bool digits = false;
      for (const char ch : ids) {
        if (ch >= '0' && ch <= '9') {
          value = value * 10 + (ch - '0');
          digits = true;
        } else if (digits) {
          delivery.lead_ids.push_back(domain::LeadId{value});
          value = 0;
          digits = false;
        }
      }
      delivery.attempts = row[10].as<int>();
      delivery.created_at = from_epoch_us(row[11].as<std::int64_t>());
      out.push_back(std::move(delivery));
    }
    commit(tx);
    return out;
  });
}

Result<void> PgWebhookStore::record(std::string_view owner, const std::vector<domain::DeliveryAttempt>& attempts) {
  if (attempts.empty()) return {};
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    // One statement for the batch: a row per attempt, quoted by the connection.
    const auto text = [&](const std::optional<std::string>& value) {
      return value ? tx.quote(*value) + "::text" : std::string("NULL::text");
    };
    std::string rows;
    for (const auto& a : attempts) {
      if (!rows.empty()) rows += ',';
      const bool gone = a.outcome == domain::DeliveryAttempt::Outcome::kUnsubscribed;
      std::optional<std::string> error;
      if (!a.error.empty()) error = a.error;
      rows += "(" + std::to_string(a.id.value) + "::bigint," + tx.quote(std::string(status_of(a.outcome))) + "::text," +
              text(a.body) + "," + (a.status_code ? std::to_string(a.status_code) : "NULL") + "::int," + text(error) +
              "," + std::to_string(a.latency_ms) + "::int," + text(a.response_excerpt) + "," +
              std::to_string(epoch_us(a.next_attempt_at)) + "::bigint," + (gone ? "true" : "false") + ")";
    }
    tx.exec_params(
        "WITH a (id, status, body, code, error, latency, response, next_us, gone) AS (VALUES " + rows +
            "),"
            " done AS ("
            "  UPDATE webhook_deliveries d SET status = a.status, attempts = d.attempts + 1, body = coalesce(d.body, a.body),"
            "   last_status_code = a.code, last_error = a.error, last_latency_ms = a.latency, last_response = a.response,"
            "   next_attempt_at = CASE WHEN a.status = 'pending'"
            "     THEN 'epoch'::timestamptz + a.next_us * interval '1 microsecond' ELSE d.next_attempt_at END,"
            "   delivered_at = CASE WHEN a.status = 'delivered' THEN now() END, lease_owner = NULL, lease_expires_at = NULL"
            "  FROM a WHERE d.id = a.id AND d.lease_owner = $1"
            "  RETURNING d.subscription_id, a.status = 'delivered' AS ok, a.gone, a.error),"
            " outcome AS (SELECT subscription_id, bool_or(ok) AS ok, bool_or(gone) AS gone,"
            "   max(error) FILTER (WHERE gone) AS gone_error FROM done GROUP BY subscription_id)"
            // A receiver that answered 410 unsubscribed us; one that failed every attempt for
            // three days is turned off too, and says so, rather than retried for ever.
            " UPDATE webhook_subscriptions s SET"
            "  failing_since = CASE WHEN o.ok THEN NULL ELSE coalesce(s.failing_since, now()) END,"
            "  active = s.active AND NOT o.gone AND (o.ok OR s.failing_since IS NULL OR s.failing_since > now() - interval '3 days'),"
            "  disabled_reason = CASE WHEN o.gone THEN o.gone_error"
            "    WHEN NOT o.ok AND s.failing_since <= now() - interval '3 days'"
            "    THEN 'Every delivery since ' || to_char(s.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ||"
            "      ' failed: turned off after three days.'"
            "    ELSE s.disabled_reason END,"
            "  updated_at = now()"
            " FROM outcome o WHERE s.id = o.subscription_id",
        std::string(owner));
    commit(tx);
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
