#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "adapters/postgres/pg_billing_outbox.hpp"
#include "adapters/stripe/stripe_billing_gateway.hpp"
#include "daemon/cli/cli.hpp"
#include "domain/use_cases/api_keys.hpp"
#include "fakes/in_memory.hpp"
#include "support/daemon_process.hpp"

#include <future>
#include <sstream>
#include <thread>
#include "support/fake_stripe.hpp"
#include "support/running_app.hpp"

using namespace leadstream;
using namespace std::chrono_literals;
using Fault = support::FakeStripe::Fault;

namespace {

adapters::stripe::StripeOptions options_for(const support::FakeStripe& stripe) {
  return adapters::stripe::StripeOptions{.base_url = stripe.base_url(),
                                         .api_key = "sk_test_123",
                                         .sleep = [](std::chrono::milliseconds) {},
                                         .unit_random = [] { return 0.5; }};
}

domain::QuantityUpdate update(int quantity, std::string key = "change-1") {
  return domain::QuantityUpdate{"si_starter", quantity, true, std::move(key)};
}

/// A team billed through Stripe with one starter account tracked: a starter change to settle.
struct StripeTeam {
  StripeTeam() {
    REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", "si_s", "si_g", "si_p"}));
    REQUIRE(running
                .request("POST", "/api/v2/streams", key, {{"Content-Type", "application/json"}},
                         R"({"pairs": [{"accountHandle": "a", "segment": {"description": "AI founders"}}]})")
                .status == 201);
  }

  support::RunningApp running{0};
  std::string key = running.new_team_key("acme");
  domain::TeamId team = running.app().teams().find_by_name("acme").value()->id;
};

}  // namespace

TEST_CASE("a quantity is set with a form POST, a pinned version and the change's key", "[stripe]") {
  support::FakeStripe stripe;
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  REQUIRE(gateway.set_quantity(update(3)));
  CHECK(stripe.quantity("si_starter") == 3);
  CHECK(stripe.applications() == std::map<std::string, int>{{"change-1", 1}});
}

TEST_CASE("transient failures are retried with the same key and applied once", "[stripe]") {
  for (const auto fault : {Fault::kServerError, Fault::kAppliedThenLost, Fault::kConflict, Fault::kRateLimited}) {
    support::FakeStripe stripe([fault](int n) { return n == 0 ? fault : Fault::kNone; });
    adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
    INFO("fault " << static_cast<int>(fault));
    REQUIRE(gateway.set_quantity(update(7)));
    CHECK(stripe.requests() == 2);
    CHECK(stripe.quantity("si_starter") == 7);
    CHECK(stripe.applications().at("change-1") == 1);
  }
}

TEST_CASE("a refusal is not retried and carries Stripe's status and codes, not its prose", "[stripe]") {
  support::FakeStripe stripe([](int) { return Fault::kRefused; });
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto refused = gateway.set_quantity(update(1));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kUpstream);
  // The message reaches tenants (billingError, 502 bodies); Stripe's words go to the log.
  CHECK(refused.error().message == "Stripe answered HTTP 400 (invalid_request_error, resource_missing).");
  CHECK(stripe.requests() == 1);
}

TEST_CASE("a call waiting to retry holds no lock: another call goes through meanwhile", "[stripe]") {
  support::FakeStripe stripe([](int n) { return n == 0 ? Fault::kServerError : Fault::kNone; });
  std::promise<void> waiting;
  std::promise<void> resume;
  auto options = options_for(stripe);
  options.sleep = [&, resume_future = resume.get_future().share()](std::chrono::milliseconds) {
    waiting.set_value();
    resume_future.wait();
  };
  adapters::stripe::StripeBillingGateway gateway(options);
  auto first = std::async(std::launch::async, [&] { return gateway.set_quantity(update(5, "change-1")); });
  waiting.get_future().wait();  // the first call failed once and waits to retry
  auto second = std::async(std::launch::async, [&] { return gateway.subscription("sub_1"); });
  const bool second_done = second.wait_for(5s) == std::future_status::ready;
  resume.set_value();
  CHECK(second_done);
  CHECK(second.get());
  CHECK(first.get());
  CHECK(stripe.quantity("si_starter") == 5);
}

