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

}  // namespace leadstream::domain
