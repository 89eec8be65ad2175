#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model/api_key.hpp"
#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/result.hpp"
#include "domain/rules/ttl_cache.hpp"

namespace leadstream::domain {

inline constexpr std::string_view kMalformedKeyMessage = "Invalid API key format.";
inline constexpr std::string_view kUnknownKeyMessage = "Invalid or revoked API key.";

/// Turns a presented API key into the Principal it stands for. Successful lookups are
/// cached by digest for `cache_ttl`, so a key revoked by another process stops working
/// within that time; a revocation through this process takes effect at once (forget()).
/// Unknown keys are remembered for kUnknownKeyTtl, so that one repeated cannot make a
/// query per request (keys are random: none becomes known meanwhile). Thread-safe.
class Authenticator {
 public:
  Authenticator(ApiKeyRepository& keys, Secrets& secrets, const Clock& clock, std::chrono::milliseconds cache_ttl)
      : keys_(keys),
        secrets_(secrets),
        clock_(clock),
        cache_(cache_ttl, kMaxCachedKeys),
        unknown_(kUnknownKeyTtl, kMaxCachedKeys),
        recently_valid_(kRecentlyValidTtl, kMaxCachedKeys) {}

  static constexpr std::chrono::seconds kUnknownKeyTtl{10};

  /// kInvalidApiKey for a malformed, unknown or revoked key; kUnavailable from the store.
  /// Blocks on the store when the key is not cached.
  Result<Principal> authenticate(std::string_view key);
  /// Never blocks: kInvalidApiKey for a malformed key, nullopt when the answer needs the
  /// store (the key is not cached).
  Result<std::optional<Principal>> authenticate_cached(std::string_view key);
  void forget(ApiKeyId id);
  /// Whether this key authenticated within kRecentlyValidTtl (never blocks).
  bool recently_valid(std::string_view key);

  static constexpr std::chrono::minutes kRecentlyValidTtl{10};

 private:
  Result<Principal> look_up(std::string_view key, const KeyDigest& digest);

  static constexpr std::size_t kMaxCachedKeys = 100'000;

  ApiKeyRepository& keys_;
  Secrets& secrets_;
  const Clock& clock_;
  TtlCache<std::string, Principal> cache_;  // by raw digest bytes, never by the key
  TtlCache<std::string, bool> unknown_;     // digests no active key has
  TtlCache<std::string, bool> recently_valid_;
};

}  // namespace leadstream::domain
