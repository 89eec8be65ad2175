#include "domain/use_cases/leads.hpp"

namespace leadstream::domain {
namespace {

Error lead_not_found() { return Error{ErrorCode::kLeadNotFound, "Lead not found."}; }

/// The lead as the reader shows it after a change that found it.
Result<Lead> read_back(LeadDeps deps, TeamId team, LeadId id, Result<bool> changed) {
  if (!changed) return changed.error();
  if (!*changed) return lead_not_found();
  auto lead = deps.reader.lead(team, id);
  if (!lead) return lead.error();
  if (!*lead) return lead_not_found();
  return std::move(**lead);
}

}  // namespace

Result<Lead> record_feedback(LeadDeps deps, TeamId team, LeadId lead, LeadFeedback feedback) {
  feedback.at = deps.clock.now();
  if (feedback.good) {
    feedback.bad_reason.reset();
    feedback.bad_reason_freeform.reset();
  } else if (!feedback.bad_reason) {
    feedback.bad_reason = "zapier";  // API.md: the original's default when none is given
  }
  return read_back(deps, team, lead, deps.store.record_feedback(team, lead, feedback));
}

Result<Lead> export_lead(LeadDeps deps, TeamId team, LeadId lead) {
  return read_back(deps, team, lead, deps.store.mark_exported(team, lead));
}

}  // namespace leadstream::domain
