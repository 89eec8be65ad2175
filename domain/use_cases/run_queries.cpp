#include "domain/use_cases/run_queries.hpp"

namespace leadstream::domain {
namespace {

Error not_found(std::string_view what) { return Error{ErrorCode::kNotFound, std::string(what) + " not found"}; }

/// kNotFound unless the stream is the team's.
Result<void> require_stream(QueryDeps deps, TeamId team, StreamId id) {
  return deps.campaigns.transact([&](CampaignStore& store) -> Result<void> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    return {};
  });
}

}  // namespace

Result<RunList> list_runs(QueryDeps deps, const RunQuery& query) {
  if (query.stream_id) {
    if (auto found = require_stream(deps, query.team_id, *query.stream_id); !found) return found.error();
  }
  return deps.reader.runs(query);
}

Result<Run> get_run(QueryDeps deps, TeamId team, RunId id, std::optional<StreamId> stream) {
  auto run = deps.reader.run(team, id);
  if (!run) return run.error();
  if (!*run || (stream && (*run)->stream_id != *stream)) return not_found("run");
  return std::move(**run);
}

Result<LeadList> list_leads(QueryDeps deps, const LeadQuery& query) {
  if (query.stream_id) {
    if (auto found = require_stream(deps, query.team_id, *query.stream_id); !found) return found.error();
  }
  return deps.reader.leads(query);
}

}  // namespace leadstream::domain
