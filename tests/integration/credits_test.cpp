#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_credit_ledger.hpp"
#include "adapters/postgres/pg_lead_store.hpp"
#include "daemon/app.hpp"
#include "domain/rules/text.hpp"
#include "support/api_client.hpp"
#include "support/fake_http_server.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

using support::json_of;

/// Runs a stream of @yongfook for AI devtools founders; the id of its first lead.
std::string first_lead(support::RunningApp& running, support::ApiClient& client) {
  const auto created = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook",
      "accountTier": "starter", "segment": {"description": "AI founders building developer tools"}}]})");
  REQUIRE(created.status == 201);
  REQUIRE(client.post("/api/v2/streams/" + std::to_string(json_of(created).at("id").as_int64()) + "/run").status ==
          202);
  std::string lead;
  for (int i = 0; i < 500 && lead.empty(); ++i) {
    lead = running.database().scalar("SELECT min(id) FROM leads");
    if (lead.empty()) std::this_thread::sleep_for(20ms);
  }
  REQUIRE_FALSE(lead.empty());
  return lead;
}

domain::Timestamp in(std::chrono::seconds from_now) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now() + from_now);
}

/// A migrated database with team "acme" and the ledger over a pool of `connections`.
struct LedgerWorld {
  explicit LedgerWorld(std::size_t connections) : pool(database.url(), connections), ledger(pool) {}

  support::TestDatabase database;
  daemon::App app{[this] {
    daemon::Config config;
    config.database_url = database.url();
    return config;
  }()};
  domain::TeamId team = app.teams().create("acme", "")->id;
  adapters::postgres::ConnectionPool pool;
  adapters::postgres::PgCreditLedger ledger;
};

}  // namespace

