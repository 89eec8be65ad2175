#include "api/json/me_json.hpp"

#include <boost/json.hpp>

namespace leadstream::api::json {

boost::json::value to_json(const domain::Me& me) {
  return {
      {"name", me.team.name},
      {"email", nullptr},
      {"subscriptionStatus", me.subscription_status},
      {"isFreeTier", me.subscription_status == "free_user"},
      {"accounts", boost::json::array{}},
      {"credits",
       {{"balance", me.credits.balance},
        {"lowBalanceThreshold", me.credits.low_balance_threshold},
        {"isLow", me.credits.is_low()},
        {"autoTopupEnabled", false}}},
      {"totals", {{"monthlyRetestRemaining", 0}, {"dailySyncRemaining", 0}}},
      {"team", {{"id", me.team.id.value}, {"name", me.team.name}}},
      {"apiKey", {{"id", me.caller.key_id.value}, {"prefix", me.caller.key_prefix}, {"name", me.caller.key_name}}},
  };
}

}  // namespace leadstream::api::json
