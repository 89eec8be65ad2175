#include "domain/use_cases/campaigns.hpp"

#include <algorithm>
#include <map>

#include "domain/rules/segment_rules.hpp"
#include "domain/rules/stream_rules.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

Error not_found(std::string what) { return Error{ErrorCode::kNotFound, std::move(what) + " not found"}; }

/// Checks what can be checked without the store: settings, pair count, handles, drafts.
Result<StreamRequest> validate_request(StreamRequest request, const TimeZones& zones) {
  auto settings = validate_stream_settings(std::move(request.settings), zones);
  if (!settings) return settings.error();
  request.settings = std::move(*settings);
  if (request.pairs.empty() || request.pairs.size() > kMaxPairsPerStream) {
    return Error{ErrorCode::kInvalidRequest, "A stream has 1 to 50 pairs.", {{"pairs", "must hold 1 to 50 pairs"}}};
  }
  for (std::size_t i = 0; i < request.pairs.size(); ++i) {
    auto& pair = request.pairs[i];
    const auto field = "pairs[" + std::to_string(i) + "]";
    if (!pair.account.id) {
      auto handle = normalize_handle(pair.account.handle);
      if (!handle) return Error{ErrorCode::kInvalidRequest, "Invalid X handle.", {{field + ".accountHandle", "invalid"}}};
      pair.account.handle = *handle;
    }
    if (!pair.segment.id) {
      auto draft = validate_segment(std::move(*pair.segment.draft));
      if (!draft) return draft.error();
      pair.segment.draft = std::move(*draft);
    }
  }
  return request;
}

/// The new handles' X profiles, looked up before the transaction (it is network I/O).
Result<std::map<std::string, ResolvedHandle>> resolve_new_handles(CampaignDeps deps, TeamId team,
                                                                  const StreamRequest& request) {
  std::vector<std::string> unknown;
  auto known = deps.transactions.transact([&](CampaignStore& store) -> Result<void> {
    for (const auto& pair : request.pairs) {
      if (pair.account.id || std::ranges::find(unknown, pair.account.handle) != unknown.end()) continue;
      auto existing = store.account_by_handle(team, pair.account.handle);
      if (!existing) return existing.error();
      if (!*existing) unknown.push_back(pair.account.handle);
    }
    return {};
  });
  if (!known) return known.error();
  std::map<std::string, ResolvedHandle> resolved;
  for (const auto& handle : unknown) {
    auto profile = deps.handles.resolve(handle);
    if (!profile) return profile.error();
    resolved.emplace(handle, std::move(*profile));
  }
  return resolved;
}

/// Tracks a new account and writes its billing change: both or neither.
Result<AccountOutcome> track(CampaignStore& store, TeamId team, const AccountRef& ref, const ResolvedHandle* profile) {
  TrackedAccount account{.team_id = team, .handle = ref.handle, .display_handle = ref.handle,
                         .tier = ref.tier.value_or(Tier::kStarter)};
  if (profile) {
    account.display_handle = profile->handle;
    account.x_user_id = profile->x_user_id;
    account.profile_image_url = profile->profile_image_url;
    account.last_known_follower_count = profile->follower_count;
    account.last_known_tweet_count = profile->tweet_count;
  }
  auto inserted = store.insert_account(account);
  if (!inserted) return inserted.error();
  auto quantity = store.active_account_count(team, inserted->tier, /*after_pending=*/false);
  if (!quantity) return quantity.error();
  auto recorded = store.record_billing_change(
      BillingChange{team, inserted->tier, *quantity, BillingEffect::kNow, "account added", inserted->id});
  if (!recorded) return recorded.error();
  return AccountOutcome{inserted->display_handle, inserted->id, true,
                        BillingDelta{inserted->tier, +1, *quantity, BillingEffect::kNow}};
}

Result<AccountOutcome> account_for(CampaignStore& store, TeamId team, const AccountRef& ref,
                                   const std::map<std::string, ResolvedHandle>& resolved) {
  auto existing = ref.id ? store.account(team, *ref.id) : store.account_by_handle(team, ref.handle);
  if (!existing) return existing.error();
  if (*existing) return AccountOutcome{(*existing)->display_handle, (*existing)->id, false, std::nullopt};
  if (ref.id) return not_found("account " + std::to_string(ref.id->value));
  const auto profile = resolved.find(ref.handle);
  return track(store, team, ref, profile == resolved.end() ? nullptr : &profile->second);
}

