#include "domain/rules/rate_limiter.hpp"

#include <algorithm>

namespace leadstream::domain {

RateDecision RateLimiter::admit(ApiKeyId key, TimePoint now) {
  if (limit_ <= 0) return RateDecision{};

  std::lock_guard lock(mutex_);
  forget_closed_windows(now);
  auto& window = windows_[key];
  if (window.used == 0 || now - window.opened_at >= kWindow) window = Window{now, 0};

  const auto resets_in = window.opened_at + kWindow - now;
  // Round up: a client told to wait 0 s would come straight back.
  const auto retry_after = std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(resets_in));
  if (window.used >= limit_) {
    return RateDecision{.allowed = false, .enforced = true, .limit = limit_, .remaining = 0, .retry_after = retry_after};
  }
  ++window.used;
  return RateDecision{.allowed = true, .enforced = true, .limit = limit_, .remaining = limit_ - window.used,
                      .retry_after = retry_after};
}

// Keeps memory bounded by the keys seen in the last minute, not by every key ever seen.
void RateLimiter::forget_closed_windows(TimePoint now) {
  if (now - last_sweep_ < kWindow) return;
  last_sweep_ = now;
  std::erase_if(windows_, [&](const auto& entry) { return now - entry.second.opened_at >= kWindow; });
}

}  // namespace leadstream::domain
