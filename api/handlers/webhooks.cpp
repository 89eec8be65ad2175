#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "api/json/webhook_json.hpp"
#include "domain/use_cases/webhooks.hpp"

namespace leadstream::api::handlers {
namespace {

namespace bj = boost::json;

/// The filterConfig keys API.md knows; any other is refused rather than ignored, so that a
/// misspelt filter cannot silently match everything.
constexpr std::string_view kFilterKeys[] = {"streamId", "accountId", "sourceType", "feedbackStatus", "matchConfidence"};

std::optional<std::string> one_of(json::BodyReader& reader, std::string_view field,
                                  std::initializer_list<std::string_view> allowed) {
  auto value = reader.string(field);
  if (value && std::ranges::find(allowed, *value) == allowed.end()) {
    std::string list;
    for (const auto& option : allowed) list += (list.empty() ? "" : " or ") + std::string(option);
    reader.problem(field, "must be " + list);
    return std::nullopt;
  }
  return value;
}

domain::WebhookFilter read_filter(const bj::value& value, std::vector<domain::FieldProblem>& problems) {
  domain::WebhookFilter filter;
  if (value.is_null()) return filter;
  if (!value.is_object()) {
    problems.push_back({"filterConfig", "must be an object"});
    return filter;
  }
  for (const auto& [key, ignored] : value.as_object()) {
    if (std::ranges::find(kFilterKeys, std::string_view(key)) == std::end(kFilterKeys)) {
      problems.push_back({"filterConfig." + std::string(key), "is not a filter key (streamId, accountId, sourceType, "
                                                              "feedbackStatus, matchConfidence)"});
    }
  }
  json::BodyReader reader(value, problems, "filterConfig.");
  if (const auto stream = reader.id("streamId")) filter.stream_id = domain::StreamId{*stream};
  if (const auto account = reader.id("accountId")) filter.account_id = domain::AccountId{*account};
  filter.source_type = one_of(reader, "sourceType", {"follower", "liker"});
  filter.feedback_status = one_of(reader, "feedbackStatus", {"good", "bad"});
  filter.match_confidence = one_of(reader, "matchConfidence", {"high", "medium"});
  return filter;
}

}  // namespace

Response subscribe_webhook(ApiDeps& deps, const Call& call) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(call.body, problems);
  const auto url = reader.outbound_url("targetUrl", true);
  domain::WebhookFilter filter;
  if (const auto* value = reader.value("filterConfig")) filter = read_filter(*value, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid request body."); !verdict) {
    return error_response(verdict.error());
  }
  auto subscribed = domain::subscribe_webhook(deps.webhooks, call.caller.team_id, *url, filter);
  if (!subscribed) return error_response(subscribed.error());
  bj::object body{{"id", subscribed->id.value}};
  if (subscribed->secret) body["secret"] = *subscribed->secret;
  return json_response(subscribed->created ? 201 : 200, body);
}

Response unsubscribe_webhook(ApiDeps& deps, const Call& call) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(call.body, problems);
  const auto id = reader.id("id", true);
  if (auto verdict = json::verdict(std::move(problems), "Invalid request body."); !verdict) {
    return error_response(verdict.error());
  }
  auto removed = domain::unsubscribe_webhook(deps.webhooks, call.caller.team_id, domain::WebhookId{*id});
  if (!removed) return error_response(removed.error());
  return json_response(200, {{"ok", true}});
}

Response list_webhooks(ApiDeps& deps, const Call& call) {
  auto subscriptions = deps.webhooks.store.subscriptions(call.caller.team_id);
  if (!subscriptions) return error_response(subscriptions.error());
  bj::array items;
  for (const auto& subscription : *subscriptions) items.push_back(json::to_json(subscription));
  return json_response(200, {{"webhooks", std::move(items)}});
}

Response list_webhook_deliveries(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::WebhookId>(call);
  std::vector<domain::FieldProblem> problems;
  const int limit = query_integer(call, "limit", 50, 1, 500, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid query."); !verdict)
    return error_response(verdict.error());
  const domain::Error missing{domain::ErrorCode::kNotFound, "Webhook subscription not found."};
  if (!id) return error_response(missing);
  auto subscription = deps.webhooks.store.subscription(call.caller.team_id, *id);
  if (!subscription) return error_response(subscription.error());
  if (!*subscription) return error_response(missing);
  auto deliveries = deps.webhooks.store.deliveries(call.caller.team_id, *id, limit);
  if (!deliveries) return error_response(deliveries.error());
  bj::array items;
  for (const auto& delivery : *deliveries) items.push_back(json::to_json(delivery));
  return json_response(200, {{"webhook", json::to_json(**subscription)}, {"deliveries", std::move(items)}});
}

Response test_webhook(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::WebhookId>(call);
  if (!id) return error_response({domain::ErrorCode::kNotFound, "Webhook subscription not found."});
  auto queued = domain::test_webhook(deps.webhooks, call.caller.team_id, *id);
  if (!queued) return error_response(queued.error());
  return json_response(202, {{"deliveryId", queued->value}});
}

}  // namespace leadstream::api::handlers
