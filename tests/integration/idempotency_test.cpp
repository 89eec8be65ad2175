#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "adapters/crypto/openssl_secrets.hpp"
#include "adapters/http/curl_client.hpp"
#include "adapters/postgres/pg_idempotency_store.hpp"
#include "daemon/app.hpp"
#include "support/answer_log.hpp"
#include "support/daemon_process.hpp"
#include "support/running_app.hpp"

using namespace leadstream;

TEST_CASE("an Idempotency-Key replays across two daemon processes on one database", "[idempotency][http][db]") {
  support::RunningApp first_process(0);
  const auto key = first_process.new_team_key("acme");
  support::DaemonProcess second_process(first_process.database().url(), {"LEADSTREAM_RATE_LIMIT_PER_MINUTE=0"});
  const std::string body = R"({"pairs": [{"accountHandle": "yongfook", "segment": {"description": "AI founders"}}]})";
  const adapters::http::Headers headers{{"Content-Type", "application/json"}, {"Idempotency-Key", "create-1"}};

  const auto created = first_process.request("POST", "/api/v2/streams", key, headers, body);
  REQUIRE(created.status == 201);

  adapters::http::CurlHttpClient client;
  auto with_auth = headers;
  with_auth.emplace_back("Authorization", "Bearer " + key);
  const auto replayed = client.send(
      {.method = "POST", .url = second_process.base_url() + "/api/v2/streams", .headers = with_auth, .body = body});
  REQUIRE(replayed);
  CHECK(replayed->status == 201);
  CHECK(replayed->body == created.body);
  CHECK(replayed->header("idempotent-replayed") == "true");
  CHECK(first_process.database().scalar("SELECT count(*) FROM streams") == "1");
  CHECK(first_process.database().scalar("SELECT count(*) FROM billing_changes") == "1");

  const auto other_body = client.send({.method = "POST",
                                       .url = second_process.base_url() + "/api/v2/streams",
                                       .headers = with_auth,
                                       .body = R"({"pairs": []})"});
  REQUIRE(other_body);
  CHECK(other_body->status == 409);
  CHECK(boost::json::parse(other_body->body).at("error").as_string() == "conflict");
}

TEST_CASE("a key still in flight is a conflict; one abandoned for a minute is taken over", "[idempotency][http][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const adapters::http::Headers headers{{"Content-Type", "application/json"}, {"Idempotency-Key", "k"}};
  const std::string body = R"({"description": "AI founders"})";
  // As if another process had claimed the key for this very request and not finished.
  adapters::crypto::OpenSslSecrets secrets;
  const auto fingerprint = domain::to_hex(secrets.sha256("POST /api/v2/segments\n" + body));
  running.database().scalar("INSERT INTO idempotency_keys (team_id, key, fingerprint) SELECT id, 'k', '" + fingerprint +
                            "' FROM teams");
  const auto in_flight = running.request("POST", "/api/v2/segments", key, headers, body);
  CHECK(in_flight.status == 409);
  CHECK(boost::json::parse(in_flight.body).at("message").as_string().find("in progress") != std::string::npos);
  CHECK(running.database().scalar("SELECT count(*) FROM segments") == "0");

  running.database().scalar("UPDATE idempotency_keys SET created_at = now() - interval '2 minutes'");
  const auto taken_over = running.request("POST", "/api/v2/segments", key, headers, body);
  CHECK(taken_over.status == 201);
  CHECK(running.database().scalar("SELECT status FROM idempotency_keys") == "201");
  CHECK(running.database().scalar("SELECT count(*) FROM segments") == "1");
}

TEST_CASE("a request that took effect but lost its answer with its process is never carried out again",
          "[idempotency][http][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const adapters::http::Headers headers{{"Content-Type", "application/json"}, {"Idempotency-Key", "create-1"}};
  const std::string body = R"({"pairs": [{"accountHandle": "yongfook", "segment": {"description": "AI founders"}}]})";
  REQUIRE(running.request("POST", "/api/v2/streams", key, headers, body).status == 201);
  CHECK(running.database().scalar("SELECT acted_at IS NOT NULL FROM idempotency_keys") == "t");

  // The process died between the stream's commit and the answer's record, a minute ago.
  running.database().scalar(
      "UPDATE idempotency_keys SET status = NULL, body = NULL, created_at = now() - interval '2 minutes'");
  const auto retried = running.request("POST", "/api/v2/streams", key, headers, body);
  CHECK(retried.status == 409);
  CHECK(boost::json::parse(retried.body).at("message").as_string().find("took effect") != std::string::npos);
  CHECK(running.database().scalar("SELECT count(*) FROM streams") == "1");
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes") == "1");

  // A request refused before it wrote anything leaves nothing behind that blocks a retry.
  const adapters::http::Headers other{{"Content-Type", "application/json"}, {"Idempotency-Key", "bad-1"}};
  REQUIRE(running.request("POST", "/api/v2/segments", key, other, R"({"description": ""})").status == 400);
  CHECK(running.database().scalar("SELECT acted_at IS NULL FROM idempotency_keys WHERE key = 'bad-1'") == "t");
}

