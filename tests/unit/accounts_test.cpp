#include <catch2/catch.hpp>

#include "domain/rules/billing_period.hpp"
#include "domain/use_cases/accounts.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_campaigns.hpp"

using namespace leadstream;
using domain::BillingEffect;
using domain::Tier;
using domain::TierAction;

namespace {

const domain::TeamId kTeam{1};

struct World {
  World() {
    const auto created = domain::create_stream(
        deps, kTeam,
        domain::StreamRequest{
            {},
            {domain::PairRequest{domain::AccountRef{.handle = "acct", .tier = Tier::kGrowth},
                                 domain::SegmentRef{.draft = domain::SegmentDraft{.description = "founders"}}}}});
    REQUIRE(created);
    account = created->accounts[0].id;
  }
  const domain::TrackedAccount& stored() const { return campaigns.state().accounts.front(); }

  fakes::InMemoryCampaigns campaigns;
  fakes::ScriptedFollowerSource handles;
  fakes::FixedTimeZones zones;
  fakes::ManualClock clock;
  domain::CampaignDeps deps{campaigns, handles, zones, clock};
  domain::AccountId account;
};

}  // namespace

TEST_CASE("billing periods are UTC calendar months", "[accounts]") {
  using namespace std::chrono;
  const domain::Timestamp mid_november = sys_days{2026y / November / 23} + 20h;
  CHECK(domain::billing_period_start(mid_november) == domain::Timestamp{sys_days{2026y / November / 1}});
  CHECK(domain::billing_period_end(mid_november) == domain::Timestamp{sys_days{2026y / December / 1}});
  const domain::Timestamp late_december = sys_days{2026y / December / 31} + 23h;
  CHECK(domain::billing_period_end(late_december) == domain::Timestamp{sys_days{2027y / January / 1}});
}

TEST_CASE("sleep and wake move the tier's quantity now, and repeat harmlessly", "[accounts]") {
  World world;
  const auto slept = domain::sleep_account(world.deps, world.clock, kTeam, world.account);
  REQUIRE(slept);
  CHECK_FALSE(world.stored().is_active);
  REQUIRE(slept->billing_deltas.size() == 1);
  CHECK(slept->billing_deltas[0].change == -1);
  CHECK(slept->billing_deltas[0].quantity == 0);

  const auto again = domain::sleep_account(world.deps, world.clock, kTeam, world.account);
  REQUIRE(again);
  CHECK(again->billing_deltas.empty());

  const auto woken = domain::wake_account(world.deps, kTeam, world.account);
  REQUIRE(woken);
  CHECK(world.stored().is_active);
  CHECK(woken->billing_deltas[0].quantity == 1);
  CHECK(world.campaigns.state().billing_changes.size() == 3);  // added, slept, woken
}

TEST_CASE("an upgrade applies now; a downgrade waits for the period's end", "[accounts]") {
  World world;
  const auto upgraded = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kPro);
  REQUIRE(upgraded);
  CHECK(upgraded->action == TierAction::kUpgraded);
  CHECK(world.stored().tier == Tier::kPro);
  REQUIRE(upgraded->change.billing_deltas.size() == 2);
  CHECK(upgraded->change.billing_deltas[0].tier == Tier::kGrowth);
  CHECK(upgraded->change.billing_deltas[0].quantity == 0);
  CHECK(upgraded->change.billing_deltas[1].tier == Tier::kPro);
  CHECK(upgraded->change.billing_deltas[1].quantity == 1);
  CHECK(upgraded->change.billing_deltas[1].effect == BillingEffect::kNow);

  const auto downgraded = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kStarter);
  REQUIRE(downgraded);
  CHECK(downgraded->action == TierAction::kDowngradeScheduled);
  CHECK(world.stored().tier == Tier::kPro);  // still, until the period ends
  CHECK(world.stored().pending_tier == Tier::kStarter);
  CHECK(downgraded->effective_at == domain::billing_period_end(world.clock.now()));
  CHECK(downgraded->change.billing_deltas[0].effect == BillingEffect::kPeriodEnd);
  CHECK(downgraded->change.billing_deltas[0].quantity == 0);  // pro at period end
  CHECK(downgraded->change.billing_deltas[1].quantity == 1);  // starter at period end

  const auto cancelled = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kPro);
  REQUIRE(cancelled);
  CHECK(cancelled->action == TierAction::kPendingCancelled);
  CHECK_FALSE(world.stored().pending_tier);
  CHECK(cancelled->change.billing_deltas[0].quantity == 1);  // pro at period end again

  const auto unchanged = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kPro);
  REQUIRE(unchanged);
  CHECK(unchanged->action == TierAction::kUnchanged);
  CHECK(unchanged->change.billing_deltas.empty());
}

