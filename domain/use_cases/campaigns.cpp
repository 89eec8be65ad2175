#include "domain/use_cases/campaigns.hpp"

#include <algorithm>
#include <map>

#include "domain/ports/billing.hpp"
#include "domain/rules/quotas.hpp"
#include "domain/rules/segment_rules.hpp"
#include "domain/rules/stream_rules.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

Error not_found(std::string what) { return Error{ErrorCode::kNotFound, std::move(what) + " not found"}; }

/// Pair count, handles and inline segments: what can be checked without the store.
Result<std::vector<PairRequest>> validate_pairs(std::vector<PairRequest> pairs) {
  if (pairs.empty() || pairs.size() > kMaxPairsPerStream) {
    return Error{ErrorCode::kInvalidRequest, "A stream has 1 to 50 pairs.", {{"pairs", "must hold 1 to 50 pairs"}}};
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    auto& pair = pairs[i];
    const auto field = "pairs[" + std::to_string(i) + "]";
    if (!pair.account.id) {
      auto handle = normalize_handle(pair.account.handle);
      if (!handle)
        return Error{ErrorCode::kInvalidRequest, "Invalid X handle.", {{field + ".accountHandle", "invalid"}}};
      pair.account.handle = *handle;
    }
    if (!pair.segment.id) {
      auto draft = validate_segment(std::move(*pair.segment.draft));
      if (!draft) return draft.error();
      pair.segment.draft = std::move(*draft);
    }
  }
  return pairs;
}

Result<StreamRequest> validate_request(StreamRequest request, const TimeZones& zones) {
  auto settings = validate_stream_settings(std::move(request.settings), zones);
  if (!settings) return settings.error();
  request.settings = std::move(*settings);
  auto pairs = validate_pairs(std::move(request.pairs));
  if (!pairs) return pairs.error();
  request.pairs = std::move(*pairs);
  return request;
}

/// A lookup that failed on our side (a source down, a refused token, a used-up rate
/// limit) is, to the caller, a lookup that could not be made: 503 handle_lookup_failed.
/// Missing and protected handles stay as they are.
Error as_lookup_error(Error error) {
  const auto code = error.code;
  if (code == ErrorCode::kUnavailable || code == ErrorCode::kUpstream || code == ErrorCode::kRateLimited) {
    error.code = ErrorCode::kHandleLookupFailed;
  }
  return error;
}

/// The new handles' X profiles, looked up before the transaction (it is network I/O).
Result<std::map<std::string, ResolvedHandle>> resolve_new_handles(CampaignDeps deps, TeamId team,
                                                                  const std::vector<PairRequest>& pairs) {
  std::vector<std::string> unknown;
  auto known = deps.transactions.transact([&](CampaignStore& store) -> Result<void> {
    for (const auto& pair : pairs) {
      if (pair.account.id || std::ranges::find(unknown, pair.account.handle) != unknown.end()) continue;
      auto existing = store.account_by_handle(team, pair.account.handle);
      if (!existing) return existing.error();
      if (!*existing) unknown.push_back(pair.account.handle);
    }
    return {};
  });
  if (!known) return known.error();
  if (unknown.size() > deps.quotas.new_handles_per_request) {
    return Error{ErrorCode::kInvalidRequest,
                 "Too many new accounts in one request.",
                 {{"pairs", std::to_string(unknown.size()) + " handles are not tracked yet; at most " +
                                std::to_string(deps.quotas.new_handles_per_request) +
                                " may be looked up per request: track the rest in another"}}};
  }
  std::map<std::string, ResolvedHandle> resolved;
  for (const auto& handle : unknown) {
    auto profile = deps.handles.resolve(handle);
    if (!profile) return as_lookup_error(profile.error());
    resolved.emplace(handle, std::move(*profile));
  }
  return resolved;
}

