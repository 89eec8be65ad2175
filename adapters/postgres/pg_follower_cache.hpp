#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/follower_cache.hpp"

namespace leadstream::adapters::postgres {

/// The follower cache in PostgreSQL (table followers, written by PgRunQueue's pages).
class PgFollowerCache final : public domain::FollowerCache {
 public:
  explicit PgFollowerCache(ConnectionPool& pool) : pool_(pool) {}

  // domain::FollowerCache
  domain::Result<domain::CachedPage> cached_followers(domain::AccountId account,
                                                      const std::optional<std::string>& cursor, int limit,
                                                      std::optional<domain::Timestamp> seen_since) override;
  domain::Result<std::optional<domain::Timestamp>> recent_walk(domain::AccountId account, domain::StreamId stream,
                                                               domain::Timestamp since) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
