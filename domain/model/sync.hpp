#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/model/enrichment.hpp"
#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"

namespace leadstream::domain {

/// An X user as the follower sources give it (the fields of an X API v2 user object we keep).
struct FollowerProfile {
  std::string x_user_id;
  std::string handle;
  std::string display_name;
  std::string bio;
  std::string location;
  std::string url;
  std::string profile_image_url;
  std::int64_t followers_count = 0;
  std::int64_t following_count = 0;
  std::int64_t tweet_count = 0;
  bool verified = false;
  bool is_protected = false;
  bool default_profile_image = false;
};

/// One page of an account's followers, newest first, as X lists them.
struct FollowerPage {
  std::vector<FollowerProfile> followers;
  std::optional<std::string> next_cursor;  // nullopt: the last page
  int api_calls = 1;
  /// Set when the provider's rate limit window is used up: no call before then.
  std::optional<Timestamp> resume_at;
};

enum class RunStatus { kQueued, kRunning, kSucceeded, kFailed };
enum class RunSource { kCron, kManual };
enum class RunMode { kSync, kRetest };
/// Why a run was not queued; api/errors names them.
enum class SkipReason { kBudgetExhausted, kAccountSleeping, kRunInProgress, kFreeTier };

std::string_view to_string(RunStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);
std::string_view to_string(RunSource source);
std::string_view to_string(RunMode mode);

/// What a poller sees of a run as it goes.
struct ProgressEntry {
  std::string step;  // fetch_followers | filter | classify | enrich | deliver
  std::string message;
  Timestamp at;
};

struct RunCounters {
  int followers_walked = 0;
  int new_followers = 0;
  int candidates_passed = 0;
  int high_fit = 0;
  int medium_fit = 0;
  int enriched = 0;
  int leads_created = 0;
  int api_calls = 0;

  RunCounters& operator+=(const RunCounters& other);
};

/// What saving a page added to the run's counters, and who became a lead of the stream on
/// it (X user ids, each once): the people auto-enrichment is for.
struct SavedPage {
  RunCounters added;
  std::vector<std::string> new_lead_people;
};

/// What classifying cost beyond the process: a remote model's requests and tokens.
struct ClassifierUsage {
  int requests = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  int cached_profiles = 0;    // answered from earlier answers, at no cost
  int fallback_profiles = 0;  // the model failed on them: the local scorer answered

  bool empty() const { return requests == 0 && cached_profiles == 0 && fallback_profiles == 0; }
  ClassifierUsage operator-(const ClassifierUsage& other) const {
    return {requests - other.requests, prompt_tokens - other.prompt_tokens, completion_tokens - other.completion_tokens,
            cached_profiles - other.cached_profiles, fallback_profiles - other.fallback_profiles};
  }
};

/// One execution for one (stream, account).
struct Run {
  RunId id;
  TeamId team_id;
  StreamId stream_id;
  std::string stream_name;
  AccountId account_id;
  std::string handle;
  std::optional<SegmentId> segment_id;
  std::optional<std::string> segment_name;
  RunSource source = RunSource::kManual;
  RunMode mode = RunMode::kSync;
  RunStatus status = RunStatus::kQueued;
  Timestamp triggered_at;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> completed_at;
  int attempt = 0;
  RunCounters counters;
  ClassifierUsage classifier_usage;
  std::optional<std::string> error_message;
  std::vector<ProgressEntry> progress_log;
};

/// A user's verdict on a person judged against a segment (the feedback on one of its
/// leads): what the classifier learns the segment from.
struct FeedbackExample {
  FollowerProfile profile;
  bool good = true;
  std::optional<std::string> bad_reason;  // one of kBadReasons, when bad
};

/// A segment as the classifier needs it.
struct SegmentTerms {
  SegmentId id;
  std::string description;
  std::vector<std::string> keywords;
  std::vector<std::string> exclude_keywords;
  std::map<std::string, std::vector<std::string>> applied_search_filters = {};  // group -> labels
  std::vector<std::string> follower_count_tiers = {};
  std::vector<FeedbackExample> feedback = {};  // the latest, newest first
};

enum class MatchConfidence { kHigh, kMedium };
std::string_view to_string(MatchConfidence confidence);
std::optional<MatchConfidence> parse_match_confidence(std::string_view text);

/// How one profile fits one segment.
struct Match {
  SegmentId segment_id;
  MatchConfidence confidence = MatchConfidence::kMedium;
  double score = 0;                  // 0..1
  std::vector<std::string> reasons;  // the terms that matched
};

/// A run claimed by a worker: everything it needs to do the work.
struct ClaimedRun {
  RunId id;
  TeamId team_id;
  StreamId stream_id;
  AccountId account_id;
  std::string handle;
  std::optional<std::string> x_user_id;
  Tier tier = Tier::kStarter;
  RunMode mode = RunMode::kSync;
  std::optional<SegmentId> segment_id;  // a re-test of one pair: `segments` holds only it
  int attempt = 1;
  std::optional<std::string> cursor;  // where the walk resumes
  int followers_walked = 0;
  bool first_sync = false;                          // the pair never ran before: no page is "known" yet
  std::optional<Timestamp> last_full_walk_at;       // when the pair's latest walk to the cap or the end finished
  std::optional<std::int64_t> last_follower_count;  // at the pair's latest successful sync
  bool stream_archived = false;                     // since it was queued
  bool account_sleeping = false;                    // since it was queued
  EnrichWants auto_enrich;                          // what the stream enriches its new leads with
  std::vector<SegmentTerms> segments;
};

/// A follower of a fetched page with what the run made of it.
struct ScoredFollower {
  FollowerProfile profile;
  bool passed_filter = false;
  std::vector<Match> matches;
};

/// What a user said of a lead (POST /leads/{id}/feedback), for one segment.
struct LeadFeedback {
  SegmentId segment_id;
  bool good = true;
  std::optional<std::string> bad_reason;  // bot | wrong_gender | … (kBadReasons); set when bad
  std::optional<std::string> bad_reason_freeform;
  Timestamp at;
};

/// The `badReason` values a user may give, as API.md lists them.
inline constexpr std::string_view kBadReasons[] = {
    "bot", "wrong_gender", "wrong_job", "wrong_skill", "wrong_personality", "zapier", "other"};

struct Lead {
  LeadId id;
  StreamId stream_id;
  AccountId account_id;
  SegmentId segment_id;
  std::optional<RunId> run_id;
  MatchConfidence confidence = MatchConfidence::kMedium;
  double score = 0;
  std::vector<std::string> reasons;
  std::string source_type = "new_follower";
  std::string lifecycle = "new";
  Timestamp discovered_at;
  std::optional<Timestamp> exported_at;
  FollowerProfile profile;
  std::optional<LeadFeedback> feedback;  // for the lead's own segment
  std::optional<Enrichment> enrichment;  // what is known of the person's contacts
};

}  // namespace leadstream::domain
