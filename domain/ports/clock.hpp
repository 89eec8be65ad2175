#pragma once

#include <chrono>

#include "domain/model/team.hpp"

namespace leadstream::domain {

/// The time, injected so that rules never call now() themselves. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
  /// Monotonic time for intervals (rate windows, cache ages), immune to wall-clock jumps.
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  // domain::Clock
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
  std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace leadstream::domain