TEST_CASE("a sleeping account must be woken before a tier change", "[accounts]") {
  World world;
  REQUIRE(domain::sleep_account(world.deps, world.clock, kTeam, world.account));
  const auto refused = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kPro);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kInvalidRequest);
  CHECK(refused.error().message == "Wake this account first to change its tier.");
  CHECK(world.stored().tier == Tier::kGrowth);
}

TEST_CASE("another team's account is not found by any action", "[accounts]") {
  World world;
  const domain::TeamId stranger{9};
  CHECK(domain::sleep_account(world.deps, world.clock, stranger, world.account).error().code ==
        domain::ErrorCode::kNotFound);
  CHECK(domain::wake_account(world.deps, stranger, world.account).error().code == domain::ErrorCode::kNotFound);
  CHECK(domain::change_tier(world.deps, world.clock, stranger, world.account, Tier::kPro).error().code ==
        domain::ErrorCode::kNotFound);
  CHECK(world.stored().is_active);
}

TEST_CASE("without an active subscription nothing may add quantity", "[accounts][billing]") {
  World world;
  REQUIRE(domain::sleep_account(world.deps, world.clock, kTeam, world.account));
  world.campaigns.set_subscription_status("past_due");

  const auto wake = domain::wake_account(world.deps, kTeam, world.account);
  REQUIRE_FALSE(wake);
  CHECK(wake.error().code == domain::ErrorCode::kSubscriptionRequired);
  CHECK_FALSE(world.stored().is_active);

  const auto track = domain::create_stream(
      world.deps, kTeam,
      domain::StreamRequest{
          {},
          {domain::PairRequest{domain::AccountRef{.handle = "newcomer"},
                               domain::SegmentRef{.draft = domain::SegmentDraft{.description = "founders"}}}}});
  REQUIRE_FALSE(track);
  CHECK(track.error().code == domain::ErrorCode::kSubscriptionRequired);
  CHECK(world.campaigns.state().accounts.size() == 1);

  world.campaigns.set_subscription_status("trialing");
  CHECK(domain::wake_account(world.deps, kTeam, world.account));
  world.campaigns.set_subscription_status("canceled");
  CHECK(domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kPro).error().code ==
        domain::ErrorCode::kSubscriptionRequired);
  // Taking quantity away is always allowed.
  CHECK(domain::sleep_account(world.deps, world.clock, kTeam, world.account));
}

TEST_CASE("a scheduled downgrade applies when its period ends, not before", "[accounts][billing]") {
  World world;
  REQUIRE(domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kStarter));
  CHECK(*domain::apply_due_downgrades(world.deps, world.clock) == 0);
  CHECK(world.stored().tier == Tier::kGrowth);

  world.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*world.stored().pending_tier_effective_at -
                                                                            world.clock.now()));
  CHECK(*domain::apply_due_downgrades(world.deps, world.clock) == 1);
  CHECK(world.stored().tier == Tier::kStarter);
  CHECK_FALSE(world.stored().pending_tier);
  const auto& changes = world.campaigns.state().billing_changes;
  CHECK(changes[changes.size() - 2].tier == Tier::kGrowth);
  CHECK(changes[changes.size() - 2].quantity == 0);
  CHECK(changes.back().tier == Tier::kStarter);
  CHECK(changes.back().quantity == 1);
  CHECK(changes.back().effect == domain::BillingEffect::kNow);
  CHECK(*domain::apply_due_downgrades(world.deps, world.clock) == 0);
}

TEST_CASE("a downgrade waits for the subscription's own period end when it is known", "[accounts][billing]") {
  World world;
  const auto stripe_period_end = world.clock.now() + std::chrono::hours{24 * 9};
  world.campaigns.set_period_end(stripe_period_end);
  const auto downgraded = domain::change_tier(world.deps, world.clock, kTeam, world.account, Tier::kStarter);
  REQUIRE(downgraded);
  CHECK(downgraded->effective_at == stripe_period_end);
}
