#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/handle_resolver.hpp"
#include "domain/ports/time_zones.hpp"
#include "domain/result.hpp"
#include "domain/rules/quotas.hpp"

namespace leadstream::domain {

struct CampaignDeps {
  CampaignTransactions& transactions;
  HandleResolver& handles;
  const TimeZones& zones;
  const Clock& clock;
  TeamQuotas quotas = {};
};

/// A pair's account: an id of the team's, or a handle (tracked if new, at `tier`).
struct AccountRef {
  std::optional<AccountId> id;
  std::string handle;
  std::optional<Tier> tier;
};

/// A pair's segment: an id of the team's, or a new segment.
struct SegmentRef {
  std::optional<SegmentId> id;
  std::optional<SegmentDraft> draft;
};

struct PairRequest {
  AccountRef account;
  SegmentRef segment;
};

struct StreamRequest {
  StreamSettings settings;
  std::vector<PairRequest> pairs;
};

struct AccountOutcome {
  std::string handle;
  AccountId id;
  bool created = false;
  std::optional<BillingDelta> billing_delta;  // set when created
};

struct SegmentOutcome {
  SegmentId id;
  bool created = false;
};

struct StreamCreated {
  StreamId id;
  std::vector<AccountOutcome> accounts;
  std::vector<SegmentOutcome> segments;
};

/// kSubscriptionRequired unless the team may take more quantity: billed by
/// the ledger, or by a subscription that is active or trialing.
Result<void> require_active_subscription(CampaignStore& store, TeamId team);
/// Whether the team may move an account to a higher tier: kFreeAccountLimit on the
/// free plan; otherwise as require_active_subscription.
Result<void> require_upgrade_allowed(CampaignStore& store, TeamId team);
/// Whether the team may take one more active account of `tier`: on the free plan,
/// kFreeAccountLimit beyond kFreePlanAccounts or above the starter tier; otherwise as
/// require_active_subscription.
Result<void> require_room_for_account(CampaignStore& store, TeamId team, Tier tier);

Result<Segment> create_segment(CampaignDeps deps, TeamId team, SegmentDraft draft);
Result<std::vector<Segment>> list_segments(CampaignDeps deps, TeamId team);

/// One-shot: tracks new handles (billing them), creates inline segments and the stream,
/// all in one transaction. Errors: kInvalidRequest, kStreamCapExceeded when an account
/// is in as many streams as its tier allows, kNotFound for ids not of the team,
/// the resolver's handle errors.
Result<StreamCreated> create_stream(CampaignDeps deps, TeamId team, StreamRequest request);

/// PATCH: each field present replaces the stream's; an inner nullopt clears a nullable one.
struct StreamPatch {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> sync_times;
  std::optional<std::string> timezone;
  std::optional<std::optional<std::string>> cron;
  std::optional<bool> auto_enrich_linkedin;
  std::optional<bool> auto_enrich_email;
  std::optional<std::string> email_mode;
  std::optional<std::optional<std::string>> email_digest_override;
  std::optional<std::optional<bool>> telegram_override;
  std::optional<std::string> delivery_destination;
  std::optional<std::optional<std::string>> webhook_url;
  std::optional<std::optional<CsvRecipients>> csv_email_recipients;
  std::optional<bool> is_active;
  std::optional<bool> is_archived;
  std::optional<std::vector<PairRequest>> pairs;  // replaces the whole set
  /// A sealed secret for the stream's own webhook, used only if it has none yet.
  std::optional<std::string> webhook_secret;
};

struct PairsDiff {
  std::vector<AccountOutcome> added_accounts;  // accounts the stream did not have
  std::vector<SegmentOutcome> added_segments;  // segments the stream did not have
  std::vector<std::int64_t> removed_pairs;     // pair ids
};

struct StreamPatched {
  StreamId id;
  std::optional<PairsDiff> pairs_diff;  // when pairs were sent
};

/// Errors as create_stream's; kNotFound for a stream not of the team.
Result<StreamPatched> patch_stream(CampaignDeps deps, TeamId team, StreamId id, StreamPatch patch);
Result<std::vector<Stream>> list_streams(CampaignDeps deps, TeamId team, bool include_archived);
Result<Stream> get_stream(CampaignDeps deps, TeamId team, StreamId id);
/// Archived streams keep their leads and are never run. Archiving twice is fine.
Result<void> archive_stream(CampaignDeps deps, TeamId team, StreamId id);

Result<std::vector<TrackedAccount>> list_accounts(CampaignDeps deps, TeamId team);

}  // namespace leadstream::domain
