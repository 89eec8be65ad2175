#include "domain/use_cases/describe_me.hpp"

#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

/// Stripe's statuses in the four words of the API: active, trialing, past_due, free_user.
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
};

/// The team's accounts and subscription status, read in one transaction.
Result<BillingView> billing_view(DescribeMeDeps deps, TeamId team) {
  return in_transaction<BillingView>(deps.campaigns, [&](CampaignStore& store) -> Result<BillingView> {
    auto accounts = store.accounts(team);
    if (!accounts) return accounts.error();
    auto status = store.subscription_status(team);
    if (!status) return status.error();
    return BillingView{std::move(*accounts), *status ? api_status(**status) : std::string("active")};
  });
}

std::vector<AccountBudget> budgets(const std::vector<TrackedAccount>& accounts, Timestamp now) {
  const auto period_start = billing_period_start(now);
  std::vector<AccountBudget> out;
  for (const auto& account : accounts) {
    if (!account.is_active) continue;
    const auto& limits = limits_of(account.tier);
    out.push_back(AccountBudget{account.id, account.display_handle, account.tier, Budget{0, limits.monthly_retests},
                                period_start, Budget{0, limits.syncs_per_day}});
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
  auto billing = billing_view(deps, caller.team_id);
  if (!billing) return billing.error();
  return Me{std::move(**team), caller, std::move(billing->subscription_status), Credits{.balance = *balance},
            budgets(billing->accounts, deps.clock.now())};
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
