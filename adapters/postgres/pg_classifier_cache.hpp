#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/classifier_cache.hpp"

namespace leadstream::adapters::postgres {

/// A remote classifier's answers in `classifier_answers`, one row per key.
class PgClassifierCache final : public domain::ClassifierCache {
 public:
  explicit PgClassifierCache(ConnectionPool& pool) : pool_(pool) {}

  // domain::ClassifierCache
  domain::Result<std::unordered_map<std::string, domain::CachedAnswer>> find(
      const std::vector<std::string>& keys) override;
  domain::Result<void> store(const std::vector<std::pair<std::string, domain::CachedAnswer>>& answers) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
