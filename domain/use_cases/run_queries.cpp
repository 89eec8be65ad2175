#include "domain/use_cases/run_queries.hpp"

#include <algorithm>

#include "domain/use_cases/campaigns.hpp"

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

Result<LeadSummary> summarize_leads(QueryDeps deps, const LeadQuery& query) {
  if (query.stream_id) {
    if (auto found = require_stream(deps, query.team_id, *query.stream_id); !found) return found.error();
  }
  return deps.reader.lead_summary(query);
}

Result<std::vector<StreamLeads>> list_leads_by_stream(QueryDeps deps, const LeadQuery& query) {
  auto streams = in_transaction<std::vector<Stream>>(
      deps.campaigns, [&](CampaignStore& store) { return store.streams(query.team_id, true); });
  if (!streams) return streams.error();
  if (query.stream_id && std::ranges::none_of(*streams, [&](const Stream& s) { return s.id == *query.stream_id; })) {
    return not_found("stream");
  }
  std::vector<StreamLeads> out;
  for (const auto& stream : *streams) {
    if (query.stream_id && stream.id != *query.stream_id) continue;
    auto scoped = query;
    scoped.stream_id = stream.id;
    auto leads = deps.reader.leads(scoped);
    if (!leads) return leads.error();
    if (leads->total == 0) continue;
    out.push_back({stream.id, stream.settings.name, std::move(*leads)});
  }
  return out;
}

}  // namespace leadstream::domain
