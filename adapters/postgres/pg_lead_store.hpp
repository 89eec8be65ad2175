#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/lead_store.hpp"

namespace leadstream::adapters::postgres {

/// Feedback and export of leads, in PostgreSQL.
class PgLeadStore final : public domain::LeadStore {
 public:
  explicit PgLeadStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::LeadStore
  domain::Result<bool> record_feedback(domain::TeamId team, domain::LeadId lead,
                                       const domain::LeadFeedback& feedback) override;
  domain::Result<bool> mark_exported(domain::TeamId team, domain::LeadId lead) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
