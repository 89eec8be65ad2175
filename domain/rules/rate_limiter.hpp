#pragma once

#include <chrono>
#include <mutex>
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

/// A fixed one-minute window per API key, opened by the key's first request. Per process:
/// each daemon sharing a database counts its own requests. Thread-safe.
class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::seconds kWindow{60};

  /// `per_minute` 0 turns limiting off.
  explicit RateLimiter(int per_minute) : limit_(per_minute) {}

  RateDecision admit(ApiKeyId key, TimePoint now);

 private:
  struct Window {
    TimePoint opened_at;
    int used = 0;
  };

  void forget_closed_windows(TimePoint now);

  const int limit_;
  std::mutex mutex_;
  std::unordered_map<ApiKeyId, Window> windows_;
  TimePoint last_sweep_{};
};

}  // namespace leadstream::domain
