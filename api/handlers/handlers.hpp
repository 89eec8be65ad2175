#pragma once

#include "api/http_message.hpp"
#include "api/router.hpp"

namespace leadstream::api::handlers {

// Thin: parse, call the use case, map. One function per route.
Response healthz(ApiDeps& deps, const Request& request);
Response readyz(ApiDeps& deps, const Request& request);
Response get_me(ApiDeps& deps, const Call& call);
std::optional<Response> get_me_cached(ApiDeps& deps, const Call& call);
Response revoke_own_api_key(ApiDeps& deps, const Call& call);
Response create_segment(ApiDeps& deps, const Call& call);
Response list_segments(ApiDeps& deps, const Call& call);
Response segment_from_description(ApiDeps& deps, const Call& call);
Response segment_labels(ApiDeps& deps, const Call& call);
Response list_accounts(ApiDeps& deps, const Call& call);
Response sleep_account(ApiDeps& deps, const Call& call);
Response wake_account(ApiDeps& deps, const Call& call);
Response change_tier(ApiDeps& deps, const Call& call);
Response create_stream(ApiDeps& deps, const Call& call);
Response list_streams(ApiDeps& deps, const Call& call);
Response get_stream(ApiDeps& deps, const Call& call);
Response patch_stream(ApiDeps& deps, const Call& call);
Response archive_stream(ApiDeps& deps, const Call& call);
Response list_templates(ApiDeps& deps, const Call& call);
Response create_template(ApiDeps& deps, const Call& call);
Response get_template(ApiDeps& deps, const Call& call);
Response update_template(ApiDeps& deps, const Call& call);
Response delete_template(ApiDeps& deps, const Call& call);
Response request_run(ApiDeps& deps, const Call& call);
Response request_retest(ApiDeps& deps, const Call& call);
Response list_stream_runs(ApiDeps& deps, const Call& call);
Response get_stream_run(ApiDeps& deps, const Call& call);
Response list_runs(ApiDeps& deps, const Call& call);
Response list_stream_leads(ApiDeps& deps, const Call& call);
Response list_leads(ApiDeps& deps, const Call& call);
Response lead_feedback(ApiDeps& deps, const Call& call);
Response export_lead(ApiDeps& deps, const Call& call);
Response enrich_lead(ApiDeps& deps, const Call& call);
Response lookup_enrich(ApiDeps& deps, const Call& call);
Response lookup_enrich_email(ApiDeps& deps, const Call& call);
Response lookup_enrich_history(ApiDeps& deps, const Call& call);
Response lookup_enrich_email_history(ApiDeps& deps, const Call& call);
Response subscribe_webhook(ApiDeps& deps, const Call& call);
Response unsubscribe_webhook(ApiDeps& deps, const Call& call);
Response list_webhooks(ApiDeps& deps, const Call& call);
Response list_webhook_deliveries(ApiDeps& deps, const Call& call);
Response test_webhook(ApiDeps& deps, const Call& call);

Response get_notification_settings(ApiDeps& deps, const Call& call);
Response put_notification_settings(ApiDeps& deps, const Call& call);

/// A JSON response with that status.
Response json_response(int status, const boost::json::value& body);

/// The integer id of a path segment, or nullopt for anything but a positive integer.
std::optional<std::int64_t> parse_id(std::string_view segment);

/// The integer query parameter `name` in [min, max], `fallback` when absent; a problem
/// (and `fallback`) when it is anything else.
int query_integer(const Call& call, std::string_view name, int fallback, int min, int max,
                  std::vector<domain::FieldProblem>& problems);

/// The route's first {id} as a typed id; nullopt (answer 404) when it is not one.
template <class TypedId>
std::optional<TypedId> path_id(const Call& call) {
  const auto id = parse_id(call.path_params.at(0));
  if (!id) return std::nullopt;
  return TypedId{*id};
}

/// An optional id of the query (`accountId=12`); a problem when present but not an id.
template <class TypedId>
std::optional<TypedId> query_id(const Call& call, std::string_view name, std::vector<domain::FieldProblem>& problems) {
  const auto text = call.request.query_param(name);
  if (!text) return std::nullopt;
  const auto id = parse_id(*text);
  if (!id) {
    problems.push_back({std::string(name), "must be a positive integer id"});
    return std::nullopt;
  }
  return TypedId{*id};
}

}  // namespace leadstream::api::handlers
