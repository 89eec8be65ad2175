#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/team_repository.hpp"

namespace leadstream::adapters::postgres {

class PgTeamRepository final : public domain::TeamRepository {
 public:
  explicit PgTeamRepository(ConnectionPool& pool) : pool_(pool) {}

  // domain::TeamRepository
  domain::Result<domain::Team> create(std::string_view name, std::string_view email) override;
  domain::Result<void> set_email(domain::TeamId team, std::string_view email) override;
  domain::Result<std::optional<domain::Team>> find(domain::TeamId id) override;
  domain::Result<std::optional<domain::Team>> find_by_name(std::string_view name) override;
  domain::Result<void> set_billing(domain::TeamId team, const std::optional<domain::StripeBilling>& billing) override;
  domain::Result<void> set_free_plan(domain::TeamId team) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
