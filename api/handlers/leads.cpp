#include <boost/json.hpp>

#include "api/csv.hpp"
#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "api/json/run_json.hpp"
#include "domain/model/time.hpp"
#include "domain/rules/stream_rules.hpp"
#include "domain/use_cases/leads.hpp"
#include "domain/use_cases/run_queries.hpp"

namespace leadstream::api::handlers {
namespace {

namespace bj = boost::json;

/// The opaque `nextCursor` of a lead page: where the next page starts (the last lead's id).
constexpr std::string_view kCursorPrefix = "lc1.";

std::string cursor_after(const domain::Lead& lead) {
  return std::string(kCursorPrefix) + std::to_string(lead.id.value);
}

std::optional<domain::LeadId> parse_cursor(std::string_view cursor) {
  if (!cursor.starts_with(kCursorPrefix)) return std::nullopt;
  const auto id = parse_id(cursor.substr(kCursorPrefix.size()));
  if (!id) return std::nullopt;
  return domain::LeadId{*id};
}

/// How a lead list answers: JSON, or CSV when asked by `format=csv` or `Accept: text/csv`.
enum class Format { kJson, kCsv };

Format format_of(const Call& call, std::vector<domain::FieldProblem>& problems) {
  if (const auto format = call.request.query_param("format")) {
    if (*format == "csv") return Format::kCsv;
    if (*format != "json") problems.push_back({"format", "must be json or csv"});
    return Format::kJson;
  }
  const auto accept = call.request.header("accept");
  return accept && accept->find("text/csv") != std::string_view::npos ? Format::kCsv : Format::kJson;
}

/// The filters of API.md common to both lead lists, read from the query string.
domain::LeadQuery read_lead_query(const Call& call, std::vector<domain::FieldProblem>& problems) {
  domain::LeadQuery query{.team_id = call.caller.team_id};
  query.account_id = query_id<domain::AccountId>(call, "accountId", problems);
  query.segment_id = query_id<domain::SegmentId>(call, "segmentId", problems);
  if (const auto confidence = call.request.query_param("matchConfidence")) {
    query.confidence = domain::parse_match_confidence(*confidence);
    if (!query.confidence) problems.push_back({"matchConfidence", "must be high or medium"});
  }
  if (auto lifecycle = call.request.query_param("lifecycle")) {
    if (*lifecycle != "new" && *lifecycle != "exported") problems.push_back({"lifecycle", "must be new or exported"});
    query.lifecycle = std::move(*lifecycle);
  }
  if (const auto since = call.request.query_param("since")) {
    query.since = domain::parse_rfc3339(*since);
    if (!query.since) problems.push_back({"since", "must be an RFC 3339 time"});
  }
  if (const auto cursor = call.request.query_param("cursor")) {
    query.before = parse_cursor(*cursor);
    if (!query.before) problems.push_back({"cursor", "must be a nextCursor this API returned"});
  }
  query.limit = query_integer(call, "limit", 100, 1, 500, problems);
  query.offset = query_integer(call, "offset", 0, 0, 1'000'000, problems);
  return query;
}

bj::array leads_json(const std::vector<domain::Lead>& leads) {
  bj::array items;
  for (const auto& lead : leads) items.push_back(json::to_json(lead));
  return items;
}

Response csv_response(const domain::LeadList& list) {
  Response response{
      .status = 200, .headers = {}, .content_type = "text/csv; charset=utf-8", .body = csv::lead_header()};
  for (const auto& lead : list.leads) response.body += csv::lead_record(lead);
  response.headers.emplace_back("X-Total-Count", std::to_string(list.total));
  if (list.more && !list.leads.empty()) response.headers.emplace_back("X-Next-Cursor", cursor_after(list.leads.back()));
  return response;
}

Response list_response(const domain::LeadList& list, Format format) {
  if (format == Format::kCsv) return csv_response(list);
  bj::value next = nullptr;
  if (list.more && !list.leads.empty()) next = cursor_after(list.leads.back());
  return json_response(
      200, {{"leads", leads_json(list.leads)}, {"total", list.total}, {"hasMore", list.more}, {"nextCursor", next}});
}

Response summary_response(domain::QueryDeps deps, const domain::LeadQuery& query) {
  auto summary = domain::summarize_leads(deps, query);
  if (!summary) return error_response(summary.error());
  return json_response(200, {{"highFitCount", summary->high_fit},
                             {"mediumFitCount", summary->medium_fit},
                             {"newCount", summary->fresh},
                             {"exportedCount", summary->exported}});
}

Response grouped_response(domain::QueryDeps deps, const domain::LeadQuery& query) {
  auto groups = domain::list_leads_by_stream(deps, query);
  if (!groups) return error_response(groups.error());
  bj::array streams;
  for (const auto& group : *groups) {
    streams.push_back({{"streamId", group.stream_id.value},
                       {"streamName", group.stream_name},
                       {"leads", leads_json(group.leads.leads)},
                       {"total", group.leads.total},
                       {"hasMore", group.leads.more}});
  }
  return json_response(200, {{"streams", std::move(streams)}});
}

/// Both lead lists: the query read, then a summary, groups, CSV or a JSON page.
Response answer_leads(ApiDeps& deps, const Call& call, domain::LeadQuery query,
                      std::vector<domain::FieldProblem> problems, bool may_group) {
  const auto format = format_of(call, problems);
  const bool summary = call.request.query_flag("summary");
  bool grouped = false;
  if (const auto group_by = call.request.query_param("groupBy")) {
    if (!may_group || *group_by != "stream") {
      problems.push_back({"groupBy", may_group ? "must be stream" : "is only for GET /leads"});
    } else if (format == Format::kCsv) {
      problems.push_back({"groupBy", "cannot be combined with CSV"});
    }
    grouped = true;
  }
  if (auto verdict = json::verdict(std::move(problems), "Invalid query."); !verdict)
    return error_response(verdict.error());
  if (summary) return summary_response(deps.queries, query);
  if (grouped) return grouped_response(deps.queries, query);
  auto leads = domain::list_leads(deps.queries, query);
  if (!leads) return error_response(leads.error());
  return list_response(*leads, format);
}

Response lead_not_found() { return error_response({domain::ErrorCode::kLeadNotFound, "Lead not found."}); }

std::optional<domain::LeadFeedback> read_feedback(const bj::value& body, std::vector<domain::FieldProblem>& problems) {
  json::BodyReader reader(body, problems);
  domain::LeadFeedback feedback;
  const auto segment = reader.id("segmentId", true);
  const auto verdict = reader.string("feedback", true);
  const auto reason = reader.string("badReason");
  const auto freeform = reader.string("badReasonFreeform");
  if (verdict && *verdict != "good" && *verdict != "bad") reader.problem("feedback", "must be good or bad");
  if (reason && std::ranges::find(domain::kBadReasons, *reason) == std::end(domain::kBadReasons)) {
    reader.problem("badReason",
                   "must be bot, wrong_gender, wrong_job, wrong_skill, wrong_personality, zapier or other");
  }
  if (freeform && freeform->size() > 500) reader.problem("badReasonFreeform", "must be at most 500 characters");
  if (!segment || !verdict) return std::nullopt;
  feedback.segment_id = domain::SegmentId{*segment};
  feedback.good = *verdict == "good";
  feedback.bad_reason = reason;
  feedback.bad_reason_freeform = freeform;
  return feedback;
}

/// requested_outputs and email_mode, as API.md names them.
std::optional<domain::EnrichWants> read_wants(const bj::value& body, std::vector<domain::FieldProblem>& problems,
                                              bool outputs_required) {
  json::BodyReader reader(body, problems);
  const auto outputs = reader.strings("requested_outputs");
  const auto mode = reader.string("email_mode");
  if (mode && *mode != "verified" && *mode != "any") reader.problem("email_mode", "must be verified or any");
  domain::EnrichWants wants{.verified_email_only = mode == "verified"};
  if (!outputs) {
    if (outputs_required) reader.problem("requested_outputs", "is required");
    return outputs_required ? std::nullopt : std::optional(domain::EnrichWants{true, true, wants.verified_email_only});
  }
  for (const auto& output : *outputs) {
    if (output == "linkedin_url")
      wants.linkedin = true;
    else if (output == "email")
      wants.email = true;
    else
      reader.problem("requested_outputs", "each must be linkedin_url or email");
  }
  if (outputs->empty()) reader.problem("requested_outputs", "must name linkedin_url, email or both");
  return wants;
}

}  // namespace

Response list_stream_leads(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return error_response({domain::ErrorCode::kNotFound, "stream not found"});
  std::vector<domain::FieldProblem> problems;
  auto query = read_lead_query(call, problems);
  query.stream_id = *id;
  return answer_leads(deps, call, std::move(query), std::move(problems), false);
}

Response list_leads(ApiDeps& deps, const Call& call) {
  std::vector<domain::FieldProblem> problems;
  auto query = read_lead_query(call, problems);
  query.stream_id = query_id<domain::StreamId>(call, "streamId", problems);
  return answer_leads(deps, call, std::move(query), std::move(problems), true);
}

Response lead_feedback(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::LeadId>(call);
  if (!id) return lead_not_found();
  std::vector<domain::FieldProblem> problems;
  auto feedback = read_feedback(call.body, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid request body."); !verdict) {
    return error_response(verdict.error());
  }
  auto lead = domain::record_feedback(deps.leads, call.caller.team_id, *id, std::move(*feedback));
  if (!lead) return error_response(lead.error());
  return json_response(200, {{"ok", true}, {"lead", json::to_json(*lead)}});
}

Response export_lead(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::LeadId>(call);
  if (!id) return lead_not_found();
  auto lead = domain::export_lead(deps.leads, call.caller.team_id, *id);
  if (!lead) return error_response(lead.error());
  return json_response(200, {{"lead", json::to_json(*lead)}});
}

Response enrich_lead(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::LeadId>(call);
  if (!id) return lead_not_found();
  std::vector<domain::FieldProblem> problems;
  const auto wants = read_wants(call.body, problems, true);
  if (auto verdict = json::verdict(std::move(problems), "Invalid request body."); !verdict) {
    return error_response(verdict.error());
  }
  auto outcome = domain::enrich_lead(deps.enrich, call.caller.team_id, *id, *wants);
  if (!outcome) return error_response(outcome.error());
  deps.me.forget(call.caller.team_id);  // the balance moved
  return json_response(200, json::to_json(*outcome));
}

namespace {

/// POST /lookups/enrich and /lookups/enrich-email: `handle`, then what enrich reads.
Response look_up(ApiDeps& deps, const Call& call, const std::string& kind) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(call.body, problems);
  const auto handle = reader.string("handle", true);
  std::optional<std::string> normalized;
  if (handle) {
    normalized = domain::normalize_handle(*handle);
    if (!normalized) reader.problem("handle", "must be an X handle: 1 to 15 letters, digits or underscores");
  }
  auto wants = read_wants(call.body, problems, false);
  if (auto verdict = json::verdict(std::move(problems), "Invalid request body."); !verdict) {
    return error_response(verdict.error());
  }
  if (kind == "enrich-email")
    wants = domain::EnrichWants{.email = true, .verified_email_only = wants->verified_email_only};
  auto outcome = domain::look_up_contacts(deps.lookups, call.caller.team_id, *normalized, *wants, kind);
  if (!outcome) return error_response(outcome.error());
  deps.me.forget(call.caller.team_id);  // the balance may have moved
  return json_response(200, json::to_json(*outcome));
}

Response lookup_history(ApiDeps& deps, const Call& call, const std::string& kind) {
  std::vector<domain::FieldProblem> problems;
  const auto limit = query_integer(call, "limit", 50, 1, 500, problems);
  const auto offset = query_integer(call, "offset", 0, 0, 1'000'000, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid query."); !verdict) {
    return error_response(verdict.error());
  }
  auto page = deps.lookups.lookups.list(call.caller.team_id, kind, limit, offset);
  if (!page) return error_response(page.error());
  bj::array items;
  for (const auto& lookup : page->items) items.push_back(json::to_json(lookup));
  return json_response(200, {{"items", std::move(items)},
                             {"total", page->total},
                             {"hasMore", offset + static_cast<int>(page->items.size()) < page->total}});
}

}  // namespace

Response lookup_enrich(ApiDeps& deps, const Call& call) { return look_up(deps, call, "enrich"); }
Response lookup_enrich_email(ApiDeps& deps, const Call& call) { return look_up(deps, call, "enrich-email"); }
Response lookup_enrich_history(ApiDeps& deps, const Call& call) { return lookup_history(deps, call, "enrich"); }
Response lookup_enrich_email_history(ApiDeps& deps, const Call& call) {
  return lookup_history(deps, call, "enrich-email");
}

}  // namespace leadstream::api::handlers
