#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct SubscriptionState {
  std::string status;                     // active, trialing, past_due, canceled, unpaid, ...
  std::map<std::string, int> quantities;  // item -> quantity
  std::optional<Timestamp> current_period_end;
};

/// Whether a subscription in this status may take more quantity.
inline bool accepts_more_quantity(std::string_view status) { return status == "active" || status == "trialing"; }

/// What CampaignStore::subscription_status says of a team on the free plan
/// (`teams set-billing --free`): no subscription, one starter account, no re-tests.
inline constexpr std::string_view kFreePlan = "free";

struct QuantityUpdate {
  std::string subscription_item;
  int quantity = 0;
  bool prorate = false;         // increases are prorated now; decreases are not credited
  std::string idempotency_key;  // the same for every retry of the same change
};

/// A subscription whose quantities change at the end of its current period (scheduled
/// downgrades), while staying as they are until then.
struct PeriodEndChange {
  std::string subscription_id;
  std::optional<std::string> schedule_id;  // the schedule made for it before, if any
  std::map<std::string, int> now;          // subscription item -> quantity, this period, as we see it
  std::map<std::string, int> next;         // subscription item -> quantity, from the next
  std::string idempotency_key;             // the same for every retry of the same change
};

/// Where paid quantities are set. Blocking; thread-safe.
class BillingGateway {
 public:
  virtual ~BillingGateway() = default;
  /// kUnavailable when a retry may succeed (network, 409, 429, 5xx, or the provider says
  /// so); kUpstream with the provider's message when it will not.
  virtual Result<void> set_quantity(const QuantityUpdate& update) = 0;
  /// The subscription as the provider has it.
  virtual Result<SubscriptionState> subscription(const std::string& subscription_id) = 0;
  /// Makes the provider itself switch the subscription to `next` at the end of the
  /// period, through a subscription schedule: the one named while the provider still
  /// applies it, else the one the subscription follows, else one made from it. Every item
  /// of the subscription is kept, ours or not, and nothing is charged for the current
  /// period. Returns the schedule's id. Errors as set_quantity.
  virtual Result<std::string> schedule_period_end(const PeriodEndChange& change) = 0;
  /// Lets the subscription go on as it is: nothing changes at the period's end.
  virtual Result<void> release_schedule(const std::string& schedule_id, const std::string& idempotency_key) = 0;
};

/// A team billed through a subscription, with its desired quantity per item.
struct BilledTeam {
  TeamId team;
  std::string subscription_id;
  std::map<std::string, std::pair<Tier, int>> desired;  // item -> (tier, active accounts)
};

/// One (team, tier) whose billing changes are waiting, as the reconciler sees it while it
/// holds them.
struct PendingBilling {
  TeamId team;
  Tier tier = Tier::kStarter;
  std::int64_t latest_change_id = 0;
  int attempts = 0;                              // failed tries so far
  int desired_quantity = 0;                      // active accounts of the tier, now
  std::optional<int> applied_quantity;           // last set, if ever
  std::optional<std::string> subscription_item;  // none: the embedded ledger bills
};

struct BillingOutcome {
  enum class Kind { kApplied, kRetryLater, kFailed };
  Kind kind = Kind::kApplied;
  Timestamp next_attempt_at{};  // for kRetryLater and kFailed
  std::string error;            // shown on the accounts of the tier
};

/// One team's period-end changes (scheduled downgrades, their cancellations, and quantity
/// changes while a schedule runs), as the reconciler sees them while it holds them.
struct PendingPeriodEnd {
  TeamId team;
  std::int64_t latest_change_id = 0;
  int attempts = 0;                            // failed tries so far
  std::optional<std::string> subscription_id;  // none: the embedded ledger bills
  std::optional<std::string> schedule_id;      // the schedule made for it, if any
  std::map<std::string, int> now;              // subscription item -> active accounts of its tier
  std::map<std::string, int> next;             // the same once the scheduled downgrades are in
};

struct PeriodEndOutcome {
  BillingOutcome outcome;
  std::optional<std::string> schedule_id;  // the schedule the subscription follows afterwards
};

/// The billing_changes outbox. Blocking; thread-safe; safe across processes.
class BillingOutbox {
 public:
  virtual ~BillingOutbox() = default;
  /// Up to `limit` (team, tier) groups with changes due at `now`.
  virtual Result<std::vector<std::pair<TeamId, Tier>>> due(Timestamp now, int limit) = 0;
  /// Locks the group's due changes (skipping them if another process holds them), calls
  /// `decide`, and records its outcome with them in one transaction.
  virtual Result<void> settle(TeamId team, Tier tier, Timestamp now,
                              const std::function<BillingOutcome(const PendingBilling&)>& decide) = 0;
  /// Up to `limit` teams with period-end changes due at `now`.
  virtual Result<std::vector<TeamId>> period_end_due(Timestamp now, int limit) = 0;
  /// As settle(), for a team's period-end changes; records the schedule the outcome names.
  virtual Result<void> settle_period_end(TeamId team, Timestamp now,
                                         const std::function<PeriodEndOutcome(const PendingPeriodEnd&)>& decide) = 0;
  /// Teams billed through a subscription, for the drift check.
  /// `only_unread`: those whose subscription was never read since they were mapped.
  virtual Result<std::vector<BilledTeam>> billed_teams(bool only_unread = false) = 0;
  /// Queues a correction: forgets what was applied to the tier and records a change, so
  /// the reconciler sets the quantity again.
  virtual Result<void> resettle(TeamId team, Tier tier, const std::string& reason) = 0;
  /// Records what the drift check read of the team's subscription.
  virtual Result<void> record_subscription(TeamId team, const SubscriptionState& state) = 0;
};

}  // namespace leadstream::domain
