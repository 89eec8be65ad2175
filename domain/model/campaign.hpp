#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"

namespace leadstream::domain {

enum class Tier { kStarter, kGrowth, kPro };

std::string_view to_string(Tier tier);
std::optional<Tier> parse_tier(std::string_view text);

/// The people a stream wants, in words and in the terms the classifier uses.
/// Immutable once created: a changed segment is a new segment.
struct SegmentDraft {
  std::optional<std::string> name;
  std::string description;
  std::vector<std::string> gender_values;
  std::map<std::string, std::vector<std::string>> applied_search_filters;  // group -> labels
  std::vector<std::string> follower_count_tiers;
  std::vector<std::string> keywords;  // empty: derived from the description
  std::vector<std::string> exclude_keywords;
};

struct Segment {
  SegmentId id;
  TeamId team_id;
  SegmentDraft draft;
  int linked_stream_count = 0;
  Timestamp created_at;
  Timestamp updated_at;
};

/// An X account whose followers a team watches. One per (team, handle), shared by the
/// team's streams; paid for while active.
struct TrackedAccount {
  AccountId id;
  TeamId team_id;
  std::string handle;          // lower case, without @: the identity
  std::string display_handle;  // as the user or X spelled it
  std::optional<std::string> x_user_id;
  Tier tier = Tier::kStarter;
  bool is_active = true;
  std::optional<Tier> pending_tier;
  std::optional<Timestamp> pending_tier_effective_at;
  std::optional<std::string> profile_image_url;
  std::optional<std::int64_t> last_known_follower_count;
  std::optional<std::int64_t> last_known_tweet_count;
  std::vector<std::string> tags;
  Timestamp added_at;
  std::optional<Timestamp> last_synced_at;
  std::string billing_status = "ok";  // ok | pending | error
  std::optional<std::string> billing_error;
  std::vector<SegmentId> assigned_segment_ids;  // of the team's active streams
};

struct CsvRecipients {
  std::vector<std::string> to;
  std::vector<std::string> cc;
};

/// Everything about a stream but its pairs.
struct StreamSettings {
  std::string name;                     // empty in a request: derived
  std::vector<std::string> sync_times;  // "HH:MM"
  std::string timezone = "UTC";
  std::optional<std::string> cron;
  bool auto_enrich_linkedin = false;
  bool auto_enrich_email = false;
  std::string email_mode = "any";
  std::optional<std::string> email_digest_override;
  std::optional<bool> telegram_override;  // null: the team's notification settings
  std::string delivery_destination = "leads_only";
  std::optional<std::string> webhook_url;
  std::optional<CsvRecipients> csv_email_recipients;
  bool is_active = true;
  /// The signing secret of the stream's own webhook (leads_plus_webhook), sealed. Read:
  /// the stored one. Written: a fresh one, kept only when the stream has none yet.
  std::optional<std::string> webhook_secret;
};

struct StreamPair {
  std::int64_t pair_id = 0;
  AccountId account_id;
  std::string handle;
  Tier tier = Tier::kStarter;
  SegmentId segment_id;
  std::optional<std::string> segment_name;
};

struct Stream {
  StreamId id;
  TeamId team_id;
  StreamSettings settings;
  std::vector<StreamPair> pairs;
  bool is_archived = false;
  Timestamp created_at;
  Timestamp updated_at;
  std::optional<Timestamp> next_run_at;  // derived: set when read, never stored
  std::optional<Timestamp> last_run_at;  // when its latest run started
};

/// When a quantity change reaches the bill.
enum class BillingEffect { kNow, kPeriodEnd };

/// An outbox row: the paid quantity of one tier after a change, for the reconciler.
struct BillingChange {
  TeamId team_id;
  Tier tier = Tier::kStarter;
  int quantity = 0;
  BillingEffect effect = BillingEffect::kNow;
  std::string reason;
  std::optional<AccountId> account_id;
};

/// What a response tells the caller about a change to its bill.
struct BillingDelta {
  Tier tier = Tier::kStarter;
  int change = 0;    // +1 for an added or woken account
  int quantity = 0;  // the tier's paid quantity after it
  BillingEffect effect = BillingEffect::kNow;
};

}  // namespace leadstream::domain
