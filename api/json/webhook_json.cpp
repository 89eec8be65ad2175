#include "api/json/webhook_json.hpp"

#include <boost/json.hpp>

#include "api/json/run_json.hpp"
#include "domain/model/time.hpp"

namespace leadstream::api::json {
namespace {

namespace bj = boost::json;

template <class T>
bj::value or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  return bj::value_from(*value);
}

bj::value id_or_null(const auto& id) {
  if (!id) return nullptr;
  return id->value;
}

}  // namespace

bj::value to_json(const domain::WebhookSubscription& s) {
  return {{"id", s.id.value},
          {"targetUrl", s.target_url},
          {"filterConfig",
           {{"streamId", id_or_null(s.filter.stream_id)},
            {"accountId", id_or_null(s.filter.account_id)},
            {"sourceType", or_null(s.filter.source_type)},
            {"feedbackStatus", or_null(s.filter.feedback_status)},
            {"matchConfidence", or_null(s.filter.match_confidence)}}},
          {"status", s.active ? "active" : "disabled"},
          {"disabledReason", or_null(s.disabled_reason)},
          {"createdAt", domain::format_rfc3339(s.created_at)},
          {"deliveries", {{"delivered", s.delivered}, {"pending", s.pending}, {"failed", s.failed}}},
          {"ownerStreamId", id_or_null(s.owner_stream_id)}};
}

bj::value to_json(const domain::DeliveryRecord& r) {
  bj::value next = nullptr, delivered = nullptr;
  if (r.next_attempt_at) next = domain::format_rfc3339(*r.next_attempt_at);
  if (r.delivered_at) delivered = domain::format_rfc3339(*r.delivered_at);
  return {{"id", r.id.value},
          {"webhookId", r.message_id},
          {"type", r.event_type},
          {"status", r.status},
          {"attempts", r.attempts},
          {"lastStatusCode", or_null(r.last_status_code)},
          {"lastError", or_null(r.last_error)},
          {"lastLatencyMs", or_null(r.last_latency_ms)},
          {"lastResponse", or_null(r.last_response)},
          {"createdAt", domain::format_rfc3339(r.created_at)},
          {"nextAttemptAt", next},
          {"deliveredAt", delivered}};
}

domain::Result<std::string> LeadPayloads::render(const domain::Delivery& delivery, domain::Timestamp at) {
  if (delivery.event_type == "lead.feedback") {
    if (delivery.lead_ids.empty())
      return domain::Error{domain::ErrorCode::kInternal, "a lead.feedback without its lead"};
    auto lead = reader_.lead(delivery.team_id, delivery.lead_ids.front());
    if (!lead) return lead.error();
    if (!*lead) return domain::Error{domain::ErrorCode::kNotFound, "the lead of this lead.feedback is gone"};
    return bj::serialize(bj::object{{"type", delivery.event_type},
                                    {"timestamp", domain::format_rfc3339(at)},
                                    {"data", {{"lead", to_json(**lead)}}}});
  }
  bj::array leads;
  for (const auto& id : delivery.lead_ids) {
    auto lead = reader_.lead(delivery.team_id, id);
    if (!lead) return lead.error();
    if (*lead) leads.push_back(to_json(**lead));
  }
  bj::object data{{"streamId", id_or_null(delivery.stream_id)},
                  {"runId", id_or_null(delivery.run_id)},
                  {"leads", std::move(leads)}};
  return bj::serialize(
      bj::object{{"type", delivery.event_type}, {"timestamp", domain::format_rfc3339(at)}, {"data", std::move(data)}});
}

}  // namespace leadstream::api::json
