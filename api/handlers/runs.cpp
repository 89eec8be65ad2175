#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "api/json/run_json.hpp"
#include "domain/model/time.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "domain/use_cases/run_queries.hpp"

namespace leadstream::api::handlers {
namespace {

Response not_found(std::string_view what) {
  return error_response({domain::ErrorCode::kNotFound, std::string(what) + " not found"});
}

boost::json::array runs_json(const std::vector<domain::Run>& runs) {
  boost::json::array out;
  for (const auto& run : runs) out.push_back(json::to_json(run));
  return out;
}

}  // namespace

Response request_run(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return not_found("stream");
  auto requested = domain::request_run(deps.runs, call.caller.team_id, *id);
  if (!requested) return error_response(requested.error());
  return json_response(202, json::to_json(*requested));
}

Response request_retest(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return not_found("stream");
  std::vector<domain::FieldProblem> problems;
  domain::RetestScope scope;
  if (!call.body.is_null()) {
    json::BodyReader reader(call.body, problems);
    if (const auto account = reader.id("accountId")) scope.account_id = domain::AccountId{*account};
    if (const auto segment = reader.id("segmentId")) scope.segment_id = domain::SegmentId{*segment};
  }
  if (auto verdict = json::verdict(std::move(problems), "Invalid re-test."); !verdict)
    return error_response(verdict.error());
  auto requested = domain::request_retest(deps.runs, call.caller.team_id, *id, scope);
  if (!requested) return error_response(requested.error());
  return json_response(202, json::to_json(*requested));
}

Response list_stream_runs(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::StreamId>(call);
  if (!id) return not_found("stream");
  std::vector<domain::FieldProblem> problems;
  const auto limit = query_integer(call, "limit", 30, 1, 100, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid query."); !verdict)
    return error_response(verdict.error());
  auto runs = domain::list_runs(deps.queries,
                                domain::RunQuery{.team_id = call.caller.team_id, .stream_id = *id, .limit = limit});
  if (!runs) return error_response(runs.error());
  return json_response(200, {{"runs", runs_json(runs->runs)}});
}

Response get_stream_run(ApiDeps& deps, const Call& call) {
  const auto stream = path_id<domain::StreamId>(call);
  const auto run_id = parse_id(call.path_params.at(1));
  if (!stream || !run_id) return not_found("run");
  auto run = domain::get_run(deps.queries, call.caller.team_id, domain::RunId{*run_id}, *stream);
  if (!run) return error_response(run.error());
  return json_response(200, {{"run", json::to_json(*run)}});
}

Response list_runs(ApiDeps& deps, const Call& call) {
  std::vector<domain::FieldProblem> problems;
  domain::RunQuery query{.team_id = call.caller.team_id};
  query.stream_id = query_id<domain::StreamId>(call, "streamId", problems);
  if (const auto status = call.request.query_param("status")) {
    query.status = domain::parse_run_status(*status);
    if (!query.status) problems.push_back({"status", "must be queued, running, succeeded or failed"});
  }
  query.limit = query_integer(call, "limit", 30, 1, 100, problems);
  query.offset = query_integer(call, "offset", 0, 0, 1'000'000, problems);
  if (auto verdict = json::verdict(std::move(problems), "Invalid query."); !verdict)
    return error_response(verdict.error());
  auto runs = domain::list_runs(deps.queries, query);
  if (!runs) return error_response(runs.error());
  const bool has_more = query.offset + static_cast<int>(runs->runs.size()) < runs->total;
  return json_response(200, {{"runs", runs_json(runs->runs)}, {"total", runs->total}, {"hasMore", has_more}});
}

}  // namespace leadstream::api::handlers