/// Tracks a new account and writes its billing change: both or neither.
Result<AccountOutcome> track(CampaignStore& store, TeamId team, const AccountRef& ref, const ResolvedHandle* profile) {
  TrackedAccount account{
      .team_id = team, .handle = ref.handle, .display_handle = ref.handle, .tier = ref.tier.value_or(Tier::kStarter)};
  if (auto allowed = require_room_for_account(store, team, account.tier); !allowed) return allowed.error();
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

Result<void> require_segment_room(CampaignStore& store, TeamId team, int cap) {
  auto segments = store.segments(team);
  if (!segments) return segments.error();
  if (static_cast<int>(segments->size()) >= cap) return quota_exceeded("segments", cap);
  return {};
}

Result<std::pair<SegmentOutcome, SegmentDraft>> segment_for(CampaignStore& store, TeamId team, const SegmentRef& ref,
                                                            const TeamQuotas& quotas) {
  if (ref.id) {
    auto existing = store.segment(team, *ref.id);
    if (!existing) return existing.error();
    if (!*existing) return not_found("segment " + std::to_string(ref.id->value));
    return std::pair{SegmentOutcome{(*existing)->id, false}, (*existing)->draft};
  }
  if (auto room = require_segment_room(store, team, quotas.segments); !room) return room.error();
  auto created = store.insert_segment(team, *ref.draft);
  if (!created) return created.error();
  return std::pair{SegmentOutcome{created->id, true}, created->draft};
}

/// `accounts` join a stream they are not yet in: each must have room under its tier's cap.
Result<void> check_stream_caps(CampaignStore& store, TeamId team, const std::vector<AccountOutcome>& accounts) {
  for (const auto& outcome : accounts) {
    auto account = store.account(team, outcome.id);
    if (!account) return account.error();
    auto streams = store.stream_count(outcome.id);
    if (!streams) return streams.error();
    if (*streams >= limits_of((*account)->tier).automated_streams_per_account) {
      return Error{.code = ErrorCode::kStreamCapExceeded,
                   .message = "@" + outcome.handle + " is already in as many streams as its " +
                              std::string(to_string((*account)->tier)) + " tier allows."};
    }
  }
  return {};
}

template <class Outcome>
void add_unique(std::vector<Outcome>& outcomes, Outcome outcome) {
  const auto same = [&](const Outcome& o) { return o.id == outcome.id; };
  if (std::ranges::find_if(outcomes, same) == outcomes.end()) outcomes.push_back(std::move(outcome));
}

/// The pairs' accounts and segments, found or created (and billed).
struct ResolvedPairs {
  std::vector<std::pair<AccountId, SegmentId>> pairs;
  std::vector<AccountOutcome> accounts;
  std::vector<SegmentOutcome> segments;
  std::optional<SegmentDraft> first_segment;
};

Result<ResolvedPairs> resolve_pairs(CampaignStore& store, TeamId team, const std::vector<PairRequest>& requests,
                                    const std::map<std::string, ResolvedHandle>& resolved, const TeamQuotas& quotas) {
  ResolvedPairs out;
  for (const auto& pair : requests) {
    auto account = account_for(store, team, pair.account, resolved);
    if (!account) return account.error();
    auto segment = segment_for(store, team, pair.segment, quotas);
    if (!segment) return segment.error();
    if (!out.first_segment) out.first_segment = segment->second;
    out.pairs.emplace_back(account->id, segment->first.id);
    add_unique(out.accounts, std::move(*account));
    add_unique(out.segments, segment->first);
  }
  return out;
}

Result<StreamCreated> write_stream(CampaignStore& store, TeamId team, const StreamRequest& request,
                                   const std::map<std::string, ResolvedHandle>& resolved, const TeamQuotas& quotas) {
  if (auto locked = store.lock_team(team); !locked) return locked.error();
  auto streams = store.streams(team, /*include_archived=*/true);
  if (!streams) return streams.error();
  if (static_cast<int>(streams->size()) >= quotas.streams) return quota_exceeded("streams", quotas.streams);
  auto pairs = resolve_pairs(store, team, request.pairs, resolved, quotas);
  if (!pairs) return pairs.error();
  if (auto capped = check_stream_caps(store, team, pairs->accounts); !capped) return capped.error();

  auto settings = request.settings;
  if (settings.name.empty()) {
    std::vector<std::string> handles;
    for (const auto& account : pairs->accounts) handles.push_back(account.handle);
    settings.name = default_stream_name(*pairs->first_segment, handles);
  }
  auto stream = store.insert_stream(team, settings, pairs->pairs);
  if (!stream) return stream.error();
  return StreamCreated{stream->id, std::move(pairs->accounts), std::move(pairs->segments)};
}

template <class T>
void apply(const std::optional<T>& change, T& field) {
  if (change) field = *change;
}

StreamSettings patched_settings(StreamSettings s, const StreamPatch& p) {
  apply(p.name, s.name);
  apply(p.sync_times, s.sync_times);
  apply(p.timezone, s.timezone);
  apply(p.cron, s.cron);
  apply(p.auto_enrich_linkedin, s.auto_enrich_linkedin);
  apply(p.auto_enrich_email, s.auto_enrich_email);
  apply(p.email_mode, s.email_mode);
  apply(p.email_digest_override, s.email_digest_override);
  apply(p.telegram_override, s.telegram_override);
  apply(p.delivery_destination, s.delivery_destination);
  apply(p.webhook_url, s.webhook_url);
  apply(p.csv_email_recipients, s.csv_email_recipients);
  apply(p.is_active, s.is_active);
  if (!s.webhook_secret) s.webhook_secret = p.webhook_secret;
  return s;
}

bool has_account(const Stream& stream, AccountId id) {
  return std::ranges::any_of(stream.pairs, [&](const StreamPair& p) { return p.account_id == id; });
}

bool has_segment(const Stream& stream, SegmentId id) {
  return std::ranges::any_of(stream.pairs, [&](const StreamPair& p) { return p.segment_id == id; });
}

/// `restoring`: the stream comes back from the archive in the same change, so every account
/// it will have takes a place under its cap again, not only the added ones.
Result<PairsDiff> replace_pairs(CampaignStore& store, const Stream& stream, const std::vector<PairRequest>& requests,
                                const std::map<std::string, ResolvedHandle>& resolved, bool restoring,
                                const TeamQuotas& quotas) {
  auto pairs = resolve_pairs(store, stream.team_id, requests, resolved, quotas);
  if (!pairs) return pairs.error();
  if (restoring) {
    if (auto capped = check_stream_caps(store, stream.team_id, pairs->accounts); !capped) return capped.error();
  }
  PairsDiff diff;
  for (auto& account : pairs->accounts) {
    if (!has_account(stream, account.id)) diff.added_accounts.push_back(std::move(account));
  }
  for (const auto& segment : pairs->segments) {
    if (!has_segment(stream, segment.id)) diff.added_segments.push_back(segment);
  }
  for (const auto& old : stream.pairs) {
    if (std::ranges::find(pairs->pairs, std::pair{old.account_id, old.segment_id}) == pairs->pairs.end()) {
      diff.removed_pairs.push_back(old.pair_id);
    }
  }
  if (!stream.is_archived && !restoring) {
    if (auto capped = check_stream_caps(store, stream.team_id, diff.added_accounts); !capped) return capped.error();
  }
  if (auto replaced = store.replace_pairs(stream.id, pairs->pairs); !replaced) return replaced.error();
  return diff;
}

Result<StreamPatched> write_patch(CampaignStore& store, TeamId team, StreamId id, const StreamPatch& patch,
                                  const TimeZones& zones, const std::map<std::string, ResolvedHandle>& resolved,
                                  const TeamQuotas& quotas) {
  if (auto locked = store.lock_team(team); !locked) return locked.error();
  auto found = store.stream(team, id);
  if (!found) return found.error();
  if (!*found) return not_found("stream");
  auto stream = std::move(**found);
  auto settings = validate_stream_settings(patched_settings(stream.settings, patch), zones);
  if (!settings) return settings.error();
  if (settings->name.empty()) return Error{ErrorCode::kInvalidRequest, "A stream needs a name.", {{"name", "empty"}}};
  stream.settings = std::move(*settings);
  const bool restored = stream.is_archived && patch.is_archived == false;
  apply(patch.is_archived, stream.is_archived);
  if (stream.is_archived) stream.settings.is_active = false;
  if (restored && !patch.pairs) {
    // Back among the unarchived: each of its accounts needs room again.
    std::vector<AccountOutcome> accounts;
    for (const auto& pair : stream.pairs) add_unique(accounts, AccountOutcome{pair.handle, pair.account_id});
    if (auto capped = check_stream_caps(store, team, accounts); !capped) return capped.error();
  }

  StreamPatched patched{id, std::nullopt};
  if (patch.pairs) {
    auto diff = replace_pairs(store, stream, *patch.pairs, resolved, restored, quotas);
    if (!diff) return diff.error();
    patched.pairs_diff = std::move(*diff);
  }
  if (auto updated = store.update_stream(stream); !updated) return updated.error();
  return patched;
}

/// When the stream runs next on its own schedule; never for an archived or paused one.
std::optional<Timestamp> next_run(CampaignDeps deps, const Stream& stream) {
  if (stream.is_archived || !stream.settings.is_active) return std::nullopt;
  const auto schedule = schedule_of(stream);
  if (!schedule || !deps.zones.exists(stream.settings.timezone)) return std::nullopt;
  return next_fire(*schedule, deps.zones, stream.settings.timezone, deps.clock.now());
}

/// "subscription_required" unless a team of this subscription status (nullopt: the
/// ledger) may take more quantity.
Result<void> subscription_allows_more(const std::optional<std::string>& status) {
  if (!status || accepts_more_quantity(*status)) return {};
  return Error{
      .code = ErrorCode::kSubscriptionRequired,
      .message = "An active subscription is required to add tracked accounts (subscription is " + *status + ")."};
}

bool is_free_plan(const std::optional<std::string>& status) { return status && *status == kFreePlan; }

Error free_account_limit(std::string message) {
  return Error{.code = ErrorCode::kFreeAccountLimit, .message = std::move(message)};
}

}  // namespace

