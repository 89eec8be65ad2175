#pragma once

#include <chrono>
#include <string>

#include "domain/ports/handle_resolver.hpp"
#include "domain/rules/text.hpp"
#include "domain/rules/ttl_cache.hpp"

namespace leadstream::domain {

/// Handle lookups remembered, so that a client repeating a stream POST (or many streams
/// naming one account) does not look each handle up at X again: found handles for ten
/// minutes, unknown and protected ones for one. Failed lookups are not kept. Thread-safe.
class CachedHandleResolver final : public HandleResolver {
 public:
  static constexpr std::chrono::minutes kFoundTtl{10};
  static constexpr std::chrono::minutes kRefusedTtl{1};

  explicit CachedHandleResolver(HandleResolver& inner)
      : inner_(inner), found_(kFoundTtl, kMaxEntries), refused_(kRefusedTtl, kMaxEntries) {}

  // domain::HandleResolver
  Result<ResolvedHandle> resolve(std::string_view handle) override {
    const auto key = lower(handle);
    const auto now = std::chrono::steady_clock::now();
    if (auto found = found_.get(key, now)) return *found;
    if (auto refused = refused_.get(key, now)) return *refused;
    auto resolved = inner_.resolve(handle);
    if (resolved) {
      found_.put(key, *resolved, now);
    } else if (const auto code = resolved.error().code;
               code == ErrorCode::kHandleNotFound || code == ErrorCode::kHandleProtected) {
      refused_.put(key, resolved.error(), now);
    }
    return resolved;
  }

 private:
  static constexpr std::size_t kMaxEntries = 100'000;

  HandleResolver& inner_;
  TtlCache<std::string, ResolvedHandle> found_;
  TtlCache<std::string, Error> refused_;
};

}  // namespace leadstream::domain
