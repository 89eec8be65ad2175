#include "domain/use_cases/describe_me.hpp"

namespace leadstream::domain {

Result<Me> describe_me(DescribeMeDeps deps, const Principal& caller) {
  auto team = deps.teams.find(caller.team_id);
  if (!team) return team.error();
  // The key authenticated a moment ago; its team vanishing means the team was deleted.
  if (!*team) return Error{ErrorCode::kInvalidApiKey, "Invalid or revoked API key."};
  auto balance = deps.credits.balance(caller.team_id);
  if (!balance) return balance.error();
  // With the embedded ledger billing every team counts as subscribed.
  return Me{std::move(**team), caller, "active", Credits{.balance = *balance}};
}

Result<Me> CachedMe::describe(const Principal& caller) {
  if (auto me = describe_cached(caller)) return *me;
  auto me = describe_me(deps_, caller);
  if (me) cache_.put(caller.team_id, *me, clock_.steady_now());
  return me;
}

std::optional<Me> CachedMe::describe_cached(const Principal& caller) {
  auto me = cache_.get(caller.team_id, clock_.steady_now());
  if (me) me->caller = caller;  // the team's part is shared by all its keys
  return me;
}

}  // namespace leadstream::domain
