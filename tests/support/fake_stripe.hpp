#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"

namespace leadstream::support {

/// One Stripe subscription on loopback: its items' quantities (each item's price is
/// "price_" + the item id), GET of the subscription, and subscription schedules made from
/// it (create from_subscription, GET, update phases, release). It insists on what Stripe
/// insists on (a Bearer key, form encoding, a pinned version, the current phase's start
/// kept) and keeps Stripe's idempotency contract: a key replays its first answer; the same
/// key with other parameters is refused. `fault` decides per POST what goes wrong.
class FakeStripe {
 public:
  enum class Fault {
    kNone,
    kServerError,      // 500 before acting
    kAppliedThenLost,  // acts and stores the answer, but the caller sees a 503
    kConflict,         // 409 idempotency_key_in_use, Stripe-Should-Retry: true
    kRateLimited,      // 429 with Retry-After: 0
    kRefused,          // 400 Stripe-Should-Retry: false (e.g. a deleted item)
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
  /// The item's quantity in the next phase of the schedule the subscription follows;
  /// nullopt when it follows none.
  std::optional<int> scheduled_quantity(const std::string& item) const;
  /// The period ends: the subscription takes its schedule's next phase, if any (an item
  /// the phase does not list is removed, as Stripe does).
  void end_period();
  /// A schedule made outside leadstream (in the dashboard) that the subscription follows:
  /// "active", or "not_started" (no current phase yet). Returns its id.
  std::string attach_schedule(const std::string& status);
  /// Answers as API versions from 2025-03-31 do: the period on each item, not on the
  /// subscription.
  void period_on_items_only(bool on_items) { period_on_items_only_ = on_items; }
  /// Every request received, in order.
  std::vector<api::Request> received() const { return server_.requests(); }
  /// The fields of the last POST to `path`, decoded; empty when none was made.
  std::map<std::string, std::string> last_form(const std::string& path) const;

 private:
  struct Schedule {
    std::string status = "active";
    std::vector<std::map<std::string, int>> phases;  // price -> quantity; the first is current
  };

  api::Response handle(const api::Request& request);
  api::Response act(const std::string& path, const std::string& form);
  api::Response subscription_json() const;
  api::Response schedule_json(const std::string& id) const;

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
  std::map<std::string, Schedule> schedules_;
  std::optional<std::string> attached_schedule_;
  std::atomic<bool> period_on_items_only_{false};
  FakeHttpServer server_;  // last: it calls handle() from its threads
};

}  // namespace leadstream::support
