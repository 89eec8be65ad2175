#include "domain/use_cases/enrichment_budget.hpp"

#include "domain/ports/billing.hpp"
#include "domain/rules/billing_period.hpp"
#include "domain/rules/tiers.hpp"

namespace leadstream::domain {

Result<std::optional<SpendingCap>> TierEnrichmentBudget::cap(TeamId team) {
  return in_transaction<std::optional<SpendingCap>>(
      campaigns_, [&](CampaignStore& store) -> Result<std::optional<SpendingCap>> {
        auto accounts = store.accounts(team);
        if (!accounts) return accounts.error();
        auto status = store.subscription_status(team);
        if (!status) return status.error();
        const bool free_plan = *status && **status == kFreePlan;
        return std::optional<SpendingCap>(
            SpendingCap{billing_period_start(clock_.now()), monthly_enrichment_budget(*accounts, free_plan)});
      });
}

}  // namespace leadstream::domain
