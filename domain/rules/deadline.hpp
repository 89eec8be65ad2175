#pragma once

#include <chrono>
#include <optional>

namespace leadstream::domain {

/// The time by which the request this thread serves must be answered. The HTTP server
/// sets it around each handler; outbound calls (X lookups, Stripe) shorten their
/// timeouts to it and give up on retries that would outlast it. Threads that serve no
/// request (workers, the scheduler) have none, and their calls keep their own timeouts.
class RequestDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// Sets the thread's deadline for its lifetime, restoring the previous one after.
  class Scope {
   public:
    explicit Scope(Clock::time_point deadline) : previous_(current_) { current_ = deadline; }
    ~Scope() { current_ = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::optional<Clock::time_point> previous_;
  };

  /// The time left, or nullopt when this thread serves no request; zero once it passed.
  static std::optional<std::chrono::milliseconds> remaining() {
    if (!current_) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*current_ - Clock::now());
    return std::max(left, std::chrono::milliseconds{0});
  }

  /// Whether waiting `wait` (before a retry, say) still leaves time for the call.
  static bool allows(std::chrono::milliseconds wait) {
    const auto left = remaining();
    return !left || wait < *left;
  }

 private:
  static inline thread_local std::optional<Clock::time_point> current_;
};

}  // namespace leadstream::domain
