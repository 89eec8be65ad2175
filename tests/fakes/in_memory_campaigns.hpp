#pragma once

#include <algorithm>
#include <mutex>
#include <set>

#include <deque>
#include <map>
#include "domain/ports/campaign_store.hpp"
#include "domain/ports/follower_source.hpp"
#include "domain/ports/time_zones.hpp"

namespace leadstream::fakes {

/// The campaign tables in memory. A unit of work runs on a copy that replaces the state
/// only when the work succeeds: rollback as the database does it.
class InMemoryCampaigns final : public domain::CampaignTransactions {
 public:
  struct State {
    std::vector<domain::Segment> segments;
    std::vector<domain::TrackedAccount> accounts;
    std::vector<domain::Stream> streams;
    std::vector<domain::BillingChange> billing_changes;
    std::int64_t next_id = 1;
    std::optional<std::string> subscription_status;  // nullopt: the ledger bills
    std::optional<domain::Timestamp> period_end;
    std::map<domain::AccountId, domain::RunUsage> run_usage;  // what the run store would report
  };

  // domain::CampaignTransactions
  domain::Result<void> transact(const std::function<domain::Result<void>(domain::CampaignStore&)>& work) override {
    std::lock_guard lock(mutex_);
    Store store{state_};
    auto result = work(store);
    if (result) state_ = std::move(store.state);
    return result;
  }

  const State& state() const { return state_; }
  void set_subscription_status(std::optional<std::string> status) { state_.subscription_status = std::move(status); }
  void set_period_end(domain::Timestamp end) { state_.period_end = end; }

 private:
  struct Store final : domain::CampaignStore {
    explicit Store(State copy) : state(std::move(copy)) {}
    State state;

    template <class T, class Id>
    static std::optional<T> find(const std::vector<T>& items, domain::TeamId team, Id id) {
      const auto found = std::ranges::find_if(items, [&](const T& t) { return t.team_id == team && t.id == id; });
      if (found == items.end()) return std::nullopt;
      return *found;
    }
    int linked_streams(domain::SegmentId id) const {
      return static_cast<int>(std::ranges::count_if(state.streams, [&](const domain::Stream& s) {
        return !s.is_archived && std::ranges::any_of(s.pairs, [&](const auto& p) { return p.segment_id == id; });
      }));
    }

    // domain::CampaignStore
    domain::Result<void> lock_team(domain::TeamId) override { return {}; }
    domain::Result<std::optional<std::string>> subscription_status(domain::TeamId) override {
      return state.subscription_status;
    }
    domain::Result<std::optional<domain::Timestamp>> billing_period_end(domain::TeamId) override {
      return state.period_end;
    }
    domain::Result<domain::Segment> insert_segment(domain::TeamId team, const domain::SegmentDraft& draft) override {
      state.segments.push_back(domain::Segment{domain::SegmentId{state.next_id++}, team, draft});
      return state.segments.back();
    }
    domain::Result<std::vector<domain::Segment>> segments(domain::TeamId team) override {
      std::vector<domain::Segment> out;
      for (auto s : state.segments) {
        if (s.team_id != team) continue;
        s.linked_stream_count = linked_streams(s.id);
        out.push_back(s);
      }
      return out;
    }
    domain::Result<std::optional<domain::Segment>> segment(domain::TeamId team, domain::SegmentId id) override {
      return find(state.segments, team, id);
    }
    domain::Result<std::optional<domain::TrackedAccount>> account(domain::TeamId team, domain::AccountId id) override {
      return find(state.accounts, team, id);
    }
    domain::Result<std::optional<domain::TrackedAccount>> account_by_handle(domain::TeamId team,
                                                                            std::string_view handle) override {
      for (const auto& a : state.accounts) {
        if (a.team_id == team && a.handle == handle) return std::optional{a};
      }
      return std::optional<domain::TrackedAccount>{};
    }
    domain::Result<domain::TrackedAccount> insert_account(const domain::TrackedAccount& account) override {
      state.accounts.push_back(account);
      state.accounts.back().id = domain::AccountId{state.next_id++};
      return state.accounts.back();
    }
    domain::Result<std::vector<domain::TrackedAccount>> accounts(domain::TeamId team) override {
      std::vector<domain::TrackedAccount> out;
      for (const auto& a : state.accounts) {
        if (a.team_id == team) out.push_back(a);
      }
      return out;
    }
    domain::Result<int> active_account_count(domain::TeamId team, domain::Tier tier, bool after_pending) override {
      return static_cast<int>(std::ranges::count_if(state.accounts, [&](const auto& a) {
        const auto billed_as = after_pending && a.pending_tier ? *a.pending_tier : a.tier;
        return a.team_id == team && billed_as == tier && a.is_active;
      }));
    }
    domain::Result<void> update_account(const domain::TrackedAccount& account) override {
      for (auto& a : state.accounts) {
        if (a.id == account.id) a = account;
      }
      return {};
    }
    domain::Result<int> stream_count(domain::AccountId account) override {
      return static_cast<int>(std::ranges::count_if(state.streams, [&](const domain::Stream& s) {
        return !s.is_archived && std::ranges::any_of(s.pairs, [&](const auto& p) { return p.account_id == account; });
      }));
    }
    domain::Result<void> record_billing_change(const domain::BillingChange& change) override {
      state.billing_changes.push_back(change);
      return {};
    }
    domain::Result<void> close_scheduled_changes(domain::AccountId) override { return {}; }
    domain::Result<std::map<domain::AccountId, domain::RunUsage>> run_usage(domain::TeamId, domain::Timestamp,
                                                                            domain::Timestamp) override {
      return state.run_usage;
    }
    domain::Result<std::vector<std::pair<domain::TeamId, domain::AccountId>>> due_downgrades(
        domain::Timestamp now) override {
      std::vector<std::pair<domain::TeamId, domain::AccountId>> due;
      for (const auto& a : state.accounts) {
        if (a.pending_tier && *a.pending_tier_effective_at <= now) due.emplace_back(a.team_id, a.id);
      }
      return due;
    }
    domain::Result<domain::Stream> insert_stream(
        domain::TeamId team, const domain::StreamSettings& settings,
        const std::vector<std::pair<domain::AccountId, domain::SegmentId>>& pairs) override {
      domain::Stream stream{domain::StreamId{state.next_id++}, team, settings};
      std::set<std::pair<std::int64_t, std::int64_t>> seen;
      for (const auto& [account, segment] : pairs) {
        if (!seen.insert({account.value, segment.value}).second) continue;
        const auto a = *find(state.accounts, team, account);
        stream.pairs.push_back(domain::StreamPair{state.next_id++, account, a.display_handle, a.tier, segment});
      }
      state.streams.push_back(stream);
      return stream;
    }
    domain::Result<std::vector<domain::Stream>> streams(domain::TeamId team, bool include_archived) override {
      std::vector<domain::Stream> out;
      for (const auto& s : state.streams) {
        if (s.team_id == team && (include_archived || !s.is_archived)) out.push_back(s);
      }
      return out;
    }
    domain::Result<std::optional<domain::Stream>> stream(domain::TeamId team, domain::StreamId id) override {
      return find(state.streams, team, id);
    }
    domain::Result<void> update_stream(const domain::Stream& stream) override {
      for (auto& s : state.streams) {
        if (s.id == stream.id) {
          s.settings = stream.settings;
          s.is_archived = stream.is_archived;
        }
      }
      return {};
    }
    domain::Result<void> replace_pairs(
        domain::StreamId id, const std::vector<std::pair<domain::AccountId, domain::SegmentId>>& pairs) override {
      auto& stream = *std::ranges::find_if(state.streams, [&](const auto& s) { return s.id == id; });
      std::vector<domain::StreamPair> kept;
      for (const auto& [account, segment] : pairs) {
        const auto old = std::ranges::find_if(
            stream.pairs, [&](const auto& p) { return p.account_id == account && p.segment_id == segment; });
        const bool repeated = std::ranges::any_of(
            kept, [&](const auto& p) { return p.account_id == account && p.segment_id == segment; });
        if (repeated) continue;
        if (old != stream.pairs.end()) {
          kept.push_back(*old);
        } else {
          const auto a = *find(state.accounts, stream.team_id, account);
          kept.push_back(domain::StreamPair{state.next_id++, account, a.display_handle, a.tier, segment});
        }
      }
      stream.pairs = std::move(kept);
      return {};
    }
    domain::Result<void> archive_stream(domain::TeamId team, domain::StreamId id) override {
      for (auto& s : state.streams) {
        if (s.team_id == team && s.id == id) {
          s.is_archived = true;
          s.settings.is_active = false;
        }
      }
      return {};
    }
  };

