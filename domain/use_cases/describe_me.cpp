#include "domain/use_cases/describe_me.hpp"

#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {
namespace {

Result<std::vector<AccountBudget>> budgets(DescribeMeDeps deps, TeamId team) {
  auto accounts = in_transaction<std::vector<TrackedAccount>>(
      deps.campaigns, [&](CampaignStore& store) { return store.accounts(team); });
  if (!accounts) return accounts.error();
  const auto period_start = billing_period_start(deps.clock.now());
  std::vector<AccountBudget> out;
  for (const auto& account : *accounts) {
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
  auto accounts = budgets(deps, caller.team_id);
  if (!accounts) return accounts.error();
  // With the embedded ledger billing every team counts as subscribed.
  return Me{std::move(**team), caller, "active", Credits{.balance = *balance}, std::move(*accounts)};
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
