#pragma once

#include <chrono>

namespace leadstream::domain {

/// Capped exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^n)].
/// `unit_random` is in [0, 1), injected so the rule stays deterministic under test.
std::chrono::milliseconds backoff_delay(int attempt, double unit_random,
                                        std::chrono::milliseconds base = std::chrono::seconds{1},
                                        std::chrono::milliseconds cap = std::chrono::minutes{10});

}  // namespace leadstream::domain
