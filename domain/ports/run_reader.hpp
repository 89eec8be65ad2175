#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct RunQuery {
  TeamId team_id;
  std::optional<StreamId> stream_id;
  std::optional<RunStatus> status;
  int limit = 30;
  int offset = 0;
};

struct RunList {
  std::vector<Run> runs;
  int total = 0;
};

struct LeadQuery {
  TeamId team_id;
  std::optional<StreamId> stream_id;
  std::optional<MatchConfidence> confidence;
  std::optional<AccountId> account_id;
  std::optional<SegmentId> segment_id;
  std::optional<std::string> lifecycle;
  std::optional<Timestamp> since;
  int limit = 100;
  int offset = 0;
};

struct LeadList {
  std::vector<Lead> leads;
  int total = 0;
};

/// What users read of runs and leads: never writes. Every query is scoped to one team.
/// Blocking; thread-safe.
class RunReader {
 public:
  virtual ~RunReader() = default;

  virtual Result<RunList> runs(const RunQuery& query) = 0;
  virtual Result<std::optional<Run>> run(TeamId team, RunId id) = 0;
  virtual Result<LeadList> leads(const LeadQuery& query) = 0;
};

}  // namespace leadstream::domain