TEST_CASE("credits: of many enrichments racing for the last credits, exactly as many win as there are credits",
          "[credits][db]") {
  LedgerWorld world(8);
  const auto& database = world.database;
  const auto team = world.team;
  auto& ledger = world.ledger;
  REQUIRE(ledger.grant(team, 5, "test"));

  std::atomic<int> won = 0, exhausted = 0;
  std::vector<std::thread> racers;
  for (int i = 0; i < 16; ++i) {
    racers.emplace_back([&] {
      const auto hold = ledger.hold(team, 1, "race", in(60s), std::nullopt);
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
  LedgerWorld world(2);
  const auto team = world.team;
  auto& ledger = world.ledger;
  const auto other = world.app.teams().create("globex", "")->id;
  REQUIRE(ledger.grant(team, 10, "test"));

  const auto settled = ledger.hold(team, 4, "enrich @jane", in(60s), std::nullopt);
  REQUIRE(settled);
  CHECK(*ledger.balance(team) == 6);
  CHECK_FALSE(ledger.settle(other, *settled, 1, "wrong team"));  // another team's hold is not found
  CHECK(*ledger.settle(team, *settled, 1, "enrich @jane") == 9);
  CHECK(ledger.settle(team, *settled, 1, "again").error().code == domain::ErrorCode::kGone);

  // The process died mid-enrichment: its hold stays until the sweep after its lease.
  const auto orphan = ledger.hold(team, 3, "enrich @bob", in(1s), std::nullopt);
  REQUIRE(orphan);
  CHECK(*ledger.balance(team) == 6);
  CHECK(*ledger.committed_since(team, in(-60s)) == 4);  // settled 1, held 3: what a budget counts
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
  CHECK(*ledger.committed_since(team, in(-60s)) == 1);
  CHECK(ledger.history(other, 10)->empty());
}

TEST_CASE("enrich: what is saved of a person merges with what is known, so two enrichments at once keep both finds",
          "[enrichment][db]") {
  LedgerWorld world(2);
  adapters::postgres::PgLeadStore store(world.pool);
  const auto saved = [&](const domain::Enrichment& found) {
    REQUIRE(store.save_enrichment(world.team, "42", found));
    return store.enrichments(world.team, {"42"})->at("42");
  };
  const domain::FoundLinkedin linkedin{"https://www.linkedin.com/in/jane", 0.9};
  const domain::FoundEmail verified{"jane@acme.com", "verified", "provider", 0.88};
  const domain::FoundEmail unverified{"jane@gmail.com", "unverified", "profile", 0.9};

  saved({.linkedin = linkedin});
  auto known = saved({.email = verified, .phone = "+1-415-555-0192"});  // another enrichment, not knowing the first
  CHECK(known.linkedin == linkedin);
  CHECK(known.email == verified);
  known = saved({.email = unverified});  // no downgrade of a verified address
  CHECK(known.email == verified);
  CHECK(known.phone == "+1-415-555-0192");
  const domain::FoundLinkedin newer{"https://www.linkedin.com/in/jane-doe", 0.95};
  known = saved({.linkedin = newer, .email = domain::FoundEmail{"jane@newco.com", "verified", "provider", 0.9}});
  CHECK(known.linkedin == newer);
  CHECK(known.email->address == "jane@newco.com");
}

TEST_CASE("enrich: a lead's LinkedIn URL and email from its own profile, free, on the lead and in /me's ledger",
          "[enrichment][http][db]") {
  support::RunningApp running(0, [](daemon::Config& config) { config.follower_source = "synthetic:300"; });
  running.start_run_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto lead = first_lead(running, client);
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

  // A lead whose follower row is gone (a partial restore): 404 profile_missing, to its team
  // only, and nothing held.
  running.database().scalar("DELETE FROM followers f USING leads l WHERE l.id = " + lead +
                            " AND f.account_id = l.account_id AND f.x_user_id = l.x_user_id RETURNING 1");
  const auto missing = client.post(path, R"({"requested_outputs": ["email"]})");
  CHECK(missing.status == 404);
  CHECK(json_of(missing).at("error") == "profile_missing");
  CHECK(json_of(stranger.post(path, R"({"requested_outputs": ["email"]})")).at("error") == "lead_not_found");
  CHECK(running.database().scalar("SELECT count(*) FROM credit_holds") == "0");
}

namespace {

/// A contact-data provider on loopback speaking seed 000's run/poll protocol: each run is
/// pending on its first poll and done on the next; it finds a deliverable work email and
/// a LinkedIn URL for every contact, unless told to answer an error first.
class FakeProvider {
 public:
  FakeProvider() : server_([this](const api::Request& request) { return answer(request); }, 4) {}

  std::string base_url() const { return server_.base_url(); }
  std::vector<api::Request> requests() const { return server_.requests(); }

  std::mutex mutex;
  std::vector<api::Response> errors_first;  // answered, in order, before anything else

 private:
  api::Response answer(const api::Request& request) {
    std::lock_guard lock(mutex);
    if (!errors_first.empty()) {
      auto error = errors_first.front();
      errors_first.erase(errors_first.begin());
      return error;
    }
    if (request.header("authorization") != "Bearer provider-key") {
      return {401, {}, "application/json", R"({"error": {"code": "invalid_key", "message": "no"}})"};
    }
    if (request.method == "POST" && request.path() == "/v1/enrich") {
      const auto body = boost::json::parse(request.body).as_object();
      const auto id = "run-" + std::to_string(runs_.size() + 1);
      runs_[id] = {std::string(body.at("want").as_string()), body.at("contacts").as_array(), 0};
      return {202,
              {},
              "application/json",
              boost::json::serialize(boost::json::object{{"run_id", id},
                                                         {"status", "pending"},
                                                         {"contacts_total", body.at("contacts").as_array().size()},
                                                         {"credits_held", body.at("contacts").as_array().size()}})};
    }
    const auto path = std::string(request.path());
    if (request.method == "GET" && path.starts_with("/v1/runs/") && runs_.contains(path.substr(9))) {
      auto& run = runs_[path.substr(9)];
      if (run.polls++ == 0) return {200, {}, "application/json", R"({"status": "running"})"};
      boost::json::array results;
      for (const auto& contact : run.contacts) {
        const auto handle = std::string(contact.at("x_handle").as_string());
        const auto email = run.want == "work_email";
        results.push_back({{"index", contact.at("index")},
                           {"status", "found"},
                           {"contact",
                            {{"type", run.want},
                             {"value", email ? handle + "@acme.com" : "https://linkedin.com/in/" + handle},
                             {"status", "deliverable"},
                             {"confidence", 0.88}}}});
      }
      return {200,
              {},
              "application/json",
              boost::json::serialize(
                  boost::json::object{{"status", "done"}, {"credits_charged", results.size()}, {"results", results}})};
    }
    return {404, {}, "application/json", R"({"error": {"code": "not_found", "message": "no such route"}})"};
  }

  struct Run {
    std::string want;
    boost::json::array contacts;
    int polls = 0;
  };
  std::map<std::string, Run> runs_;
  support::FakeHttpServer server_;
};

/// A daemon with `followers` synthetic followers per account that enriches through
/// `provider`, polling and waiting briefly.
std::function<void(daemon::Config&)> with_provider(const FakeProvider& provider, int followers) {
  return [&provider, followers](daemon::Config& config) {
    config.follower_source = "synthetic:" + std::to_string(followers);
    config.enrich_base_url = provider.base_url();
    config.enrich_api_key = "provider-key";
    config.enrich_settings.poll_interval = 10ms;
    config.enrich_settings.max_wait = 50ms;
  };
}

}  // namespace

TEST_CASE("enrich: the provider for what the profile lacks, paid only for what it finds; its refusals typed",
          "[enrichment][http][db]") {
  FakeProvider provider;
  support::RunningApp running(0, [&](daemon::Config& config) {
    with_provider(provider, 300)(config);
    config.enrich_settings.max_wait = 2s;  // the provider's retry_after_seconds of 1 is waited in full
  });
  running.start_run_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto lead = first_lead(running, client);
  const auto handle = running.database().scalar(
      "SELECT f.handle FROM leads l JOIN followers f ON f.account_id = l.account_id AND f.x_user_id = l.x_user_id"
      " WHERE l.id = " +
      lead);
  running.database().scalar("UPDATE followers SET url = 'https://linkedin.com/in/" + handle + "' WHERE handle = '" +
                            handle + "' RETURNING 1");
  const auto lower = domain::lower(handle);
  const auto path = "/api/v2/leads/" + lead + "/enrich";
  const auto both = R"({"requested_outputs": ["linkedin_url", "email"], "email_mode": "verified"})";
  const auto balance = [&] {
    return running.database().scalar("SELECT sum(delta) FROM credit_ledger l JOIN teams t ON t.id = l.team_id"
                                     " WHERE t.name = 'acme'");
  };

  // No credits: the provider is not asked, and nothing changes.
  const auto broke = client.post(path, both);
  CHECK(broke.status == 429);
  CHECK(json_of(broke).at("error") == "credits_exhausted");
  CHECK(provider.requests().empty());

  running.database().scalar("INSERT INTO credit_ledger (team_id, delta, kind, reason) SELECT id, 5, 'grant', 'test'"
                            " FROM teams WHERE name = 'acme' RETURNING 1");
  {
    std::lock_guard lock(provider.mutex);
    provider.errors_first = {{429,
                              {},
                              "application/json",
                              R"({"error": {"code": "rate_limited", "message": "slow"}, "retry_after_seconds": 0})"}};
  }
  const auto enriched = client.post(path, both);
  REQUIRE(enriched.status == 200);
  const auto body = json_of(enriched);
  CHECK(body.at("result").at("kind") == "resolved");
  const auto text = [](const boost::json::value& value) { return std::string(value.as_string()); };
  CHECK(text(body.at("result").at("linkedin").at("url")) == "https://www.linkedin.com/in/" + lower);  // the profile's
  CHECK(text(body.at("result").at("email").at("address")) == lower + "@acme.com");
  CHECK(body.at("result").at("email").at("status") == "verified");
  CHECK(body.at("result").at("email").at("provider") == "provider");
  CHECK(body.at("credits_charged") == 1);
  CHECK(body.at("credits_remaining") == 4);
  CHECK(balance() == "4");
  // Only the email was asked for (the profile had the LinkedIn URL), under our key, with the
  // person's handle; the 429 was waited out and the request sent again.
  const auto requests = provider.requests();
  const auto submits = std::ranges::count_if(requests, [](const auto& r) { return r.method == "POST"; });
  CHECK(submits == 2);
  const auto submitted = boost::json::parse(requests.back().method == "POST" ? requests.back().body : requests[1].body);
  CHECK(submitted.at("want") == "work_email");
  CHECK(text(submitted.at("contacts").at(0).at("x_handle")) == handle);

  // The provider still limiting after 4 retries, each waited out as it asked: 503 with its
  // wait as Retry-After, and the hold goes back whole.
  running.database().scalar("DELETE FROM enrichments RETURNING 1");
  const auto requests_before = provider.requests().size();
  {
    std::lock_guard lock(provider.mutex);
    const api::Response limited{429,
                                {},
                                "application/json",
                                R"({"error": {"code": "rate_limited", "message": "slow"}, "retry_after_seconds": 1})"};
    provider.errors_first = std::vector<api::Response>(5, limited);
  }
  const auto started = std::chrono::steady_clock::now();
  const auto limited = client.post(path, R"({"requested_outputs": ["email"]})");
  CHECK(std::chrono::steady_clock::now() - started >= 4s);
  CHECK(limited.status == 503);
  CHECK(json_of(limited).at("error") == "unavailable");
  CHECK(limited.header("retry-after") == "1");
  CHECK(provider.requests().size() == requests_before + 5);
  CHECK(balance() == "4");
  CHECK(running.database().scalar("SELECT count(*) FROM credit_holds") == "0");

  // The provider's own account out of credits: 502, and the hold goes back whole.
  running.database().scalar("DELETE FROM enrichments RETURNING 1");
  {
    std::lock_guard lock(provider.mutex);
    provider.errors_first = {
        {402, {}, "application/json", R"({"error": {"code": "insufficient_credits", "message": "top up"}})"}};
  }
  const auto refused = client.post(path, R"({"requested_outputs": ["email"]})");
  CHECK(refused.status == 502);
  CHECK(json_of(refused).at("error") == "upstream_error");
  CHECK(json_of(refused).at("message").as_string().find("insufficient_credits") != std::string::npos);
  CHECK(balance() == "4");
  CHECK(running.database().scalar("SELECT count(*) FROM credit_holds") == "0");
}

TEST_CASE("enrich: a stream with autoEnrichEmail enriches its new leads during the run and counts them",
          "[enrichment][http][db]") {
  FakeProvider provider;
  support::RunningApp running(0, with_provider(provider, 300));
  running.start_run_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto create_stream = [&](const std::string& handle, const std::string& segment) {
    const auto created = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": ")" + handle +
                                                            R"(", "accountTier": "pro", "segment": {"description": ")" +
                                                            segment + R"("}}], "autoEnrichEmail": true})");
    REQUIRE(created.status == 201);
    return std::to_string(json_of(created).at("id").as_int64());
  };
  const auto request_run = [&](const std::string& stream, const std::string& what) {
    const auto queued = json_of(client.post("/api/v2/streams/" + stream + "/" + what));
    const auto path =
        "/api/v2/streams/" + stream + "/runs/" + std::to_string(queued.at("queued").at(0).at("syncRunId").as_int64());
    for (int i = 0; i < 1000; ++i) {
      auto run = json_of(client.get(path)).at("run");
      if (run.at("status") == "succeeded" || run.at("status") == "failed") return run;
      std::this_thread::sleep_for(20ms);
    }
    FAIL("the run did not finish");
    return boost::json::value();
  };
  const std::string devtools = "AI founders building developer tools";
  const auto team_sql = std::string(" FROM credit_ledger l JOIN teams t ON t.id = l.team_id WHERE t.name = 'acme'");

  // Without credits the run still succeeds: its leads stay, unenriched, and it says why.
  const auto broke_stream = create_stream("yongfook", devtools);
  const auto broke = request_run(broke_stream, "run");
  CHECK(broke.at("status") == "succeeded");
  CHECK(broke.at("enrichedCount") == 0);
  CHECK(broke.at("leadsCreated").as_int64() > 0);
  const auto log = boost::json::serialize(broke.at("progressLog"));
  CHECK(log.find("enrichment stopped") != std::string::npos);
  CHECK(provider.requests().empty());

  running.database().scalar("INSERT INTO credit_ledger (team_id, delta, kind, reason) SELECT id, 1000, 'grant', 't'"
                            " FROM teams WHERE name = 'acme' RETURNING 1");
  const auto paid = request_run(create_stream("levelsio", devtools), "run");
  CHECK(paid.at("status") == "succeeded");
  const auto leads = paid.at("leadsCreated").as_int64();
  REQUIRE(leads > 0);
  CHECK(paid.at("enrichedCount").as_int64() == leads);
  CHECK(running.database().scalar("SELECT -sum(delta)" + team_sql + " AND l.kind = 'settle'") == std::to_string(leads));
  CHECK(running.database().scalar("SELECT sum(delta)" + team_sql) == std::to_string(1000 - leads));
  CHECK(running.database().scalar("SELECT count(*) FROM credit_holds") == "0");
  const auto listed = json_of(client.get("/api/v2/leads?limit=500")).at("leads").as_array();
  const auto with_email = std::ranges::count_if(listed, [](const auto& lead) {
    return !lead.at("enrichment").is_null() && lead.at("enrichment").at("emailStatus") == "verified";
  });
  CHECK(with_email == leads);

  // A run enriches the leads it creates, and only those: a re-test of the first stream,
  // with credits now, finds the same matches, creates no lead and enriches nobody.
  const auto again = request_run(broke_stream, "re-test");
  CHECK(again.at("status") == "succeeded");
  CHECK(again.at("leadsCreated") == 0);
  CHECK(again.at("enrichedCount") == 0);

  // A re-test enriches the leads it creates: a new stream over the cached followers of
  // @levelsio, for a wider segment, re-tested without a sync.
  const auto wider = create_stream("levelsio", "Company founders and CEOs");
  const auto retested = request_run(wider, "re-test");
  CHECK(retested.at("status") == "succeeded");
  const auto retest_leads = retested.at("leadsCreated").as_int64();
  CHECK(retest_leads > leads);
  CHECK(retested.at("enrichedCount").as_int64() == retest_leads);
  const auto retested_listed =
      json_of(client.get("/api/v2/streams/" + wider + "/leads?limit=500")).at("leads").as_array();
  CHECK(std::ranges::all_of(retested_listed, [](const auto& lead) { return !lead.at("enrichment").is_null(); }));
  const auto settled_before_reuse =
      running.database().scalar("SELECT -sum(delta)" + team_sql + " AND l.kind = 'settle'");

  // Another stream over @yongfook's followers reuses the first stream's walk (within the
  // hour) instead of calling the source again, and enriches its leads as well.
  const auto reused = request_run(create_stream("yongfook", devtools), "run");
  CHECK(boost::json::serialize(reused.at("progressLog")).find("Reusing the followers") != std::string::npos);
  const auto reused_leads = reused.at("leadsCreated").as_int64();
  REQUIRE(reused_leads > 0);
  CHECK(reused.at("enrichedCount").as_int64() == reused_leads);
  CHECK(running.database().scalar("SELECT -sum(delta)" + team_sql + " AND l.kind = 'settle'") ==
        std::to_string(std::stoll(settled_before_reuse) + reused_leads));
}

