#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "support/fake_http_server.hpp"

namespace leadstream::support {

/// Stripe's subscription-item quantity endpoint, on loopback. It insists on what Stripe
/// insists on (a Bearer key, form encoding, a pinned version) and keeps Stripe's
/// idempotency contract: a key replays its first answer; the same key with other
/// parameters is refused. `fault` decides per request what goes wrong.
class FakeStripe {
 public:
  enum class Fault {
    kNone,
    kServerError,          // 500 before acting
    kAppliedThenLost,      // acts and stores the answer, but the caller sees a 503
    kConflict,             // 409 idempotency_key_in_use, Stripe-Should-Retry: true
    kRateLimited,          // 429 with Retry-After: 0
    kRefused,              // 400 Stripe-Should-Retry: false (e.g. a deleted item)
  };
  using FaultPlan = std::function<Fault(int request_number)>;

  explicit FakeStripe(FaultPlan plan = [](int) { return Fault::kNone; });

  std::string base_url() const { return server_.base_url(); }
  int quantity(const std::string& item) const;
  /// How many times each idempotency key changed a quantity (each must be at most 1).
  std::map<std::string, int> applications() const;
  int requests() const;
  /// As someone editing the subscription in Stripe's dashboard would.
  void edit_quantity(const std::string& item, int quantity);
  /// The status GET /v1/subscriptions/{id} reports (active at first).
  void set_status(std::string status);

 private:
  api::Response handle(const api::Request& request);

  FaultPlan plan_;
  mutable std::mutex mutex_;
  std::map<std::string, int> quantities_;
  struct Stored {
    std::string params;
    api::Response response;
  };
  std::map<std::string, Stored> by_key_;
  std::map<std::string, int> applications_;
  int requests_ = 0;
  std::string status_ = "active";
  FakeHttpServer server_;  // last: it calls handle() from its threads
};

}  // namespace leadstream::support
