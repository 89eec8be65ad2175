#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/idempotency_store.hpp"

namespace leadstream::adapters::postgres {

/// A claim abandoned in flight (no answer, no write) for a minute is taken over by the
/// next request with its key. While this process carries a claim's request out, a thread
/// renews its claims every `keep_alive_interval`, so that a slow request (X lookups, say)
/// is never taken over and done twice.
class PgIdempotencyStore final : public domain::IdempotencyStore {
 public:
  explicit PgIdempotencyStore(ConnectionPool& pool,
                              std::chrono::milliseconds keep_alive_interval = std::chrono::seconds{20});
  ~PgIdempotencyStore() override;

  // domain::IdempotencyStore
  domain::Result<domain::IdempotencyClaim> claim(domain::TeamId team, std::string_view key,
                                                 std::string_view fingerprint) override;
  domain::Result<void> complete(domain::TeamId team, std::string_view key,
                                const domain::StoredResponse& response) override;
  void begin_acting(domain::TeamId team, std::string_view key) override;
  void end_acting() override;
  domain::Result<void> release(domain::TeamId team, std::string_view key,
                               const domain::StoredResponse& response) override;

  /// Renews the claims of the requests this process is carrying out now.
  domain::Result<void> keep_alive();

 private:
  ConnectionPool& pool_;
  std::mutex mutex_;
  std::set<std::pair<std::int64_t, std::string>> in_flight_;  // (team, key)
  std::condition_variable_any wake_;
  std::jthread keeper_;
};

}  // namespace leadstream::adapters::postgres
