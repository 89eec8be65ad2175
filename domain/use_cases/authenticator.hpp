#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/model/api_key.hpp"
#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

inline constexpr std::string_view kMalformedKeyMessage = "Invalid API key format.";
inline constexpr std::string_view kUnknownKeyMessage = "Invalid or revoked API key.";

/// Turns a presented API key into the Principal it stands for. Successful lookups are
/// cached by digest for `cache_ttl`, so a key revoked by another process stops working
/// within that time; a revocation through this process takes effect at once (forget()).
/// Thread-safe.
class Authenticator {
 public:
  Authenticator(ApiKeyRepository& keys, Secrets& secrets, const Clock& clock,
                std::chrono::milliseconds cache_ttl)
      : keys_(keys), secrets_(secrets), clock_(clock), cache_ttl_(cache_ttl) {}

  /// kInvalidApiKey for a malformed, unknown or revoked key; kUnavailable from the store.
  Result<Principal> authenticate(std::string_view key);
  void forget(ApiKeyId id);

 private:
  struct Cached {
    Principal principal;
    std::chrono::steady_clock::time_point fetched_at;
  };

  Result<Principal> look_up(std::string_view key, const KeyDigest& digest);
  std::optional<Principal> cached(const std::string& digest_key);

  static constexpr std::size_t kMaxCachedKeys = 100'000;

  ApiKeyRepository& keys_;
  Secrets& secrets_;
  const Clock& clock_;
  const std::chrono::milliseconds cache_ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by raw digest bytes
};

}  // namespace leadstream::domain
