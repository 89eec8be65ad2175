#pragma once

#include <chrono>

#include "domain/ports/readiness.hpp"
#include "domain/rules/ttl_cache.hpp"

namespace leadstream::domain {

/// /readyz from a result at most `ttl` old: anyone may call it, and each call of the
/// inner check is a database query.
class CachedReadiness final : public Readiness {
 public:
  CachedReadiness(Readiness& inner, std::chrono::milliseconds ttl) : inner_(inner), cache_(ttl, 1) {}

  Result<void> check() override {
    const auto now = std::chrono::steady_clock::now();
    if (auto cached = cache_.get(0, now)) return *cached;
    auto checked = inner_.check();
    cache_.put(0, checked, now);
    return checked;
  }

 private:
  Readiness& inner_;
  TtlCache<int, Result<void>> cache_;
};

}  // namespace leadstream::domain