TEST_CASE("after the last attempt a transient failure is left to the outbox", "[stripe]") {
  support::FakeStripe stripe([](int) { return Fault::kServerError; });
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto failed = gateway.set_quantity(update(1));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == domain::ErrorCode::kUnavailable);
  CHECK(stripe.requests() == 4);
  CHECK(stripe.quantity("si_starter") == 0);
}

namespace {

constexpr const char* kItems[] = {"si_starter", "si_growth", "si_pro"};
constexpr const char* kTiers[] = {"starter", "growth", "pro"};

// About 30% of Stripe calls fail, in every way a call can, deterministically.
Fault storm_fault(int n) {
  const auto roll = (static_cast<unsigned>(n) * 2654435761u) % 100;
  if (roll < 8) return Fault::kServerError;
  if (roll < 16) return Fault::kAppliedThenLost;
  if (roll < 23) return Fault::kConflict;
  if (roll < 30) return Fault::kRateLimited;
  return Fault::kNone;
}

}  // namespace

TEST_CASE("after a storm of 200 account changes with 30% of Stripe calls failing, Stripe matches",
          "[stripe][db][slow]") {
  support::FakeStripe stripe(storm_fault);
  // Upgrades confirm through the daemon's own gateway; the rest goes through the reconciler below.
  support::RunningApp running(0, [&](daemon::Config& config) {
    config.stripe_api_key = "sk_test_storm";
    config.stripe_base_url = stripe.base_url();
  });
  const auto key = running.new_team_key("acme");
  const auto team = running.app().teams().find_by_name("acme").value()->id;
  REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", kItems[0], kItems[1], kItems[2]}));

  fakes::ManualClock clock;
  adapters::postgres::PgBillingOutbox outbox(running.app().pool());
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  auto random = [n = 0]() mutable { return (n++ % 10) / 10.0; };
  const domain::ReconcileDeps deps{outbox, gateway, clock, random};
  const auto reconcile_once = [&] {
    REQUIRE(domain::reconcile_billing(deps));
    clock.advance(11min);  // past any backoff, and past the hourly retry of refusals
  };

  const adapters::http::Headers json{{"Content-Type", "application/json"}};
  const auto segment =
      boost::json::parse(
          running.request("POST", "/api/v2/segments", key, json, R"({"description": "AI founders"})").body)
          .at("id")
          .as_int64();
  std::vector<std::int64_t> accounts;
  // 150 new accounts, 20 a stream: as many new handles as one request may look up.
  for (int stream = 0; stream * 20 < 150; ++stream) {
    std::string pairs;
    for (int i = 0; i < 20 && stream * 20 + i < 150; ++i) {
      if (i > 0) pairs += ',';
      pairs += std::string(R"({"accountHandle": "h)") + std::to_string(stream * 20 + i) + R"(", "accountTier": ")" +
               kTiers[(stream + i) % 3] + R"(", "segmentId": )" + std::to_string(segment) + "}";
    }
    const auto created = running.request("POST", "/api/v2/streams", key, json, R"({"pairs": [)" + pairs + "]}");
    REQUIRE(created.status == 201);
    const auto body = boost::json::parse(created.body);  // alive for the loop
    for (const auto& a : body.at("accounts").as_array()) {
      accounts.push_back(a.at("accountId").as_int64());
    }
    reconcile_once();
  }
  const auto act = [&](std::size_t index, const std::string& action, const std::string& body) {
    const auto path = "/api/v2/accounts/" + std::to_string(accounts[index]) + action;
    REQUIRE(running.request("POST", path, key, json, body).status == 200);
    if (index % 7 == 0) reconcile_once();
  };
  for (std::size_t i = 0; i < 50; ++i) act(i, "/sleep", "{}");                               // 50 changes
  for (std::size_t i = 0; i < 25; ++i) act(i, "/wake", "{}");                                // 25 changes
  for (std::size_t i = 50; i < 80; ++i) act(i, "/change-tier", R"({"newTier": "growth"})");  // ups and downs
  for (int pass = 0; pass < 50 && !outbox.due(clock.now(), 10)->empty(); ++pass) reconcile_once();

  CHECK(outbox.due(clock.now(), 10)->empty());
  for (int tier = 0; tier < 3; ++tier) {
    INFO(kTiers[tier]);
    const auto desired = running.database().scalar(
        std::string("SELECT count(*) FROM tracked_accounts WHERE is_active AND tier = '") + kTiers[tier] + "'");
    CHECK(std::to_string(stripe.quantity(kItems[tier])) == desired);
  }
  for (const auto& [change_key, times] : stripe.applications()) {
    INFO(change_key);
    CHECK(times == 1);
  }
  CHECK(std::stoi(running.database().scalar("SELECT count(*) FROM billing_changes WHERE effective = 'now'")) >= 200);
  WARN("storm: " << running.database().scalar("SELECT count(*) FROM billing_changes") << " billing changes, "
                 << stripe.requests() << " Stripe requests, " << stripe.applications().size()
                 << " quantity updates applied");
  CHECK(stripe.requests() < 150);  // coalesced: a few updates per tier and pass, not one per change (~280)
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts WHERE billing_status <> 'ok'") == "0");
}

