#pragma once

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/model/ids.hpp"

namespace leadstream::domain {

struct RateDecision {
  bool allowed = true;
  bool enforced = false;  // false when the limit is off: no headers to report
  int limit = 0;
  int remaining = 0;
  std::chrono::seconds retry_after{0};  // until the window resets; meaningful when !allowed
};

/// A fixed one-minute window per key, opened by the key's first counted event. Per
/// process: each daemon sharing a database counts its own. Thread-safe.
template <class Key>
class FixedWindowLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::seconds kWindow{60};

  /// `per_minute` 0 turns limiting off.
  explicit FixedWindowLimiter(int per_minute) : limit_(per_minute) {}

  /// Counts one event of `key` when the window has room.
  RateDecision admit(const Key& key, TimePoint now) { return decide(key, now, /*count=*/true); }
  /// Whether `key` would be admitted, without counting anything.
  RateDecision peek(const Key& key, TimePoint now) { return decide(key, now, /*count=*/false); }

 private:
  struct Window {
    TimePoint opened_at;
    int used = 0;
  };

  RateDecision decide(const Key& key, TimePoint now, bool count) {
    if (limit_ <= 0) return RateDecision{};
    std::lock_guard lock(mutex_);
    forget_closed_windows(now);
    auto& window = windows_[key];
    if (window.used == 0 || now - window.opened_at >= kWindow) window = Window{now, 0};
    const auto resets_in = window.opened_at + kWindow - now;
    // Round up: a client told to wait 0 s would come straight back.
    const auto retry_after = std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(resets_in));
    if (window.used >= limit_) {
      return RateDecision{
          .allowed = false, .enforced = true, .limit = limit_, .remaining = 0, .retry_after = retry_after};
    }
    if (count) ++window.used;
    return RateDecision{.allowed = true,
                        .enforced = true,
                        .limit = limit_,
                        .remaining = limit_ - window.used,
                        .retry_after = retry_after};
  }

  // Keeps memory bounded by the keys seen in the last minute, not by every key ever seen.
  void forget_closed_windows(TimePoint now) {
    if (now - last_sweep_ < kWindow) return;
    last_sweep_ = now;
    std::erase_if(windows_, [&](const auto& entry) { return now - entry.second.opened_at >= kWindow; });
  }

  const int limit_;
  std::mutex mutex_;
  std::unordered_map<Key, Window> windows_;
  TimePoint last_sweep_{};
};

/// Requests per API key.
using RateLimiter = FixedWindowLimiter<ApiKeyId>;
/// Failed authentications per client address, so that guessing keys costs the database
/// at most that many lookups a minute per address.
using FailedAuthLimiter = FixedWindowLimiter<std::string>;

}  // namespace leadstream::domain
