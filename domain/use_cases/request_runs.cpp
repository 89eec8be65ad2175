#include "domain/use_cases/request_runs.hpp"

#include <map>
#include <set>

#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"
#include "domain/rules/usage.hpp"
#include "domain/use_cases/campaigns.hpp"

namespace leadstream::domain {
namespace {

Error stream_not_found() { return Error{ErrorCode::kNotFound, "stream not found"}; }

/// A stream, the accounts of its pairs and what they spent, read in one transaction.
struct StreamView {
  Stream stream;
  std::map<AccountId, TrackedAccount> accounts;
  std::vector<AccountId> account_order;  // of its pairs, in pair order, each once
  std::map<AccountId, RunUsage> usage;
  bool free_tier = false;  // no active subscription
};

Result<StreamView> read_stream_view(RequestRunDeps deps, TeamId team, StreamId id) {
  return in_transaction<StreamView>(deps.campaigns, [&](CampaignStore& store) -> Result<StreamView> {
    auto stream = store.stream(team, id);
    if (!stream) return stream.error();
    if (!*stream) return stream_not_found();
    StreamView view{std::move(**stream), {}, {}, {}, false};
    for (const auto& pair : view.stream.pairs) {
      if (view.accounts.contains(pair.account_id)) continue;
      auto account = store.account(team, pair.account_id);
      if (!account) return account.error();
      if (!*account) continue;
      view.accounts.emplace(pair.account_id, std::move(**account));
      view.account_order.push_back(pair.account_id);
    }
    if (auto subscribed = require_active_subscription(store, team); !subscribed) {
      if (subscribed.error().code != ErrorCode::kSubscriptionRequired) return subscribed.error();
      view.free_tier = true;
    }
    const auto now = deps.clock.now();
    auto usage = store.run_usage(team, usage_day_start(now), billing_period_start(now));
    if (!usage) return usage.error();
    view.usage = std::move(*usage);
    return view;
  });
}

/// Why the account's sync cannot be queued now, or nullopt when it can.
Result<std::optional<SkipReason>> skip_reason(RequestRunDeps deps, const StreamView& view,
                                              const TrackedAccount& account) {
  if (!account.is_active) return std::optional(SkipReason::kAccountSleeping);
  auto open = deps.queue.has_open_run(view.stream.id, account.id);
  if (!open) return open.error();
  if (*open) return std::optional(SkipReason::kRunInProgress);
  const auto used = view.usage.find(account.id);
  const int syncs_today = used == view.usage.end() ? 0 : used->second.syncs_today;
  if (syncs_today >= limits_of(account.tier).syncs_per_day) return std::optional(SkipReason::kBudgetExhausted);
  return std::optional<SkipReason>();
}

Error archived(std::string_view verb) {
  return Error{ErrorCode::kStreamArchived, "This stream is archived: restore it before " + std::string(verb) + " it."};
}

}  // namespace

Result<RunRequested> request_run(RequestRunDeps deps, TeamId team, StreamId stream_id, RunSource source) {
  auto view = read_stream_view(deps, team, stream_id);
  if (!view) return view.error();
  if (view->stream.is_archived) return archived("running");
  RunRequested out;
  for (const auto& account_id : view->account_order) {
    const auto& account = view->accounts.at(account_id);
    auto reason = skip_reason(deps, *view, account);
    if (!reason) return reason.error();
    if (*reason) {
      out.skipped.push_back({account.id, **reason});
      continue;
    }
    const RunBudget budget{usage_day_start(deps.clock.now()), limits_of(account.tier).syncs_per_day};
    auto queued = deps.queue.enqueue(
        RunOrder{team, stream_id, account.id, source, RunMode::kSync, std::nullopt, std::nullopt, budget});
    if (!queued) return queued.error();
    if (queued->id) {
      out.queued.push_back({account.id, *queued->id});
    } else {  // lost a race with another request
      const auto lost = queued->over_budget ? SkipReason::kBudgetExhausted : SkipReason::kRunInProgress;
      out.skipped.push_back({account.id, lost});
    }
  }
  return out;
}

Result<RetestRequested> request_retest(RequestRunDeps deps, TeamId team, StreamId stream_id, RetestScope scope) {
  auto view = read_stream_view(deps, team, stream_id);
  if (!view) return view.error();
  if (view->stream.is_archived) return archived("re-testing");
  RetestRequested out;
  bool any_in_scope = false;
  for (const auto& pair : view->stream.pairs) {
    if ((scope.account_id && pair.account_id != *scope.account_id) ||
        (scope.segment_id && pair.segment_id != *scope.segment_id)) {
      continue;
    }
    any_in_scope = true;
    const auto account = view->accounts.find(pair.account_id);
    if (account == view->accounts.end()) continue;
    auto& used = view->usage[pair.account_id].retests_this_period;
    std::optional<SkipReason> reason;
    if (view->free_tier) {
      reason = SkipReason::kFreeTier;
    } else if (!account->second.is_active) {
      reason = SkipReason::kAccountSleeping;
    } else if (used >= limits_of(account->second.tier).monthly_retests) {
      reason = SkipReason::kBudgetExhausted;
    }
    if (reason) {
      out.skipped.push_back({pair.pair_id, pair.account_id, *reason});
      continue;
    }
    const RunBudget budget{billing_period_start(deps.clock.now()), limits_of(account->second.tier).monthly_retests};
    auto queued = deps.queue.enqueue(RunOrder{team, stream_id, pair.account_id, RunSource::kManual, RunMode::kRetest,
                                              std::nullopt, pair.segment_id, budget});
    if (!queued) return queued.error();
    if (queued->id) {
      ++used;  // the next pair of the same account sees this one spent
      out.queued.push_back({pair.pair_id, pair.account_id, pair.segment_id, *queued->id});
    } else if (queued->over_budget) {  // spent by a concurrent request
      out.skipped.push_back({pair.pair_id, pair.account_id, SkipReason::kBudgetExhausted});
    }
  }
  if (!any_in_scope) {
    return Error{ErrorCode::kInvalidRequest,
                 "No pair of this stream matches accountId and segmentId.",
                 {{"accountId", "no pair of the stream has this account and segment"}}};
  }
  return out;
}

}  // namespace leadstream::domain
