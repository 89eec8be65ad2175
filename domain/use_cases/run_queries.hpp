#pragma once

#include <optional>

#include "domain/model/sync.hpp"
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/run_reader.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What reading runs and leads needs: the streams (to tell "not yours" from "empty") and
/// the read-only store.
struct QueryDeps {
  CampaignTransactions& campaigns;
  RunReader& reader;
};

Result<RunList> list_runs(QueryDeps deps, const RunQuery& query);
/// kNotFound unless the run is the team's (and of `stream`, when given).
Result<Run> get_run(QueryDeps deps, TeamId team, RunId id, std::optional<StreamId> stream = std::nullopt);
/// kNotFound when `query.stream_id` is not one of the team's streams.
Result<LeadList> list_leads(QueryDeps deps, const LeadQuery& query);
/// The counts of `summary=true`; kNotFound as list_leads.
Result<LeadSummary> summarize_leads(QueryDeps deps, const LeadQuery& query);

struct StreamLeads {
  StreamId stream_id;
  std::string stream_name;
  LeadList leads;
};

/// `groupBy=stream`: the query per stream of the team (archived ones included: their
/// leads are kept), in stream order, each with its own limit; streams without a lead
/// left out. With `query.stream_id`, that stream alone.
Result<std::vector<StreamLeads>> list_leads_by_stream(QueryDeps deps, const LeadQuery& query);

}  // namespace leadstream::domain
