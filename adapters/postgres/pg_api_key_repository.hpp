#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/api_key_repository.hpp"

namespace leadstream::adapters::postgres {

class PgApiKeyRepository final : public domain::ApiKeyRepository {
 public:
  explicit PgApiKeyRepository(ConnectionPool& pool) : pool_(pool) {}

  // domain::ApiKeyRepository
  domain::Result<domain::ApiKey> create(const domain::NewApiKey& key) override;
  domain::Result<std::vector<domain::ApiKey>> find_active_by_prefix(std::string_view prefix) override;
  domain::Result<std::optional<domain::ApiKey>> find(domain::ApiKeyId id) override;
  domain::Result<std::vector<domain::ApiKey>> list(domain::TeamId team) override;
  domain::Result<void> revoke(domain::ApiKeyId id) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
