#include <catch2/catch.hpp>

#include "domain/rules/retry.hpp"
#include "domain/use_cases/reconcile_billing.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_billing.hpp"

using namespace leadstream;
using namespace std::chrono_literals;
using Kind = domain::BillingOutcome::Kind;

namespace {

struct World {
  fakes::ScriptedOutbox outbox;
  fakes::RecordingGateway gateway;
  fakes::ManualClock clock;
  domain::ReconcileDeps deps{outbox, gateway, clock, [] { return 0.5; }};
  domain::PendingBilling pending{.team = domain::TeamId{1},
                                 .tier = domain::Tier::kGrowth,
                                 .latest_change_id = 42,
                                 .desired_quantity = 3,
                                 .applied_quantity = 2,
                                 .subscription_item = "si_growth"};
};

}  // namespace

TEST_CASE("an increase is prorated, a decrease is not, and the key names the latest change", "[billing]") {
  World world;
  CHECK(domain::settle_group(world.deps, world.pending).kind == Kind::kApplied);
  world.pending.desired_quantity = 1;
  CHECK(domain::settle_group(world.deps, world.pending).kind == Kind::kApplied);
  REQUIRE(world.gateway.updates.size() == 2);
  CHECK(world.gateway.updates[0].prorate);
  CHECK(world.gateway.updates[0].quantity == 3);
  CHECK(world.gateway.updates[0].idempotency_key == "leadstream-billing-42");
  CHECK_FALSE(world.gateway.updates[1].prorate);
}

TEST_CASE("the ledger and an unchanged quantity need no call", "[billing]") {
  World world;
  world.pending.subscription_item.reset();
  CHECK(domain::settle_group(world.deps, world.pending).kind == Kind::kApplied);
  world.pending.subscription_item = "si_growth";
  world.pending.applied_quantity = 3;
  CHECK(domain::settle_group(world.deps, world.pending).kind == Kind::kApplied);
  CHECK(world.gateway.updates.empty());
}

TEST_CASE("transient failures back off; refusals are shown and retried hourly", "[billing]") {
  World world;
  world.gateway.answer = domain::Error{domain::ErrorCode::kUnavailable, "Stripe unreachable"};
  world.pending.attempts = 3;
  const auto later = domain::settle_group(world.deps, world.pending);
  CHECK(later.kind == Kind::kRetryLater);
  CHECK(later.next_attempt_at == world.clock.now() + std::chrono::microseconds(4s));  // 0.5 * 1 s * 2^3

  world.gateway.answer = domain::Error{domain::ErrorCode::kUpstream, "No such subscription item"};
  const auto failed = domain::settle_group(world.deps, world.pending);
  CHECK(failed.kind == Kind::kFailed);
  CHECK(failed.error == "No such subscription item");
  CHECK(failed.next_attempt_at == world.clock.now() + std::chrono::microseconds(1h));
}

TEST_CASE("period-end changes schedule the next quantities, release when none differ, keep the ledger local",
          "[billing]") {
  World world;
  domain::PendingPeriodEnd pending{.team = domain::TeamId{1},
                                   .latest_change_id = 7,
                                   .subscription_id = "sub_1",
                                   .now = {{"si_s", 0}, {"si_g", 2}},
                                   .next = {{"si_s", 1}, {"si_g", 1}}};
  auto outcome = domain::settle_period_end_group(world.deps, pending);
  CHECK(outcome.outcome.kind == Kind::kApplied);
  CHECK(outcome.schedule_id == "sub_sched_1");
  REQUIRE(world.gateway.schedules.size() == 1);
  CHECK(world.gateway.schedules[0].next == pending.next);
  CHECK(world.gateway.schedules[0].idempotency_key == "leadstream-period-end-7");

  pending.schedule_id = "sub_sched_1";
  pending.next = pending.now;  // the downgrade was cancelled
  outcome = domain::settle_period_end_group(world.deps, pending);
  CHECK(outcome.outcome.kind == Kind::kApplied);
  CHECK_FALSE(outcome.schedule_id);
  CHECK(world.gateway.released == std::vector<std::string>{"sub_sched_1"});

  pending.subscription_id.reset();  // the embedded ledger: nothing leaves the machine
  pending.next = {{"si_s", 1}, {"si_g", 1}};
  CHECK(domain::settle_period_end_group(world.deps, pending).outcome.kind == Kind::kApplied);
  CHECK(world.gateway.schedules.size() == 1);
}

TEST_CASE("a refused schedule is shown and retried hourly, keeping the schedule it had", "[billing]") {
  World world;
  world.gateway.answer = domain::Error{domain::ErrorCode::kUpstream, "No such subscription: 'sub_1'"};
  const domain::PendingPeriodEnd pending{.team = domain::TeamId{1},
                                         .subscription_id = "sub_1",
                                         .schedule_id = "sub_sched_1",
                                         .now = {{"si_g", 2}},
                                         .next = {{"si_g", 1}}};
  const auto outcome = domain::settle_period_end_group(world.deps, pending);
  CHECK(outcome.outcome.kind == Kind::kFailed);
  CHECK(outcome.outcome.error == "No such subscription: 'sub_1'");
  CHECK(outcome.outcome.next_attempt_at == world.clock.now() + 1h);
  CHECK(outcome.schedule_id == "sub_sched_1");
}

TEST_CASE("backoff doubles up to its cap", "[billing]") {
  CHECK(domain::backoff_delay(0, 0.999, 1s, 10min) < 1s);
  CHECK(domain::backoff_delay(4, 0.5, 1s, 10min) == 8s);
  CHECK(domain::backoff_delay(30, 0.5, 1s, 10min) == 5min);
}

TEST_CASE("the drift check queues a correction for each item out of step", "[billing]") {
  World world;
  world.outbox.teams = {domain::BilledTeam{
      domain::TeamId{7}, "sub_1", {{"si_s", {domain::Tier::kStarter, 2}}, {"si_g", {domain::Tier::kGrowth, 1}}}}};
  world.gateway.quantities = {{"si_s", 2}, {"si_g", 5}};
  const auto corrections = domain::check_billing_drift(world.deps);
  REQUIRE(corrections);
  CHECK(*corrections == 1);
  REQUIRE(world.outbox.resettled.size() == 1);
  CHECK(world.outbox.resettled[0] == std::pair{domain::TeamId{7}, domain::Tier::kGrowth});
}
