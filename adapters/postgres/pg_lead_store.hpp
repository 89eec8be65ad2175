#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/lead_store.hpp"

namespace leadstream::adapters::postgres {

/// Feedback, export and enrichment of leads, in PostgreSQL.
class PgLeadStore final : public domain::LeadStore {
 public:
  explicit PgLeadStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::LeadStore
  domain::Result<bool> record_feedback(domain::TeamId team, domain::LeadId lead,
                                       const domain::LeadFeedback& feedback) override;
  domain::Result<bool> mark_exported(domain::TeamId team, domain::LeadId lead) override;
  domain::Result<void> save_enrichment(domain::TeamId team, const std::string& x_user_id,
                                       const domain::Enrichment& enrichment) override;
  domain::Result<std::map<std::string, domain::Enrichment>> enrichments(
      domain::TeamId team, const std::vector<std::string>& x_user_ids) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
