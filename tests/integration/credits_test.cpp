#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_credit_ledger.hpp"
#include "daemon/app.hpp"
#include "support/api_client.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

using support::json_of;

domain::Timestamp in(std::chrono::seconds from_now) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now() + from_now);
}

}  // namespace

TEST_CASE("credits: of many enrichments racing for the last credits, exactly as many win as there are credits",
          "[credits][db]") {
  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  const auto team = app.teams().create("acme", "")->id;
  adapters::postgres::ConnectionPool pool(database.url(), 8);
  adapters::postgres::PgCreditLedger ledger(pool);
  REQUIRE(ledger.grant(team, 5, "test"));

  std::atomic<int> won = 0, exhausted = 0;
  std::vector<std::thread> racers;
  for (int i = 0; i < 16; ++i) {
    racers.emplace_back([&] {
      const auto hold = ledger.hold(team, 1, "race", in(60s));
      if (hold) ++won;
      if (!hold && hold.error().code == domain::ErrorCode::kCreditsExhausted) ++exhausted;
    });
  }
  for (auto& racer : racers) racer.join();
  CHECK(won == 5);
  CHECK(exhausted == 11);
  CHECK(*ledger.balance(team) == 0);
  CHECK(database.scalar("SELECT min(s) FROM (SELECT sum(delta) OVER (ORDER BY id) AS s FROM credit_ledger) t") == "0");
}

TEST_CASE("credits: settled for what was found, the rest released; a hold outliving its lease goes back",
          "[credits][db]") {
  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  const auto team = app.teams().create("acme", "")->id;
  const auto other = app.teams().create("globex", "")->id;
  adapters::postgres::ConnectionPool pool(database.url(), 2);
  adapters::postgres::PgCreditLedger ledger(pool);
  REQUIRE(ledger.grant(team, 10, "test"));

  const auto settled = ledger.hold(team, 4, "enrich @jane", in(60s));
  REQUIRE(settled);
  CHECK(*ledger.balance(team) == 6);
  CHECK_FALSE(ledger.settle(other, *settled, 1, "wrong team"));  // another team's hold is not found
  CHECK(*ledger.settle(team, *settled, 1, "enrich @jane") == 9);
  CHECK(ledger.settle(team, *settled, 1, "again").error().code == domain::ErrorCode::kGone);

  // The process died mid-enrichment: its hold stays until the sweep after its lease.
  const auto orphan = ledger.hold(team, 3, "enrich @bob", in(1s));
  REQUIRE(orphan);
  CHECK(*ledger.balance(team) == 6);
  CHECK(*ledger.release_expired(in(0s)) == 0);
  CHECK(*ledger.release_expired(in(2s)) == 1);
  CHECK(*ledger.balance(team) == 9);
  CHECK(ledger.settle(team, *orphan, 3, "too late").error().code == domain::ErrorCode::kGone);
  CHECK(*ledger.balance(team) == 9);

  const auto moves = *ledger.history(team, 10);
  std::vector<std::string> kinds;
  for (const auto& move : moves) kinds.push_back(move.kind + " " + std::to_string(move.delta));
  CHECK(kinds == std::vector<std::string>{"release 3", "hold -3", "settle -1", "release 4", "hold -4", "grant 10"});
  CHECK(moves[0].hold_id == orphan->id);
  CHECK(moves[0].reason == "lease ran out");
  CHECK(*ledger.charged_since(team, in(-60s)) == 1);
  CHECK(ledger.history(other, 10)->empty());
}

