#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// How much of its tier's budgets an account used.
struct RunUsage {
  int syncs_today = 0;
  int retests_this_period = 0;
};

/// The campaign model's tables as seen from inside one transaction. Every read and write
/// is scoped to a team: another team's ids are simply not found.
class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  /// Serialises the changes of one team that move its paid quantities.
  virtual Result<void> lock_team(TeamId team) = 0;
  /// The team's subscription status; nullopt when the embedded ledger bills it.
  virtual Result<std::optional<std::string>> subscription_status(TeamId team) = 0;
  /// When the team's current billing period ends, if its subscription has said.
  virtual Result<std::optional<Timestamp>> billing_period_end(TeamId team) = 0;

  virtual Result<Segment> insert_segment(TeamId team, const SegmentDraft& draft) = 0;
  virtual Result<std::vector<Segment>> segments(TeamId team) = 0;
  virtual Result<std::optional<Segment>> segment(TeamId team, SegmentId id) = 0;

  virtual Result<std::optional<TrackedAccount>> account(TeamId team, AccountId id) = 0;
  virtual Result<std::optional<TrackedAccount>> account_by_handle(TeamId team, std::string_view handle) = 0;
  virtual Result<TrackedAccount> insert_account(const TrackedAccount& account) = 0;
  /// Writes tier, activity and the pending tier change.
  virtual Result<void> update_account(const TrackedAccount& account) = 0;
  virtual Result<std::vector<TrackedAccount>> accounts(TeamId team) = 0;
  /// Active accounts of the tier; with `after_pending`, counting scheduled downgrades as
  /// done (the quantity at the end of the billing period).
  virtual Result<int> active_account_count(TeamId team, Tier tier, bool after_pending) = 0;
  /// Unarchived streams with a pair on the account.
  virtual Result<int> stream_count(AccountId account) = 0;

  /// Appends to the billing outbox.
  virtual Result<void> record_billing_change(const BillingChange& change) = 0;
  /// Marks the account's period-end billing changes done: their moment came.
  virtual Result<void> close_scheduled_changes(AccountId account) = 0;
  /// Accounts of every team whose scheduled downgrade is due at `now` (for the workers).
  virtual Result<std::vector<std::pair<TeamId, AccountId>>> due_downgrades(Timestamp now) = 0;

  /// Per account of the team: its syncs since `day_start` and its re-tests since
  /// `period_start`, failed runs excepted. Accounts without runs are absent.
  virtual Result<std::map<AccountId, RunUsage>> run_usage(TeamId team, Timestamp day_start, Timestamp period_start) = 0;

  virtual Result<Stream> insert_stream(TeamId team, const StreamSettings& settings,
                                       const std::vector<std::pair<AccountId, SegmentId>>& pairs) = 0;
  virtual Result<std::vector<Stream>> streams(TeamId team, bool include_archived) = 0;
  virtual Result<std::optional<Stream>> stream(TeamId team, StreamId id) = 0;
  virtual Result<void> archive_stream(TeamId team, StreamId id) = 0;
  /// Writes the settings and the archived flag.
  virtual Result<void> update_stream(const Stream& stream) = 0;
  /// Makes the stream's pairs exactly `pairs`, keeping the ids of those it already had.
  virtual Result<void> replace_pairs(StreamId stream, const std::vector<std::pair<AccountId, SegmentId>>& pairs) = 0;
};

/// Runs units of work. Blocking; thread-safe.
class CampaignTransactions {
 public:
  virtual ~CampaignTransactions() = default;
  /// Commits when `work` succeeds, rolls back when it returns an Error (returned as is).
  /// kUnavailable when the store cannot be reached.
  virtual Result<void> transact(const std::function<Result<void>(CampaignStore&)>& work) = 0;
};

/// `work(store)` returning Result<T>, in one transaction.
template <class T, class Work>
Result<T> in_transaction(CampaignTransactions& transactions, Work&& work) {
  std::optional<T> out;
  auto done = transactions.transact([&](CampaignStore& store) -> Result<void> {
    auto result = work(store);
    if (!result) return result.error();
    out = std::move(*result);
    return {};
  });
  if (!done) return done.error();
  return std::move(*out);
}

}  // namespace leadstream::domain