TEST_CASE("the daemon keeps Stripe in step: set-billing, add a handle, the quantity follows", "[stripe][db][slow]") {
  support::FakeStripe stripe;
  support::TestDatabase database;
  support::DaemonProcess daemon_process(
      database.url(), {"LEADSTREAM_STRIPE_API_KEY=sk_test_e2e", "LEADSTREAM_STRIPE_BASE_URL=" + stripe.base_url()});
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  const auto team = *app.teams().create("acme", "");
  const auto key = domain::issue_api_key(app.api_keys(), app.secrets(), team.id, "e2e")->plaintext;
  std::ostringstream out;
  std::ostringstream err;
  support::Environment environment({"LEADSTREAM_DATABASE_URL=" + database.url()});
  REQUIRE(daemon::run_cli({"teams", "set-billing", "--team", "acme", "--subscription", "sub_1", "--starter-item",
                           "si_s", "--growth-item", "si_g", "--pro-item", "si_p"},
                          environment.get(), out, err) == 0);

  adapters::http::CurlHttpClient client;
  const auto created =
      client.send({.method = "POST",
                   .url = daemon_process.base_url() + "/api/v2/streams",
                   .headers = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}},
                   .body = R"({"pairs": [{"accountHandle": "a", "accountTier": "growth",
                                               "segment": {"description": "AI founders"}},
                                              {"accountHandle": "b", "accountTier": "growth", "segmentId": 1}]})"});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  for (int i = 0; i < 100 && stripe.quantity("si_g") != 2; ++i) std::this_thread::sleep_for(100ms);
  CHECK(stripe.quantity("si_g") == 2);
  CHECK(stripe.quantity("si_s") == 0);
}

TEST_CASE("a quantity edited in Stripe's dashboard is put back by the drift check", "[stripe][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto team = running.app().teams().find_by_name("acme").value()->id;
  support::FakeStripe stripe;
  REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", "si_s", "si_g", "si_p"}));
  const adapters::http::Headers json{{"Content-Type", "application/json"}};
  REQUIRE(running
              .request("POST", "/api/v2/streams", key, json,
                       R"({"pairs": [{"accountHandle": "a", "segment": {"description": "AI founders"}}]})")
              .status == 201);

  fakes::ManualClock clock;
  adapters::postgres::PgBillingOutbox outbox(running.app().pool());
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const domain::ReconcileDeps deps{outbox, gateway, clock, [] { return 0.5; }};
  REQUIRE(domain::reconcile_billing(deps));
  REQUIRE(stripe.quantity("si_s") == 1);

  stripe.edit_quantity("si_s", 9);
  CHECK(*domain::check_billing_drift(deps) == 1);
  REQUIRE(domain::reconcile_billing(deps));
  CHECK(stripe.quantity("si_s") == 1);
  CHECK(*domain::check_billing_drift(deps) == 0);
}

