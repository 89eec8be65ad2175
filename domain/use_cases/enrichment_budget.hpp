#pragma once

#include "domain/ports/campaign_store.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/enrichment_budget.hpp"

namespace leadstream::domain {

/// Monthly enrichment budgets by tier (monthly_enrichment_budget), per billing period
/// (billing_period_start).
class TierEnrichmentBudget final : public EnrichmentBudget {
 public:
  TierEnrichmentBudget(CampaignTransactions& campaigns, const Clock& clock) : campaigns_(campaigns), clock_(clock) {}

  // domain::EnrichmentBudget
  Result<std::optional<SpendingCap>> cap(TeamId team) override;

 private:
  CampaignTransactions& campaigns_;
  const Clock& clock_;
};

}  // namespace leadstream::domain