TEST_CASE("lookups: any X handle's contacts, from its profile and the provider, charged and listed",
          "[enrichment][http][db]") {
  FakeProvider provider;
  support::RunningApp running(0, with_provider(provider, 10));
  support::ApiClient client{running, running.new_team_key("acme")};
  running.database().scalar("INSERT INTO credit_ledger (team_id, delta, kind, reason) SELECT id, 3, 'grant', 't'"
                            " FROM teams WHERE name = 'acme' RETURNING 1");

  const auto found = client.post("/api/v2/lookups/enrich", R"({"handle": "@JaneDoe"})");
  REQUIRE(found.status == 200);
  const auto body = json_of(found);
  CHECK(body.at("leadId").is_null());
  CHECK(body.at("result").at("kind") == "resolved");
  CHECK(body.at("result").at("linkedin").at("url") == "https://www.linkedin.com/in/janedoe");
  CHECK(body.at("result").at("email").at("address") == "janedoe@acme.com");
  CHECK(body.at("credits_charged") == 2);
  CHECK(body.at("credits_remaining") == 1);

  const auto email = client.post("/api/v2/lookups/enrich-email", R"({"handle": "bob_smith"})");
  REQUIRE(email.status == 200);
  CHECK(json_of(email).at("result").at("linkedin").is_null());
  CHECK(json_of(email).at("credits_remaining") == 0);
  // Known already: asking again costs nothing and asks no provider.
  const auto asked = provider.requests().size();
  CHECK(json_of(client.post("/api/v2/lookups/enrich", R"({"handle": "janedoe"})")).at("credits_charged") == 0);
  CHECK(provider.requests().size() == asked);
  const auto broke = client.post("/api/v2/lookups/enrich", R"({"handle": "carol"})");
  CHECK(broke.status == 429);
  CHECK(json_of(broke).at("error") == "credits_exhausted");
  // The ledger tells lookups from lead enrichments.
  CHECK(running.database().scalar(
            "SELECT string_agg(reason, ', ' ORDER BY id) FROM credit_ledger WHERE kind = 'settle'") ==
        "lookup @janedoe, lookup @bob_smith");

  const auto history = json_of(client.get("/api/v2/lookups/enrich/history?limit=1"));
  CHECK(history.at("total") == 2);
  CHECK(history.at("hasMore") == true);
  CHECK(history.at("items").at(0).at("handle") == "janedoe");
  CHECK(history.at("items").at(0).at("creditsCharged") == 0);
  const auto emails = json_of(client.get("/api/v2/lookups/enrich-email/history"));
  CHECK(emails.at("total") == 1);
  CHECK(emails.at("items").at(0).at("result").at("email").at("status") == "verified");
  support::ApiClient stranger{running, running.new_team_key("globex")};
  CHECK(json_of(stranger.get("/api/v2/lookups/enrich/history")).at("total") == 0);

  for (const auto* bad : {R"({})", R"({"handle": "no spaces allowed"})", R"({"handle": "x", "email_mode": "all"})",
                          R"({"handle": "x", "requested_outputs": ["fax"]})"}) {
    const auto refused = client.post("/api/v2/lookups/enrich", bad);
    CHECK(refused.status == 400);
    CHECK(json_of(refused).at("error") == "invalid_request");
  }
  CHECK(client.get("/api/v2/lookups/enrich/history?limit=0").status == 400);
}