Result<void> require_active_subscription(CampaignStore& store, TeamId team) {
  auto status = store.subscription_status(team);
  if (!status) return status.error();
  return subscription_allows_more(*status);
}

Result<void> require_upgrade_allowed(CampaignStore& store, TeamId team) {
  auto status = store.subscription_status(team);
  if (!status) return status.error();
  if (is_free_plan(*status)) {
    return free_account_limit("The free plan tracks starter accounts only: subscribe to upgrade.");
  }
  return subscription_allows_more(*status);
}

Result<void> require_room_for_account(CampaignStore& store, TeamId team, Tier tier) {
  auto status = store.subscription_status(team);
  if (!status) return status.error();
  if (!is_free_plan(*status)) return subscription_allows_more(*status);
  if (tier != Tier::kStarter) {
    return free_account_limit("The free plan tracks starter accounts only: subscribe to use " +
                              std::string(to_string(tier)) + ".");
  }
  auto accounts = store.accounts(team);
  if (!accounts) return accounts.error();
  const auto active = std::ranges::count_if(*accounts, [](const TrackedAccount& a) { return a.is_active; });
  if (active >= kFreePlanAccounts) {
    return free_account_limit("The free plan tracks " + std::to_string(kFreePlanAccounts) +
                              " account: sleep it or subscribe to track more.");
  }
  return {};
}