TEST_CASE("enrich: a lead's LinkedIn URL and email from its own profile, free, on the lead and in /me's ledger",
          "[enrichment][http][db]") {
  support::RunningApp running(0, [](daemon::Config& config) { config.follower_source = "synthetic:300"; });
  running.start_run_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto created = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook",
      "accountTier": "starter", "segment": {"description": "AI founders building developer tools"}}]})");
  REQUIRE(created.status == 201);
  const auto stream = json_of(created).at("id").as_int64();
  REQUIRE(client.post("/api/v2/streams/" + std::to_string(stream) + "/run").status == 202);
  std::string lead;
  for (int i = 0; i < 500 && lead.empty(); ++i) {
    lead = running.database().scalar("SELECT min(id) FROM leads");
    if (lead.empty()) std::this_thread::sleep_for(20ms);
  }
  REQUIRE_FALSE(lead.empty());
  running.database().scalar(
      "UPDATE followers SET url = 'https://de.linkedin.com/in/Jane-Doe/', bio = bio || ' mail: Jane@Doe.dev'"
      " WHERE x_user_id = (SELECT x_user_id FROM leads WHERE id = " +
      lead + ") RETURNING 1");
  const auto path = "/api/v2/leads/" + lead + "/enrich";

  const auto enriched = client.post(path, R"({"requested_outputs": ["linkedin_url", "email"]})");
  REQUIRE(enriched.status == 200);
  const auto body = json_of(enriched);
  CHECK(body.at("leadId").as_int64() == std::stoll(lead));
  CHECK(body.at("result").at("kind") == "resolved");
  CHECK(body.at("result").at("linkedin").at("url") == "https://www.linkedin.com/in/jane-doe");
  CHECK(body.at("result").at("email").at("address") == "jane@doe.dev");
  CHECK(body.at("result").at("email").at("status") == "unverified");
  CHECK(body.at("credits_remaining") == 0);
  CHECK(body.at("credits_charged") == 0);
  CHECK(body.at("contact_routes").as_array().size() == 2);

  const auto listed = json_of(client.get("/api/v2/leads?limit=500")).at("leads").as_array();
  const auto shown =
      std::ranges::find_if(listed, [&](const auto& l) { return l.at("id").as_int64() == std::stoll(lead); });
  REQUIRE(shown != listed.end());
  CHECK(shown->at("enrichment").at("linkedinUrl") == "https://www.linkedin.com/in/jane-doe");
  CHECK(shown->at("enrichment").at("email") == "jane@doe.dev");

  // Only the email, and only verified ones: the profile's address is nobody's verified one.
  const auto verified = json_of(client.post(path, R"({"requested_outputs": ["email"], "email_mode": "verified"})"));
  CHECK(verified.at("result").at("kind") == "not_found");
  CHECK(verified.at("result").at("linkedin").is_null());

  for (const auto* bad : {R"({})", R"({"requested_outputs": []})", R"({"requested_outputs": ["fax"]})",
                          R"({"requested_outputs": ["email"], "email_mode": "sometimes"})"}) {
    const auto refused = client.post(path, bad);
    CHECK(refused.status == 400);
    CHECK(json_of(refused).at("error") == "invalid_request");
  }
  support::ApiClient stranger{running, running.new_team_key("globex")};
  const auto foreign = stranger.post(path, R"({"requested_outputs": ["email"]})");
  CHECK(foreign.status == 404);
  CHECK(json_of(foreign).at("error") == "lead_not_found");
  CHECK(client.post("/api/v2/leads/999999/enrich", R"({"requested_outputs": ["email"]})").status == 404);
  CHECK(running.database().scalar("SELECT count(*) FROM enrichments") == "1");

  REQUIRE(running.database().scalar("INSERT INTO credit_ledger (team_id, delta, kind, reason) SELECT id, 7, 'grant', "
                                    "'welcome' FROM teams WHERE name = 'acme' RETURNING 1") == "1");
  std::this_thread::sleep_for(600ms);  // /me's cache
  const auto me = json_of(client.get("/api/v2/me"));
  CHECK(me.at("credits").at("balance") == 7);
  CHECK(me.at("credits").at("recent").at(0).at("kind") == "grant");
  CHECK(me.at("credits").at("recent").at(0).at("reason") == "welcome");
}
