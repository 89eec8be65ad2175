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
  std::optional<Timestamp> since;  // discovered strictly after
  std::optional<LeadId> before;    // a cursor: only leads older than this one
  int limit = 100;
  int offset = 0;
};

struct LeadList {
  std::vector<Lead> leads;
  int total = 0;      // of the query without limit, offset and cursor
  bool more = false;  // leads past this page
};

/// Counts of the leads a query selects (limit, offset and cursor aside).
struct LeadSummary {
  int high_fit = 0;
  int medium_fit = 0;
  int fresh = 0;  // lifecycle new
  int exported = 0;
};

/// What users read of runs and leads: never writes. Every query is scoped to one team.
/// Blocking; thread-safe.
class RunReader {
 public:
  virtual ~RunReader() = default;

  virtual Result<RunList> runs(const RunQuery& query) = 0;
  virtual Result<std::optional<Run>> run(TeamId team, RunId id) = 0;
  /// Newest first (a team's leads are numbered in the order they commit), with a stable
  /// order between equal discovery times.
  virtual Result<LeadList> leads(const LeadQuery& query) = 0;
  virtual Result<LeadSummary> lead_summary(const LeadQuery& query) = 0;
  virtual Result<std::optional<Lead>> lead(TeamId team, LeadId id) = 0;
};

}  // namespace leadstream::domain
