#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// What users change on leads. Every call is scoped to one team: another team's lead is
/// not found. Blocking; thread-safe.
class LeadStore {
 public:
  virtual ~LeadStore() = default;

  /// Records (or replaces) the feedback for the lead and `feedback.segment_id`. false when
  /// the team has no such lead; kInvalidRequest when the segment is not the team's.
  virtual Result<bool> record_feedback(TeamId team, LeadId lead, const LeadFeedback& feedback) = 0;
  /// Sets lifecycle `exported`, keeping the first export time. false when the team has no
  /// such lead.
  virtual Result<bool> mark_exported(TeamId team, LeadId lead) = 0;
  /// Records what is known of an X user's contacts, merged with what is stored: a contact
  /// it does not have stays, and a verified email is not replaced by an unverified one, so
  /// that two enrichments of one person at once do not undo each other.
  virtual Result<void> save_enrichment(TeamId team, const std::string& x_user_id, const Enrichment& enrichment) = 0;
  /// What is known of these X users' contacts, by X user id (absent: nothing).
  virtual Result<std::map<std::string, Enrichment>> enrichments(TeamId team,
                                                                const std::vector<std::string>& x_user_ids) = 0;
};

}  // namespace leadstream::domain