TEST_CASE("an upgrade Stripe refuses is undone and answered 502 with Stripe's words", "[stripe][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto team = running.app().teams().find_by_name("acme").value()->id;
  const adapters::http::Headers json{{"Content-Type", "application/json"}};
  const auto created = boost::json::parse(
      running
          .request("POST", "/api/v2/streams", key, json,
                   R"({"pairs": [{"accountHandle": "a", "segment": {"description": "AI founders"}}]})")
          .body);
  const auto path =
      "/api/v2/accounts/" + std::to_string(created.at("accounts").as_array()[0].at("accountId").as_int64());
  // Billed through a Stripe the daemon has no key for: every call is refused.
  REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", "si_s", "si_g", "si_p"}));

  const auto refused = running.request("POST", path + "/change-tier", key, json, R"({"newTier": "pro"})");
  CHECK(refused.status == 502);
  CHECK(boost::json::parse(refused.body).at("error").as_string() == "upstream_error");
  // Our words for the tenant; the setting to fix is named in the operator's log only.
  CHECK(boost::json::parse(refused.body).at("message").as_string() ==
        "Billing through Stripe is not set up on this server: ask its operator.");
  const auto accounts = boost::json::parse(running.request("GET", "/api/v2/accounts", key).body);
  CHECK(accounts.at("active").as_array()[0].at("tier").as_string() == "starter");
}

TEST_CASE("a past-due subscription refuses new accounts with 403 subscription_required", "[stripe][db]") {
  support::FakeStripe stripe;
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto team = running.app().teams().find_by_name("acme").value()->id;
  REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", "si_s", "si_g", "si_p"}));
  fakes::ManualClock clock;
  adapters::postgres::PgBillingOutbox outbox(running.app().pool());
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  stripe.set_status("past_due");
  // A team mapped since the last reading is read on the worker's next pass, and then no more.
  const domain::ReconcileDeps deps{outbox, gateway, clock, [] { return 0.5; }};
  REQUIRE(domain::check_billing_drift(deps, /*only_unread=*/true));
  const auto requests = stripe.requests();
  CHECK(requests > 0);
  REQUIRE(domain::check_billing_drift(deps, /*only_unread=*/true));
  CHECK(stripe.requests() == requests);

  const auto refused =
      running.request("POST", "/api/v2/streams", key, {{"Content-Type", "application/json"}},
                      R"({"pairs": [{"accountHandle": "a", "segment": {"description": "AI founders"}}]})");
  CHECK(refused.status == 403);
  CHECK(boost::json::parse(refused.body).at("error").as_string() == "subscription_required");
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts") == "0");
  CHECK(boost::json::parse(running.request("GET", "/api/v2/me", key).body).at("subscriptionStatus").as_string() ==
        "past_due");
  CHECK(running.database().scalar("SELECT extract(epoch FROM current_period_end)::bigint FROM team_billing") ==
        "1893456000");
}