TEST_CASE("a claim whose request is still running here is kept alive, so it is never taken over", "[idempotency][db]") {
  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  const auto team = app.teams().create("acme", "")->id;
  adapters::postgres::ConnectionPool pool(database.url(), 2);
  adapters::postgres::PgIdempotencyStore store(pool, std::chrono::hours{1});  // renewed by hand below
  using Kind = domain::IdempotencyClaim::Kind;

  REQUIRE(store.claim(team, "slow", "fp")->kind == Kind::kNew);
  store.begin_acting(team, "slow");  // the request runs, waiting on X, say
  const auto age = [&](const std::string& by) {
    database.scalar("UPDATE idempotency_keys SET created_at = now() - interval '" + by + "' RETURNING 1");
  };
  age("2 minutes");
  REQUIRE(store.keep_alive());
  const auto repeat = store.claim(team, "slow", "fp")->kind;
  support::report_row("an idempotent POST still running after 2 minutes, repeated", "409 in progress, not taken over",
                      repeat == Kind::kInProgress ? "409 in progress" : "taken over", repeat == Kind::kInProgress);
  CHECK(repeat == Kind::kInProgress);  // not taken over: 409 to the repeat

  store.end_acting();  // the process gave up on it without an answer
  age("2 minutes");
  REQUIRE(store.keep_alive());                                 // renews nothing now
  CHECK(store.claim(team, "slow", "fp")->kind == Kind::kNew);  // abandoned: taken over
}

TEST_CASE("every POST and PATCH route that writes marks its Idempotency-Key as having taken effect",
          "[idempotency][http][db]") {
  support::RunningApp running(0, [](daemon::Config& config) { config.follower_source = "synthetic:300"; });
  running.start_run_workers();
  const auto key = running.new_team_key("acme");
  std::set<std::string> walked;
  int n = 0;
  // Sends `body` to `path` under a fresh key, and checks the key's claim was marked.
  const auto walk = [&](const std::string& method, const std::string& route, const std::string& path,
                        const std::string& body = "{}") {
    const auto idempotency_key = "walk-" + std::to_string(++n);
    const auto response = running.request(
        method, path, key, {{"Content-Type", "application/json"}, {"Idempotency-Key", idempotency_key}}, body);
    INFO(method << " " << path << " -> " << response.status << " " << response.body);
    REQUIRE(response.status / 100 == 2);
    CHECK(running.database().scalar("SELECT acted_at IS NOT NULL FROM idempotency_keys WHERE key = '" +
                                    idempotency_key + "'") == "t");
    walked.insert(method + " " + route);
    return boost::json::parse(response.body);
  };
  const auto id_of = [](const boost::json::value& body, std::string_view field) {
    return std::to_string(body.at(field).as_int64());
  };

  walk("POST", "/api/v2/segments", "/api/v2/segments", R"({"description": "AI founders"})");
  walk("POST", "/api/v2/lookups/segments/from-description", "/api/v2/lookups/segments/from-description",
       R"({"description": "Fintech investors"})");
  const auto created = walk("POST", "/api/v2/streams", "/api/v2/streams",
                            R"({"pairs": [{"accountHandle": "yongfook", "accountTier": "growth",
                                "segment": {"description": "AI founders building developer tools"}}]})");
  const auto stream = "/api/v2/streams/" + id_of(created, "id");
  const auto account = "/api/v2/accounts/" + id_of(created.at("accounts").at(0), "accountId");
  walk("PATCH", "/api/v2/streams/{id}", stream, R"({"name": "Renamed"})");
  const auto run = walk("POST", "/api/v2/streams/{id}/run", stream + "/run");
  const auto run_path = stream + "/runs/" + id_of(run.at("queued").at(0), "syncRunId");
  for (int i = 0;
       i < 300 &&
       boost::json::parse(running.request("GET", run_path, key).body).at("run").at("status").as_string() != "succeeded";
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  walk("POST", "/api/v2/streams/{id}/re-test", stream + "/re-test");
  const auto leads = boost::json::parse(running.request("GET", stream + "/leads?limit=1", key).body);
  const auto& lead = leads.at("leads").at(0);
  const auto lead_path = "/api/v2/leads/" + id_of(lead, "id");
  walk("POST", "/api/v2/leads/{id}/feedback", lead_path + "/feedback",
       R"({"segmentId": )" + id_of(lead, "segmentId") + R"(, "feedback": "good"})");
  walk("POST", "/api/v2/leads/{id}/export", lead_path + "/export");
  // Enrichment that finds something writes it (and would settle credits): give the lead's
  // profile a LinkedIn URL to find.
  running.database().scalar("UPDATE followers SET url = 'https://linkedin.com/in/walker' WHERE x_user_id = '" +
                            std::string(lead.at("profile").at("xUserId").as_string()) + "' RETURNING 1");
  walk("POST", "/api/v2/leads/{id}/enrich", lead_path + "/enrich", R"({"requested_outputs": ["linkedin_url"]})");
  walk("POST", "/api/v2/lookups/enrich", "/api/v2/lookups/enrich", R"({"handle": "janedoe"})");
  walk("POST", "/api/v2/lookups/enrich-email", "/api/v2/lookups/enrich-email", R"({"handle": "janedoe"})");
  walk("POST", "/api/v2/accounts/{id}/change-tier", account + "/change-tier", R"({"newTier": "pro"})");
  walk("POST", "/api/v2/accounts/{id}/sleep", account + "/sleep");
  walk("POST", "/api/v2/accounts/{id}/wake", account + "/wake");
  const auto webhook = walk("POST", "/api/v2/webhooks/subscribe", "/api/v2/webhooks/subscribe",
                            R"({"targetUrl": "http://127.0.0.1:9/hooks"})");
  walk("POST", "/api/v2/webhooks/{id}/test", "/api/v2/webhooks/" + id_of(webhook, "id") + "/test");
  walk("POST", "/api/v2/dm-templates", "/api/v2/dm-templates", R"({"name": "Intro", "messageBody": "Hi"})");

  std::set<std::string> writing_routes;
  for (const auto& name : running.app().router().route_names()) {
    if (name.starts_with("POST ") || name.starts_with("PATCH ")) writing_routes.insert(name);
  }
  CHECK(walked == writing_routes);  // a new POST or PATCH route joins the walk
}
