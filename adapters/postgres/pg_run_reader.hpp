#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/run_reader.hpp"

namespace leadstream::adapters::postgres {

/// Runs and leads as users read them, from PostgreSQL. Read-only.
class PgRunReader final : public domain::RunReader {
 public:
  explicit PgRunReader(ConnectionPool& pool) : pool_(pool) {}

  // domain::RunReader
  domain::Result<domain::RunList> runs(const domain::RunQuery& query) override;
  domain::Result<std::optional<domain::Run>> run(domain::TeamId team, domain::RunId id) override;
  domain::Result<domain::LeadList> leads(const domain::LeadQuery& query) override;
  domain::Result<domain::LeadSummary> lead_summary(const domain::LeadQuery& query) override;
  domain::Result<std::optional<domain::Lead>> lead(domain::TeamId team, domain::LeadId id) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