TEST_CASE("while Stripe answers, no transaction is open and the claimed changes are nobody else's", "[stripe][db]") {
  StripeTeam billed;
  auto& running = billed.running;
  const auto team = billed.team;
  adapters::postgres::PgBillingOutbox outbox(running.app().pool());
  adapters::postgres::PgBillingOutbox other_process(running.app().pool());
  fakes::ManualClock clock;
  // set-billing queued a resettle of each tier; the stream added a starter account.
  const auto due_starter = [&](domain::BillingOutbox& reader, domain::Timestamp at) {
    return std::ranges::count(*reader.due(at, 10), std::pair{team, domain::Tier::kStarter});
  };
  REQUIRE(due_starter(outbox, clock.now()) == 1);

  bool decided = false;
  const auto settled = outbox.settle(team, domain::Tier::kStarter, clock.now(), [&](const domain::PendingBilling&) {
    decided = true;
    // The rows are not locked: another session may lock them at once...
    pqxx::connection other(running.database().url());
    pqxx::work probe(other);
    CHECK_FALSE(probe.exec("SELECT id FROM billing_changes WHERE tier = 'starter' FOR UPDATE NOWAIT").empty());
    probe.abort();
    // ...but they are claimed: no other reconciler finds them due until the claim's lease ends.
    CHECK(due_starter(other_process, clock.now()) == 0);
    CHECK(due_starter(other_process, clock.now() + std::chrono::minutes{6}) == 1);
    CHECK(running.database().scalar("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                                    " AND datname = current_database()") == "0");
    return domain::BillingOutcome{domain::BillingOutcome::Kind::kApplied};
  });
  REQUIRE(settled);
  CHECK(decided);
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes WHERE tier = 'starter' AND effective = 'now'"
                                  " AND applied_at IS NULL") == "0");
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes WHERE claimed_by IS NOT NULL") == "0");
  CHECK(running.database().scalar("SELECT quantity FROM billing_quantities WHERE tier = 'starter'") == "1");
}

TEST_CASE("an outcome recorded after its claim was taken over is dropped", "[stripe][db]") {
  StripeTeam billed;
  auto& running = billed.running;
  const auto team = billed.team;
  adapters::postgres::PgBillingOutbox slow(running.app().pool());
  adapters::postgres::PgBillingOutbox other_process(running.app().pool());
  fakes::ManualClock clock;
  const auto settled = slow.settle(team, domain::Tier::kStarter, clock.now(), [&](const domain::PendingBilling&) {
    // Stripe took longer than the lease: another process claims and settles the rows.
    const auto later = clock.now() + std::chrono::minutes{6};
    REQUIRE(other_process.settle(team, domain::Tier::kStarter, later, [](const domain::PendingBilling&) {
      return domain::BillingOutcome{domain::BillingOutcome::Kind::kApplied};
    }));
    return domain::BillingOutcome{domain::BillingOutcome::Kind::kFailed, clock.now(), "too late"};
  });
  REQUIRE(settled);
  // The slow outcome did not overwrite the one that stands.
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes WHERE tier = 'starter' AND effective = 'now'"
                                  " AND applied_at IS NULL") == "0");
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts WHERE billing_status = 'ok'") == "1");
}

