#include "domain/use_cases/describe_me.hpp"

#include "domain/ports/billing.hpp"
#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"
#include "domain/rules/usage.hpp"

namespace leadstream::domain {
namespace {

/// Stripe's statuses in the four words of the API: active, trialing, past_due, free_user
/// (the free plan too).
std::string api_status(std::string_view stripe_status) {
  if (stripe_status == "active" || stripe_status == "trialing" || stripe_status == "past_due") {
    return std::string(stripe_status);
  }
  if (stripe_status == "unpaid") return "past_due";
  return "free_user";  // canceled, incomplete, incomplete_expired, paused
}

struct BillingView {
  std::vector<TrackedAccount> accounts;
  std::string subscription_status;  // "active" for the embedded ledger
  bool free_plan = false;
  std::map<AccountId, RunUsage> usage;
};

/// The team's accounts, subscription status and budget usage, read in one transaction.
Result<BillingView> billing_view(DescribeMeDeps deps, TeamId team, Timestamp now) {
  return in_transaction<BillingView>(deps.campaigns, [&](CampaignStore& store) -> Result<BillingView> {
    auto accounts = store.accounts(team);
    if (!accounts) return accounts.error();
    auto status = store.subscription_status(team);
    if (!status) return status.error();
    // Daily sync caps count UTC days, as the scheduler and POST /run do.
    auto usage = store.run_usage(team, usage_day_start(now), billing_period_start(now));
    if (!usage) return usage.error();
    const bool free_plan = *status && **status == kFreePlan;
    return BillingView{std::move(*accounts), *status ? api_status(**status) : std::string("active"), free_plan,
                       std::move(*usage)};
  });
}

std::vector<AccountBudget> budgets(const BillingView& view, Timestamp now) {
  const auto period_start = billing_period_start(now);
  std::vector<AccountBudget> out;
  for (const auto& account : view.accounts) {
    if (!account.is_active) continue;
    const auto& limits = view.free_plan ? free_plan_limits() : limits_of(account.tier);
    const auto used = view.usage.find(account.id);
    const auto usage = used == view.usage.end() ? RunUsage{} : used->second;
    out.push_back(AccountBudget{account.id, account.display_handle, account.tier,
                                Budget{usage.retests_this_period, limits.monthly_retests}, period_start,
                                Budget{usage.syncs_today, limits.syncs_per_day}});
  }
  return out;
}

}  // namespace

Result<Me> describe_me(DescribeMeDeps deps, const Principal& caller) {
  auto team = deps.teams.find(caller.team_id);
  if (!team) return team.error();
  // The key authenticated a moment ago; its team vanishing means the team was deleted.
  if (!*team) return Error{ErrorCode::kInvalidApiKey, "Invalid or revoked API key."};
  auto balance = deps.credits.balance(caller.team_id);
  if (!balance) return balance.error();
  auto recent = deps.credits.history(caller.team_id, kRecentCreditMoves);
  if (!recent) return recent.error();
  const auto now = deps.clock.now();
  auto billing = billing_view(deps, caller.team_id, now);
  if (!billing) return billing.error();
  const auto period_start = billing_period_start(now);
  auto committed = deps.credits.committed_since(caller.team_id, period_start);
  if (!committed) return committed.error();
  return Me{std::move(**team), caller, billing->subscription_status,
            Credits{.balance = *balance,
                    .recent = std::move(*recent),
                    .monthly_enrichment_budget = monthly_enrichment_budget(billing->accounts, billing->free_plan),
                    .enrichment_committed = *committed,
                    .budget_period_start = period_start},
            budgets(*billing, now)};
}

Result<Me> CachedMe::describe(const Principal& caller) {
  if (auto me = describe_cached(caller)) return *me;
  auto me = describe_me(deps_, caller);
  if (me) cache_.put(caller.team_id, *me, deps_.clock.steady_now());
  return me;
}

void CachedMe::forget(TeamId team) {
  cache_.erase_if([&](const TeamId& cached, const Me&) { return cached == team; });
}

std::optional<Me> CachedMe::describe_cached(const Principal& caller) {
  auto me = cache_.get(caller.team_id, deps_.clock.steady_now());
  if (me) me->caller = caller;  // the team's part is shared by all its keys
  return me;
}

}  // namespace leadstream::domain
