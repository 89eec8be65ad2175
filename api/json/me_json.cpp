#include "api/json/me_json.hpp"

#include <boost/json.hpp>

#include "domain/model/time.hpp"

namespace leadstream::api::json {

namespace {

boost::json::value budget_json(const domain::AccountBudget& account) {
  return {{"accountId", account.account_id.value},
          {"xHandle", account.handle},
          {"tier", domain::to_string(account.tier)},
          {"monthlyRetest",
           {{"used", account.monthly_retests.used},
            {"budget", account.monthly_retests.limit},
            {"remaining", account.monthly_retests.remaining()},
            {"billingPeriodStart", domain::format_rfc3339(account.billing_period_start)}}},
          {"dailySync",
           {{"used", account.daily_syncs.used},
            {"cap", account.daily_syncs.limit},
            {"remaining", account.daily_syncs.remaining()}}}};
}

boost::json::array recent_json(const std::vector<domain::LedgerEntry>& entries) {
  boost::json::array out;
  for (const auto& entry : entries) {
    out.push_back({{"id", entry.id},
                   {"kind", entry.kind},
                   {"delta", entry.delta},
                   {"reason", entry.reason},
                   {"holdId", entry.hold_id ? boost::json::value(*entry.hold_id) : boost::json::value(nullptr)},
                   {"at", domain::format_rfc3339(entry.at)}});
  }
  return out;
}

}  // namespace

boost::json::value to_json(const domain::Me& me) {
  boost::json::array accounts;
  int retests_remaining = 0;
  int syncs_remaining = 0;
  for (const auto& account : me.accounts) {
    accounts.push_back(budget_json(account));
    retests_remaining += account.monthly_retests.remaining();
    syncs_remaining += account.daily_syncs.remaining();
  }
  return {
      {"name", me.team.name},
      {"email", me.team.email},
      {"subscriptionStatus", me.subscription_status},
      {"isFreeTier", me.subscription_status == "free_user"},
      {"accounts", std::move(accounts)},
      {"credits",
       {{"balance", me.credits.balance},
        {"lowBalanceThreshold", me.credits.low_balance_threshold},
        {"isLow", me.credits.is_low()},
        {"autoTopupEnabled", false},
        {"recent", recent_json(me.credits.recent)},
        {"monthlyEnrichment",
         {{"budget", me.credits.monthly_enrichment_budget},
          {"used", me.credits.enrichment_committed},
          {"remaining",
           std::max<std::int64_t>(0, me.credits.monthly_enrichment_budget - me.credits.enrichment_committed)},
          {"billingPeriodStart", domain::format_rfc3339(me.credits.budget_period_start)}}}}},
      {"totals", {{"monthlyRetestRemaining", retests_remaining}, {"dailySyncRemaining", syncs_remaining}}},
      {"team", {{"id", me.team.id.value}, {"name", me.team.name}}},
      {"apiKey", {{"id", me.caller.key_id.value}, {"prefix", me.caller.key_prefix}, {"name", me.caller.key_name}}},
  };
}

}  // namespace leadstream::api::json
