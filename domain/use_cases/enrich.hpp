#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/model/enrichment.hpp"
#include "domain/model/sync.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/enricher.hpp"
#include "domain/ports/enrichment_budget.hpp"
#include "domain/ports/handle_resolver.hpp"
#include "domain/ports/lead_store.hpp"
#include "domain/ports/lookup_store.hpp"
#include "domain/ports/run_reader.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct EnrichSettings {
  std::int64_t credits_per_result = 1;  // what a LinkedIn URL or an email from the provider costs
  std::int64_t max_credits_per_lead = 2;
  /// A hold outliving this (the process died mid-way) is released by the sweep.
  std::chrono::seconds hold_lease{std::chrono::minutes(15)};
};

struct EnrichDeps {
  RunReader& reader;
  LeadStore& store;
  CreditLedger& credits;
  Enricher* provider;  // nullptr: the profile's own contacts only
  const Clock& clock;
  EnrichSettings settings;
  EnrichmentBudget* budget = nullptr;  // none: no monthly cap
  /// Whose charge it is, as the ledger's reasons say: "enrich" (a lead) or "lookup".
  std::string_view source = "enrich";
};

/// What one enrichment found and cost.
struct EnrichOutcome {
  std::optional<LeadId> lead_id;
  std::string x_user_id;
  EnrichWants wants;
  Enrichment enrichment;  // everything known of the person now
  std::int64_t credits_charged = 0;
  std::int64_t credits_remaining = 0;

  /// resolved (all that was asked was found) | partial | not_found.
  std::string kind() const;
};

/// The waterfall for one person: what is known of them already, then their profile's own
/// contacts (free), then the provider for what is still missing, its cost held before the
/// call, settled for what it found and the rest released. Saves what is known.
/// kCreditsExhausted when the provider is needed and the balance cannot pay for it,
/// kBudgetExhausted when it would take the team past its monthly enrichment budget.
Result<EnrichOutcome> enrich_person(EnrichDeps deps, TeamId team, const FollowerProfile& profile,
                                    std::optional<Enrichment> known, EnrichWants wants);

/// What enriching a run's new leads came to.
struct PeopleEnriched {
  int enriched = 0;  // people with something asked for found
  std::int64_t credits_charged = 0;
  std::optional<Error> stopped;  // why the provider step stopped (credits ran out, it failed)
};

/// The waterfall for many people at once (a run's new leads): their own contacts for all,
/// then the provider for what is missing, 100 a call, each call's cost held and settled.
/// A provider step that cannot go on (no credits, the provider failing) stops, keeping what
/// was found; only the stores failing is an error.
Result<PeopleEnriched> enrich_people(EnrichDeps deps, TeamId team, const std::vector<FollowerProfile>& people,
                                     EnrichWants wants);

struct LookupDeps {
  EnrichDeps enrich;
  HandleResolver& handles;
  LookupStore& lookups;
};

/// POST /lookups/enrich (`kind` "enrich") and /lookups/enrich-email ("enrich-email"): the
/// handle resolved through the follower source, its profile through the waterfall, the
/// lookup recorded. kHandleNotFound, kHandleProtected, kHandleLookupFailed for the handle.
Result<EnrichOutcome> look_up_contacts(LookupDeps deps, TeamId team, std::string_view handle, EnrichWants wants,
                                       const std::string& kind);

/// POST /leads/{id}/enrich. kLeadNotFound for a lead the team does not have.
Result<EnrichOutcome> enrich_lead(EnrichDeps deps, TeamId team, LeadId lead, EnrichWants wants);

}  // namespace leadstream::domain
