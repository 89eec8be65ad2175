#include "domain/model/sync.hpp"

namespace leadstream::domain {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::kQueued:
      return "queued";
    case RunStatus::kRunning:
      return "running";
    case RunStatus::kSucceeded:
      return "succeeded";
    case RunStatus::kFailed:
      return "failed";
  }
  return "queued";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (const auto status : {RunStatus::kQueued, RunStatus::kRunning, RunStatus::kSucceeded, RunStatus::kFailed}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::string_view to_string(RunSource source) { return source == RunSource::kCron ? "cron" : "manual"; }

std::string_view to_string(RunMode mode) { return mode == RunMode::kSync ? "sync" : "retest"; }

std::string_view to_string(MatchConfidence confidence) {
  return confidence == MatchConfidence::kHigh ? "high" : "medium";
}

std::optional<MatchConfidence> parse_match_confidence(std::string_view text) {
  if (text == "high") return MatchConfidence::kHigh;
  if (text == "medium") return MatchConfidence::kMedium;
  return std::nullopt;
}

RunCounters& RunCounters::operator+=(const RunCounters& other) {
  followers_walked += other.followers_walked;
  new_followers += other.new_followers;
  candidates_passed += other.candidates_passed;
  high_fit += other.high_fit;
  medium_fit += other.medium_fit;
  enriched += other.enriched;
  leads_created += other.leads_created;
  api_calls += other.api_calls;
  return *this;
}

}  // namespace leadstream::domain
