#pragma once

#include "domain/model/sync.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/lead_store.hpp"
#include "domain/ports/run_reader.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What changing a lead needs: the store that changes it and the reader that shows it.
struct LeadDeps {
  LeadStore& store;
  RunReader& reader;
  const Clock& clock;
};

/// POST /leads/{id}/feedback: records (or replaces) it for the lead and segment. The lead
/// as it is now; kNotFound "lead_not_found" for a lead the team does not have.
Result<Lead> record_feedback(LeadDeps deps, TeamId team, LeadId lead, LeadFeedback feedback);

/// POST /leads/{id}/export: lifecycle `exported`; again changes nothing, the first
/// `exportedAt` stays. kNotFound "lead_not_found".
Result<Lead> export_lead(LeadDeps deps, TeamId team, LeadId lead);

}  // namespace leadstream::domain
