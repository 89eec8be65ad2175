#include <catch2/catch.hpp>

#include "domain/rules/rate_limiter.hpp"

using leadstream::domain::ApiKeyId;
using leadstream::domain::RateLimiter;
using namespace std::chrono_literals;

namespace {
const auto kStart = std::chrono::steady_clock::time_point{} + 10h;
}

TEST_CASE("the 61st request of a minute is refused with the seconds until the window resets", "[rate]") {
  RateLimiter limiter(60);
  for (int i = 0; i < 60; ++i) {
    const auto decision = limiter.admit(ApiKeyId{1}, kStart + std::chrono::milliseconds(i * 100));
    REQUIRE(decision.allowed);
    CHECK(decision.remaining == 59 - i);
  }
  const auto refused = limiter.admit(ApiKeyId{1}, kStart + 20s);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.remaining == 0);
  CHECK(refused.retry_after == 40s);
  CHECK(refused.limit == 60);
}

TEST_CASE("each key has its own window", "[rate]") {
  RateLimiter limiter(2);
  CHECK(limiter.admit(ApiKeyId{1}, kStart).allowed);
  CHECK(limiter.admit(ApiKeyId{1}, kStart).allowed);
  CHECK_FALSE(limiter.admit(ApiKeyId{1}, kStart).allowed);
  CHECK(limiter.admit(ApiKeyId{2}, kStart).allowed);
}

TEST_CASE("a new window opens a minute after the first request", "[rate]") {
  RateLimiter limiter(1);
  CHECK(limiter.admit(ApiKeyId{1}, kStart).allowed);
  const auto refused = limiter.admit(ApiKeyId{1}, kStart + 59'500ms);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 1s);  // rounded up, never 0
  CHECK(limiter.admit(ApiKeyId{1}, kStart + 60s).allowed);
}

TEST_CASE("a limit of zero turns limiting off and reports nothing", "[rate]") {
  RateLimiter limiter(0);
  for (int i = 0; i < 1000; ++i) REQUIRE(limiter.admit(ApiKeyId{1}, kStart).allowed);
  CHECK_FALSE(limiter.admit(ApiKeyId{1}, kStart).enforced);
}