Result<Segment> create_segment(CampaignDeps deps, TeamId team, SegmentDraft draft) {
  auto valid = validate_segment(std::move(draft));
  if (!valid) return valid.error();
  return in_transaction<Segment>(deps.transactions, [&](CampaignStore& store) -> Result<Segment> {
    if (auto locked = store.lock_team(team); !locked) return locked.error();
    if (auto room = require_segment_room(store, team, deps.quotas.segments); !room) return room.error();
    return store.insert_segment(team, *valid);
  });
}

Result<std::vector<Segment>> list_segments(CampaignDeps deps, TeamId team) {
  return in_transaction<std::vector<Segment>>(deps.transactions,
                                              [&](CampaignStore& store) { return store.segments(team); });
}

Result<StreamCreated> create_stream(CampaignDeps deps, TeamId team, StreamRequest request) {
  auto valid = validate_request(std::move(request), deps.zones);
  if (!valid) return valid.error();
  auto resolved = resolve_new_handles(deps, team, valid->pairs);
  if (!resolved) return resolved.error();
  return in_transaction<StreamCreated>(deps.transactions, [&](CampaignStore& store) {
    return write_stream(store, team, *valid, *resolved, deps.quotas);
  });
}

Result<StreamPatched> patch_stream(CampaignDeps deps, TeamId team, StreamId id, StreamPatch patch) {
  std::map<std::string, ResolvedHandle> resolved;
  if (patch.pairs) {
    auto pairs = validate_pairs(std::move(*patch.pairs));
    if (!pairs) return pairs.error();
    patch.pairs = std::move(*pairs);
    auto profiles = resolve_new_handles(deps, team, *patch.pairs);
    if (!profiles) return profiles.error();
    resolved = std::move(*profiles);
  }
  return in_transaction<StreamPatched>(deps.transactions, [&](CampaignStore& store) {
    return write_patch(store, team, id, patch, deps.zones, resolved, deps.quotas);
  });
}

Result<std::vector<Stream>> list_streams(CampaignDeps deps, TeamId team, bool include_archived) {
  auto streams = in_transaction<std::vector<Stream>>(
      deps.transactions, [&](CampaignStore& store) { return store.streams(team, include_archived); });
  if (streams) {
    for (auto& stream : *streams) stream.next_run_at = next_run(deps, stream);
  }
  return streams;
}

Result<Stream> get_stream(CampaignDeps deps, TeamId team, StreamId id) {
  auto found = in_transaction<Stream>(deps.transactions, [&](CampaignStore& store) -> Result<Stream> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return not_found("stream");
    return std::move(**stream);
  });
  if (found) found->next_run_at = next_run(deps, *found);
  return found;
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
