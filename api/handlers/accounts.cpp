#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "api/json/campaign_json.hpp"
#include "domain/model/time.hpp"
#include "domain/use_cases/accounts.hpp"

namespace leadstream::api::handlers {
namespace {

Response account_not_found() { return error_response({domain::ErrorCode::kNotFound, "account not found"}); }

std::optional<domain::BillingDelta> single_delta(const domain::AccountChange& change) {
  if (change.billing_deltas.empty()) return std::nullopt;
  return change.billing_deltas.front();
}

/// Sleep and wake: the original's fields, API.md's billingDelta string (ext) and our figures (ext).
Response account_change_response(domain::AccountId id, std::string_view state, const domain::AccountChange& change) {
  const auto delta = single_delta(change);
  return json_response(200, {{"success", true},
                             {"accountId", id.value},
                             {state, true},
                             {"billingDelta", json::billing_delta_json(delta)},
                             {"billing", delta ? json::to_json(*delta) : boost::json::value(nullptr)}});
}

std::string_view action_name(domain::TierAction action) {
  switch (action) {
    case domain::TierAction::kUpgraded:
      return "upgraded";
    case domain::TierAction::kDowngradeScheduled:
      return "downgrade_scheduled";
    case domain::TierAction::kPendingCancelled:
      return "pending_cancelled";
    case domain::TierAction::kUnchanged:
      return "unchanged";
  }
  return "unchanged";
}

domain::Result<domain::Tier> parse_new_tier(const boost::json::value& body) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(body, problems);
  const auto text = reader.string("newTier", /*required=*/true);
  std::optional<domain::Tier> tier;
  if (text) {
    tier = domain::parse_tier(*text);
    if (!tier) reader.problem("newTier", "must be starter, growth or pro");
  }
  if (auto ok = json::verdict(std::move(problems), "The tier change is not valid."); !ok) return ok.error();
  return *tier;
}

}  // namespace

Response sleep_account(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::AccountId>(call);
  if (!id) return account_not_found();
  auto change = domain::sleep_account(deps.campaigns, deps.clock, call.caller.team_id, *id);
  if (!change) return error_response(change.error());
  return account_change_response(*id, "asleep", *change);
}

Response wake_account(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::AccountId>(call);
  if (!id) return account_not_found();
  auto change = domain::wake_account(deps.campaigns, call.caller.team_id, *id);
  if (!change) return error_response(change.error());
  return account_change_response(*id, "awake", *change);
}

Response change_tier(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::AccountId>(call);
  if (!id) return account_not_found();
  auto tier = parse_new_tier(call.body);
  if (!tier) return error_response(tier.error());
  auto changed = domain::change_tier_confirmed(deps.campaigns, deps.billing, call.caller.team_id, *id, *tier);
  if (!changed) return error_response(changed.error());
  boost::json::array deltas;
  for (const auto& delta : changed->change.billing_deltas) deltas.push_back(json::to_json(delta));
  boost::json::object body{{"account", json::to_json(changed->change.account)},
                           {"action", action_name(changed->action)},
                           {"billingDeltas", std::move(deltas)}};
  if (changed->effective_at) body["effectiveAt"] = domain::format_rfc3339(*changed->effective_at);
  return json_response(200, body);
}

}  // namespace leadstream::api::handlers