  std::mutex mutex_;
  State state_;
};

/// Knows three zone names, all of which keep UTC's clock (no offsets, no DST).
class FixedTimeZones final : public domain::TimeZones {
 public:
  // domain::TimeZones
  bool exists(std::string_view name) const override {
    return name == "UTC" || name == "Europe/Paris" || name == "America/New_York";
  }
  std::chrono::local_seconds to_local(std::string_view, domain::Timestamp instant) const override {
    return std::chrono::local_seconds{std::chrono::floor<std::chrono::seconds>(instant).time_since_epoch()};
  }
  domain::Timestamp to_instant(std::string_view, std::chrono::local_seconds local) const override {
    return domain::Timestamp{local.time_since_epoch()};
  }
};

/// Answers per handle as scripted; unscripted handles resolve.
/// Handles resolve to "x<handle>" except "ghost" (not found) and "locked" (protected);
/// followers are what the test put in `followers_of`, paged by offset, newest first;
/// `failures` are returned, one a call, before any page.
class ScriptedFollowerSource final : public domain::FollowerSource {
 public:
  // domain::HandleResolver
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override {
    ++calls;
    if (handle == "ghost") {
      return domain::Error{.code = domain::ErrorCode::kHandleNotFound, .message = "no such account"};
    }
    if (handle == "locked") {
      return domain::Error{.code = domain::ErrorCode::kHandleProtected, .message = "protected"};
    }
    return domain::ResolvedHandle{.handle = std::string(handle), .x_user_id = "x" + std::string(handle)};
  }
  // domain::FollowerSource
  domain::Result<domain::FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                                 int max_results) override {
    std::lock_guard lock(mutex_);
    ++page_calls;
    if (!failures.empty()) {
      auto failure = failures.front();
      failures.pop_front();
      return failure;
    }
    const auto& all = followers_of[x_user_id];
    const std::size_t offset = cursor ? std::stoul(*cursor) : 0;
    domain::FollowerPage page;
    const auto end = std::min(all.size(), offset + static_cast<std::size_t>(max_results));
    for (auto i = offset; i < end; ++i) page.followers.push_back(all[i]);
    if (end < all.size()) page.next_cursor = std::to_string(end);
    return page;
  }

  int calls = 0;
  int page_calls = 0;
  std::map<std::string, std::vector<domain::FollowerProfile>> followers_of;  // newest first
  std::deque<domain::Error> failures;

 private:
  std::mutex mutex_;
};

}  // namespace leadstream::fakes