TEST_CASE("a period-end change is a subscription schedule: this period as it is, the next changed", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_starter", 1);
  stripe.edit_quantity("si_growth", 2);
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const std::map<std::string, int> now{{"si_starter", 1}, {"si_growth", 2}};
  auto scheduled = gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", std::nullopt, now, {{"si_starter", 2}, {"si_growth", 1}}, "pe-1"});
  REQUIRE(scheduled);
  CHECK(*scheduled == "sub_sched_1");
  CHECK(stripe.quantity("si_growth") == 2);  // nothing changes before the period ends
  CHECK(stripe.scheduled_quantity("si_growth") == 1);
  CHECK(stripe.scheduled_quantity("si_starter") == 2);

  // Rewritten in place while it runs; the same change again is a replay, not a second act.
  REQUIRE(gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", *scheduled, now, {{"si_starter", 3}, {"si_growth", 0}}, "pe-2"}));
  REQUIRE(gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", *scheduled, now, {{"si_starter", 3}, {"si_growth", 0}}, "pe-2"}));
  CHECK(stripe.applications().at("pe-2-phases") == 1);
  CHECK(stripe.scheduled_quantity("si_starter") == 3);

  stripe.end_period();
  CHECK(stripe.quantity("si_starter") == 3);
  CHECK(stripe.quantity("si_growth") == 0);
  CHECK_FALSE(stripe.scheduled_quantity("si_starter"));
}

TEST_CASE("a released schedule leaves the subscription as it is", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_growth", 2);
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto scheduled = gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", std::nullopt, {{"si_growth", 2}}, {{"si_growth", 1}}, "pe-1"});
  REQUIRE(scheduled);
  REQUIRE(gateway.release_schedule(*scheduled, "pe-2"));
  REQUIRE(gateway.release_schedule(*scheduled, "pe-3"));  // released already: nothing to do
  CHECK_FALSE(stripe.scheduled_quantity("si_growth"));
  stripe.end_period();
  CHECK(stripe.quantity("si_growth") == 2);
}

TEST_CASE("a downgrade is scheduled in Stripe for the period's end, follows later changes, and is cancelled",
          "[stripe][db]") {
  support::FakeStripe stripe;
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto team = running.app().teams().find_by_name("acme").value()->id;
  REQUIRE(running.app().teams().set_billing(team, domain::StripeBilling{"sub_1", "si_s", "si_g", "si_p"}));
  const adapters::http::Headers json{{"Content-Type", "application/json"}};
  const auto add = [&](const std::string& handle) {
    const auto created =
        running.request("POST", "/api/v2/streams", key, json,
                        R"({"pairs": [{"accountHandle": ")" + handle +
                            R"(", "accountTier": "growth", "segment": {"description": "AI founders"}}]})");
    REQUIRE(created.status == 201);
    return boost::json::parse(created.body).at("accounts").at(0).at("accountId").as_int64();
  };
  const auto first = add("a");
  add("b");
  fakes::ManualClock clock;
  adapters::postgres::PgBillingOutbox outbox(running.app().pool());
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const domain::ReconcileDeps deps{outbox, gateway, clock, [] { return 0.5; }};
  REQUIRE(domain::reconcile_billing(deps));
  REQUIRE(stripe.quantity("si_g") == 2);

  const auto change_tier = [&](const std::string& tier) {
    return boost::json::parse(running
                                  .request("POST", "/api/v2/accounts/" + std::to_string(first) + "/change-tier", key,
                                           json, R"({"newTier": ")" + tier + R"("})")
                                  .body);
  };
  CHECK(change_tier("starter").at("action").as_string() == "downgrade_scheduled");
  REQUIRE(domain::reconcile_billing(deps));
  CHECK(stripe.quantity("si_g") == 2);  // paid for until the period ends
  CHECK(stripe.quantity("si_s") == 0);
  CHECK(stripe.scheduled_quantity("si_g") == 1);
  CHECK(stripe.scheduled_quantity("si_s") == 1);
  CHECK(running.database().scalar("SELECT schedule_id FROM team_billing") == "sub_sched_1");

  // A handle added meanwhile is billed now, and the next period keeps it.
  add("c");
  REQUIRE(domain::reconcile_billing(deps));
  CHECK(stripe.quantity("si_g") == 3);
  CHECK(stripe.scheduled_quantity("si_g") == 2);
  CHECK(stripe.scheduled_quantity("si_s") == 1);

  // Back to its tier: nothing is scheduled any more, the schedule is released.
  CHECK(change_tier("growth").at("action").as_string() == "pending_cancelled");
  REQUIRE(domain::reconcile_billing(deps));
  CHECK_FALSE(stripe.scheduled_quantity("si_g"));
  CHECK(running.database().scalar("SELECT coalesce(schedule_id, 'none') FROM team_billing") == "none");
  stripe.end_period();
  CHECK(stripe.quantity("si_g") == 3);
  CHECK(stripe.quantity("si_s") == 0);
}

namespace {

const std::map<std::string, int> kNow{{"si_starter", 1}, {"si_growth", 2}};
const std::map<std::string, int> kNext{{"si_starter", 2}, {"si_growth", 1}};

}  // namespace

TEST_CASE("a schedule keeps every item of the subscription and charges nothing now", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_starter", 1);
  stripe.edit_quantity("si_growth", 2);
  stripe.edit_quantity("si_addon", 3);  // sold by hand: no tier of ours
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto scheduled =
      gateway.schedule_period_end(domain::PeriodEndChange{"sub_1", std::nullopt, kNow, kNext, "pe-1"});
  REQUIRE(scheduled);
  CHECK(stripe.scheduled_quantity("si_addon") == 3);
  CHECK(stripe.scheduled_quantity("si_growth") == 1);
  const auto form = stripe.last_form("/v1/subscription_schedules/" + *scheduled);
  CHECK(form.at("proration_behavior") == "none");  // the request's own, for rewriting the phases
  CHECK(form.at("phases[0][items][0][price]") == "price_si_addon");
  CHECK(form.at("phases[0][items][0][quantity]") == "3");
  stripe.end_period();
  CHECK(stripe.quantity("si_addon") == 3);
  CHECK(stripe.quantity("si_growth") == 1);
}