TEST_CASE("budgets: the provider's charges stop at the team's monthly enrichment budget (403 budget_exhausted)",
          "[enrichment][http][db]") {
  FakeProvider provider;
  support::RunningApp running(0, with_provider(provider, 300));
  running.start_run_workers();
  support::ApiClient client{running, running.new_team_key("acme")};
  const auto lead = first_lead(running, client);  // a starter account: 100 credits a month
  const domain::TeamId team{std::stoll(running.database().scalar("SELECT id FROM teams WHERE name = 'acme'"))};
  running.database().scalar("INSERT INTO credit_ledger (team_id, delta, kind, reason) VALUES (" +
                            std::to_string(team.value) + ", 500, 'grant', 'test') RETURNING 1");
  // 99 of the 100 charged already this month.
  adapters::postgres::ConnectionPool pool(running.database().url(), 1);
  adapters::postgres::PgCreditLedger ledger(pool);
  const auto spent = ledger.hold(team, 99, "earlier lookups", in(60s), std::nullopt);
  REQUIRE(spent);
  REQUIRE(ledger.settle(team, *spent, 99, "earlier lookups"));
  const auto budget = [&] { return json_of(client.get("/api/v2/me")).at("credits").at("monthlyEnrichment"); };
  CHECK(budget().at("budget") == 100);
  CHECK(budget().at("used") == 99);
  CHECK(budget().at("remaining") == 1);
  const auto balance = [&] { return running.database().scalar("SELECT sum(delta) FROM credit_ledger"); };
  REQUIRE(balance() == "401");

  // Two provider results would pass it: refused before the provider is asked, nothing held.
  const auto path = "/api/v2/leads/" + lead + "/enrich";
  const auto refused = client.post(path, R"({"requested_outputs": ["linkedin_url", "email"]})");
  CHECK(refused.status == 403);
  CHECK(json_of(refused).at("error") == "budget_exhausted");
  CHECK(provider.requests().empty());
  CHECK(balance() == "401");
  CHECK(running.database().scalar("SELECT count(*) FROM credit_holds") == "0");
  CHECK(client.post("/api/v2/lookups/enrich", R"({"handle": "carol"})").status == 403);

  // One fits.
  const auto one = client.post(path, R"({"requested_outputs": ["email"]})");
  REQUIRE(one.status == 200);
  CHECK(json_of(one).at("credits_charged") == 1);
  CHECK(budget().at("used") == 100);
  CHECK(budget().at("remaining") == 0);
  CHECK(balance() == "400");
}
