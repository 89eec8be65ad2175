#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "api/json/campaign_json.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "domain/use_cases/campaigns.hpp"

namespace leadstream::api::handlers {
namespace {

template <class Items>
boost::json::array json_array(const Items& items) {
  boost::json::array out;
  for (const auto& item : items) out.push_back(json::to_json(item));
  return out;
}

Response stream_not_found() { return error_response({domain::ErrorCode::kNotFound, "stream not found"}); }

}  // namespace

Response create_segment(ApiDeps& deps, const Call& call) {
  auto draft = json::parse_segment(call.body);
  if (!draft) return error_response(draft.error());
  auto segment = domain::create_segment(deps.campaigns, call.caller.team_id, std::move(*draft));
  if (!segment) return error_response(segment.error());
  return json_response(201, {{"id", segment->id.value}, {"userFacingId", "seg_" + std::to_string(segment->id.value)}});
}

Response segment_from_description(ApiDeps& deps, const Call& call) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(call.body, problems);
  domain::SegmentDraft draft;
  draft.description = reader.string("description", /*required=*/true).value_or("");
  draft.name = reader.string("name");
  if (auto verdict = json::verdict(std::move(problems), "Invalid segment."); !verdict)
    return error_response(verdict.error());
  draft.applied_search_filters = domain::suggest_search_filters(draft.description);
  auto segment = domain::create_segment(deps.campaigns, call.caller.team_id, std::move(draft));
  if (!segment) return error_response(segment.error());
  return json_response(201, {{"segment", json::to_json(*segment)}});
}

Response list_segments(ApiDeps& deps, const Call& call) {
  auto segments = domain::list_segments(deps.campaigns, call.caller.team_id);
  if (!segments) return error_response(segments.error());
  return json_response(200, {{"segments", json_array(*segments)}});
}

Response segment_labels(ApiDeps&, const Call&) { return json_response(200, json::segment_vocabulary_json()); }

Response list_accounts(ApiDeps& deps, const Call& call) {
  auto accounts = domain::list_accounts(deps.campaigns, call.caller.team_id);
  if (!accounts) return error_response(accounts.error());
  boost::json::array active;
  boost::json::array sleeping;
  for (const auto& account : *accounts) (account.is_active ? active : sleeping).push_back(json::to_json(account));
  return json_response(200, {{"active", std::move(active)}, {"sleeping", std::move(sleeping)}});
}

Response create_stream(ApiDeps& deps, const Call& call) {
  auto request = json::parse_stream_request(call.body);
  if (!request) return error_response(request.error());
  request->settings.webhook_secret = deps.secrets.seal(deps.secrets.webhook_secret());  // kept if it gets a webhook
  auto created = domain::create_stream(deps.campaigns, call.caller.team_id, std::move(*request));
  if (!created) return error_response(created.error());
  return json_response(201, json::to_json(*created));
}

Response list_streams(ApiDeps& deps, const Call& call) {
  const bool include_archived = call.request.query_flag("includeArchived");
  auto streams = domain::list_streams(deps.campaigns, call.caller.team_id, include_archived);
  if (!streams) return error_response(streams.error());
  return json_response(200, {{"streams", json_array(*streams)}});
}

Response get_stream(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return stream_not_found();
  auto stream = domain::get_stream(deps.campaigns, call.caller.team_id, *id);
  if (!stream) return error_response(stream.error());
  auto body = json::to_json(*stream);
  // The stream's own webhook's signing secret (ext), for its owner to verify deliveries.
  boost::json::value secret = nullptr;
  if (stream->settings.webhook_secret) {
    if (auto opened = deps.secrets.unseal(*stream->settings.webhook_secret)) secret = *opened;
  }
  body.as_object()["webhookSecret"] = secret;
  return json_response(200, {{"stream", std::move(body)}});
}

Response patch_stream(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return stream_not_found();
  auto patch = json::parse_stream_patch(call.body);
  if (!patch) return error_response(patch.error());
  patch->webhook_secret = deps.secrets.seal(deps.secrets.webhook_secret());  // used if it gets its first webhook
  auto patched = domain::patch_stream(deps.campaigns, call.caller.team_id, *id, std::move(*patch));
  if (!patched) return error_response(patched.error());
  return json_response(200, json::to_json(*patched));
}

Response archive_stream(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return stream_not_found();
  if (auto archived = domain::archive_stream(deps.campaigns, call.caller.team_id, *id); !archived) {
    return error_response(archived.error());
  }
  return json_response(200, {{"archived", true}});
}

}  // namespace leadstream::api::handlers
