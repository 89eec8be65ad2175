#include "domain/rules/retry.hpp"

#include <algorithm>

namespace leadstream::domain {

std::chrono::milliseconds backoff_delay(int attempt, double unit_random, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap) {
  const int doublings = std::clamp(attempt, 0, 30);
  const auto ceiling = std::min<long long>(cap.count(), base.count() << std::min(doublings, 20));
  return std::chrono::milliseconds{static_cast<long long>(unit_random * static_cast<double>(ceiling))};
}

}  // namespace leadstream::domain