TEST_CASE("a schedule the subscription already follows is adopted, not made again", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_growth", 2);
  const auto existing = stripe.attach_schedule("active");
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  SECTION("when the change names none") {
    const auto scheduled = gateway.schedule_period_end(
        domain::PeriodEndChange{"sub_1", std::nullopt, {{"si_growth", 2}}, {{"si_growth", 1}}, "pe-1"});
    REQUIRE(scheduled);
    CHECK(*scheduled == existing);
  }
  SECTION("when the one it names is gone") {
    const auto scheduled = gateway.schedule_period_end(
        domain::PeriodEndChange{"sub_1", "sub_sched_404", {{"si_growth", 2}}, {{"si_growth", 1}}, "pe-1"});
    REQUIRE(scheduled);
    CHECK(*scheduled == existing);
  }
  CHECK(stripe.scheduled_quantity("si_growth") == 1);
  CHECK(stripe.last_form("/v1/subscription_schedules").empty());  // no from_subscription
}

TEST_CASE("a schedule that has not started takes the subscription's period for its first phase", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_growth", 2);
  stripe.period_on_items_only(true);  // and that period is read where versions from 2025-03-31 put it
  const auto existing = stripe.attach_schedule("not_started");
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto scheduled = gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", existing, {{"si_growth", 2}}, {{"si_growth", 1}}, "pe-1"});
  REQUIRE(scheduled);
  CHECK(stripe.scheduled_quantity("si_growth") == 1);
  CHECK(stripe.last_form("/v1/subscription_schedules/" + existing).at("phases[0][start_date]") == "1890777600");
}

TEST_CASE("a key Stripe saw with other parameters is replaced by one derived from the new ones", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_starter", 1);
  stripe.edit_quantity("si_growth", 2);
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const domain::PeriodEndChange change{"sub_1", std::nullopt, kNow, kNext, "pe-1"};
  REQUIRE(gateway.schedule_period_end(change));
  stripe.edit_quantity("si_growth", 4);  // the current period moved on while the change waited
  const auto again = gateway.schedule_period_end(change);
  REQUIRE(again);
  const auto applications = stripe.applications();
  CHECK(applications.at("pe-1-phases") == 1);
  CHECK(std::ranges::count_if(applications, [](const auto& entry) {
          return entry.first.starts_with("pe-1-phases-") && entry.second == 1;
        }) == 1);
  // The same again is a replay under the derived key, not a third change.
  REQUIRE(gateway.schedule_period_end(change));
  CHECK(stripe.applications().size() == applications.size());
}

TEST_CASE("every call sends the pinned API version, and the period is read from the items too", "[stripe]") {
  support::FakeStripe stripe;
  stripe.edit_quantity("si_growth", 2);
  stripe.period_on_items_only(true);
  adapters::stripe::StripeBillingGateway gateway(options_for(stripe));
  const auto state = gateway.subscription("sub_1");
  REQUIRE(state);
  REQUIRE(state->current_period_end);
  CHECK(state->current_period_end->time_since_epoch() == std::chrono::seconds{1'893'456'000});
  REQUIRE(gateway.set_quantity(update(3)));
  REQUIRE(gateway.schedule_period_end(
      domain::PeriodEndChange{"sub_1", std::nullopt, {{"si_growth", 2}}, {{"si_growth", 1}}, "pe-1"}));
  const auto received = stripe.received();
  REQUIRE(received.size() >= 4);
  for (const auto& request : received) CHECK(request.header("stripe-version") == "2024-06-20");
}