Result<std::pair<SegmentOutcome, SegmentDraft>> segment_for(CampaignStore& store, TeamId team, const SegmentRef& ref) {
  if (ref.id) {
    auto existing = store.segment(team, *ref.id);
    if (!existing) return existing.error();
    if (!*existing) return not_found("segment " + std::to_string(ref.id->value));
    return std::pair{SegmentOutcome{(*existing)->id, false}, (*existing)->draft};
  }
  auto created = store.insert_segment(team, *ref.draft);
  if (!created) return created.error();
  return std::pair{SegmentOutcome{created->id, true}, created->draft};
}

Result<void> check_stream_caps(CampaignStore& store, TeamId team, const std::vector<AccountOutcome>& accounts) {
  for (const auto& outcome : accounts) {
    auto account = store.account(team, outcome.id);
    if (!account) return account.error();
    auto streams = store.stream_count(outcome.id);
    if (!streams) return streams.error();
    if (*streams >= limits_of((*account)->tier).automated_streams_per_account) {
      return Error{.code = ErrorCode::kInvalidRequest,
                   .message = "@" + outcome.handle + " is already in as many streams as its " +
                              std::string(to_string((*account)->tier)) + " tier allows.",
                   .specific = "stream_cap_exceeded"};
    }
  }
  return {};
}

template <class Outcome>
void add_unique(std::vector<Outcome>& outcomes, Outcome outcome) {
  const auto same = [&](const Outcome& o) { return o.id == outcome.id; };
  if (std::ranges::find_if(outcomes, same) == outcomes.end()) outcomes.push_back(std::move(outcome));
}

Result<StreamCreated> write_stream(CampaignStore& store, TeamId team, const StreamRequest& request,
                                   const std::map<std::string, ResolvedHandle>& resolved) {
  if (auto locked = store.lock_team(team); !locked) return locked.error();
  StreamCreated created;
  std::vector<std::pair<AccountId, SegmentId>> pairs;
  std::optional<SegmentDraft> first_segment;
  for (const auto& pair : request.pairs) {
    auto account = account_for(store, team, pair.account, resolved);
    if (!account) return account.error();
    auto segment = segment_for(store, team, pair.segment);
    if (!segment) return segment.error();
    if (!first_segment) first_segment = segment->second;
    pairs.emplace_back(account->id, segment->first.id);
    add_unique(created.accounts, std::move(*account));
    add_unique(created.segments, segment->first);
  }
  if (auto capped = check_stream_caps(store, team, created.accounts); !capped) return capped.error();

  auto settings = request.settings;
  if (settings.name.empty()) {
    std::vector<std::string> handles;
    for (const auto& account : created.accounts) handles.push_back(account.handle);
    settings.name = default_stream_name(*first_segment, handles);
  }
  auto stream = store.insert_stream(team, settings, pairs);
  if (!stream) return stream.error();
  created.id = stream->id;
  return created;
}

}  // namespace

Result<Segment> create_segment(CampaignDeps deps, TeamId team, SegmentDraft draft) {
  auto valid = validate_segment(std::move(draft));
  if (!valid) return valid.error();
  return in_transaction<Segment>(deps.transactions,
                                 [&](CampaignStore& store) { return store.insert_segment(team, *valid); });
}

Result<std::vector<Segment>> list_segments(CampaignDeps deps, TeamId team) {
  return in_transaction<std::vector<Segment>>(deps.transactions,
                                              [&](CampaignStore& store) { return store.segments(team); });
}

Result<StreamCreated> create_stream(CampaignDeps deps, TeamId team, StreamRequest request) {
  auto valid = validate_request(std::move(request), deps.zones);
  if (!valid) return valid.error();
  auto resolved = resolve_new_handles(deps, team, *valid);
  if (!resolved) return resolved.error();
  return in_transaction<StreamCreated>(
      deps.transactions, [&](CampaignStore& store) { return write_stream(store, team, *valid, *resolved); });
}

Result<std::vector<Stream>> list_streams(CampaignDeps deps, TeamId team, bool include_archived) {
  return in_transaction<std::vector<Stream>>(
      deps.transactions, [&](CampaignStore& store) { return store.streams(team, include_archived); });
}

Result<Stream> get_stream(CampaignDeps deps, TeamId team, StreamId id) {
  return in_transaction<Stream>(deps.transactions, [&](CampaignStore& store) -> Result<Stream> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    return std::move(**stream);
  });
}

Result<void> archive_stream(CampaignDeps deps, TeamId team, StreamId id) {
  return deps.transactions.transact([&](CampaignStore& store) -> Result<void> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    return store.archive_stream(team, id);
  });
}

Result<std::vector<TrackedAccount>> list_accounts(CampaignDeps deps, TeamId team) {
  return in_transaction<std::vector<TrackedAccount>>(deps.transactions,
                                                     [&](CampaignStore& store) { return store.accounts(team); });
}

}  // namespace leadstream::domain
