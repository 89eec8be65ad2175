#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "daemon/app.hpp"
#include "domain/use_cases/api_keys.hpp"
#include "support/running_app.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

boost::json::object json_of(const adapters::http::HttpResponse& response) {
  return boost::json::parse(response.body).as_object();
}

void check_error(const adapters::http::HttpResponse& response, int status, std::string_view code) {
  CHECK(response.status == status);
  CHECK(response.header("content-type") == "application/json");
  const auto body = json_of(response);
  CHECK(body.at("error").as_string() == code);
  CHECK_FALSE(body.at("message").as_string().empty());
}

}  // namespace

TEST_CASE("a key made for a team reads /me over HTTP", "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  auto team = running.app().teams().find_by_name("acme");
  REQUIRE(running.app().credits().grant((*team)->id, 10, "test"));
  REQUIRE(running.app().teams().set_email((*team)->id, "ops@acme.test"));

  const auto response = running.request("GET", "/api/v2/me", key);
  REQUIRE(response.status == 200);
  const auto me = json_of(response);
  CHECK(me.at("name").as_string() == "acme");
  CHECK(me.at("email").as_string() == "ops@acme.test");
  // A string even before one is given, as in the original.
  CHECK(json_of(running.request("GET", "/api/v2/me", running.new_team_key("globex"))).at("email").as_string().empty());
  CHECK(me.at("credits").at("balance").as_int64() == 10);
  CHECK(me.at("credits").at("isLow").as_bool());
  CHECK(me.at("apiKey").at("prefix").as_string() == domain::api_key_prefix(key));
  CHECK(response.header("x-ratelimit-limit") == "60");
  CHECK(response.header("x-ratelimit-remaining") == "59");
  // Only the digest is stored: the key itself appears nowhere in the table.
  CHECK(running.database().scalar("SELECT count(*) FROM api_keys WHERE digest = '" + key + "' OR prefix = '" + key +
                                  "'") == "0");
}

TEST_CASE("the OpenAPI document is served over HTTP without a key", "[http][db][openapi]") {
  support::RunningApp running;
  const auto response = running.request("GET", "/api/v2/openapi.json");
  REQUIRE(response.status == 200);
  CHECK(response.header("content-type") == "application/json");
  const auto document = json_of(response);
  CHECK(document.at("openapi").as_string() == "3.1.0");
  CHECK(document.at("paths").as_object().contains("/api/v2/streams/{id}/leads"));
  check_error(running.request("DELETE", "/api/v2/openapi.json"), 405, "method_not_allowed");
}

TEST_CASE("each 401 over HTTP: missing, malformed, unknown, revoked", "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  check_error(running.request("GET", "/api/v2/me"), 401, "invalid_api_key");
  check_error(running.request("GET", "/api/v2/me", "not-a-key"), 401, "invalid_api_key");
  check_error(running.request("GET", "/api/v2/me", "ls_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401, "invalid_api_key");
  const auto id = json_of(running.request("GET", "/api/v2/me", key)).at("apiKey").at("id").as_int64();
  REQUIRE(running.app().api_keys().revoke(domain::ApiKeyId{id}));
  std::this_thread::sleep_for(daemon::App::kReadCacheTtl);
  check_error(running.request("GET", "/api/v2/me", key), 401, "invalid_api_key");
}

TEST_CASE("a key revoked by another process stops working within 1 s", "[http][db]") {
  support::RunningApp running(/*rate_limit_per_minute=*/0);
  const auto key = running.new_team_key("acme");
  REQUIRE(running.request("GET", "/api/v2/me", key).status == 200);  // now cached

  daemon::Config other_config;
  other_config.database_url = running.database().url();
  daemon::App other_process(other_config);
  const auto listed = other_process.api_keys().list(running.app().teams().find_by_name("acme").value()->id);
  REQUIRE(other_process.api_keys().revoke(listed->front().id));
  const auto revoked_at = std::chrono::steady_clock::now();

  auto status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - revoked_at < 3s) {
    status = running.request("GET", "/api/v2/me", key).status;
    std::this_thread::sleep_for(10ms);
  }
  const auto took = std::chrono::steady_clock::now() - revoked_at;
  CHECK(status == 401);
  CHECK(took < 1s);
}

TEST_CASE("the 61st request in a minute is 429 with Retry-After over HTTP", "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  for (int i = 0; i < 60; ++i) REQUIRE(running.request("GET", "/api/v2/me", key).status == 200);
  const auto refused = running.request("GET", "/api/v2/me", key);
  check_error(refused, 429, "rate_limited");
  const auto retry_after = std::stoi(refused.header("retry-after"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 60);
  CHECK(refused.header("x-ratelimit-remaining") == "0");
  // Another key has its own budget.
  CHECK(running.request("GET", "/api/v2/me", running.new_team_key("other")).status == 200);
}

TEST_CASE("self-revoke: another key's id is 404, its own id revokes it", "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  const auto stranger = running.new_team_key("globex");
  const auto stranger_id = json_of(running.request("GET", "/api/v2/me", stranger)).at("apiKey").at("id").as_int64();
  const auto own_id = json_of(running.request("GET", "/api/v2/me", key)).at("apiKey").at("id").as_int64();

  check_error(running.request("DELETE", "/api/v2/lookups/api-keys/" + std::to_string(stranger_id), key), 404,
              "not_found");
  CHECK(running.request("GET", "/api/v2/me", stranger).status == 200);

  const auto revoked = running.request("DELETE", "/api/v2/lookups/api-keys/" + std::to_string(own_id), key);
  CHECK(revoked.status == 200);
  CHECK(json_of(revoked).at("ok").as_bool());
  check_error(running.request("GET", "/api/v2/me", key), 401, "invalid_api_key");
  CHECK(running.database().scalar("SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL") == "1");
}

TEST_CASE("bad requests get typed error bodies over HTTP", "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  const std::string path = "/api/v2/lookups/api-keys/1";

  check_error(running.request("GET", "/api/v1/leads", key), 410, "gone");
  check_error(running.request("GET", "/api/v2/unknown", key), 404, "not_found");
  check_error(running.request("PUT", "/api/v2/me", key), 405, "method_not_allowed");
  check_error(running.request("DELETE", path, key, {{"Content-Type", "application/json"}}, "{not json"), 400,
              "invalid_request");
  check_error(running.request("DELETE", path, key, {{"Content-Type", "text/plain"}}, "{}"), 415,
              "unsupported_media_type");
  check_error(
      running.request("DELETE", path, key, {{"Content-Type", "application/json"}}, std::string(1024 * 1024 + 1, ' ')),
      413, "payload_too_large");
  // None of it touched the key.
  CHECK(running.request("GET", "/api/v2/me", key).status == 200);
}

TEST_CASE("an address that fails to authenticate 30 times a minute gets 429 without a lookup; known keys pass",
          "[http][db]") {
  support::RunningApp running;
  const auto key = running.new_team_key("acme");
  REQUIRE(running.request("GET", "/api/v2/me", key).status == 200);  // known, and cached
  for (int i = 0; i < 30; ++i) {
    const auto guess = "ls_live_" + std::string(31, 'A') + static_cast<char>('a' + i % 26) + std::to_string(i);
    CHECK(running.request("GET", "/api/v2/me", guess.substr(0, 40)).status == 401);
  }
  const auto refused = running.request("GET", "/api/v2/me", "ls_live_" + std::string(32, 'Z'));
  check_error(refused, 429, "rate_limited");
  CHECK(std::stoi(refused.header("retry-after")) >= 1);
  CHECK(running.request("GET", "/api/v2/me").status == 401);       // no key at all: nothing to look up, as before
  CHECK(running.request("GET", "/api/v2/me", key).status == 200);  // a key known here still works
}

TEST_CASE("readiness answers ready on a migrated database", "[http][db]") {
  support::RunningApp running;
  CHECK(running.request("GET", "/healthz").status == 200);
  const auto ready = running.request("GET", "/readyz");
  CHECK(ready.status == 200);
  CHECK(json_of(ready).at("status").as_string() == "ready");
}

TEST_CASE("readiness is 503 while the schema is behind, from a result at most a second old", "[http][db]") {
  support::RunningApp running;
  CHECK(running.request("GET", "/readyz").status == 200);
  running.database().scalar("DELETE FROM schema_migrations");
  CHECK(running.request("GET", "/readyz").status == 200);  // the check of a moment ago
  std::this_thread::sleep_for(1100ms);
  const auto behind = running.request("GET", "/readyz");
  check_error(behind, 503, "unavailable");
  CHECK(behind.body.find("version") == std::string::npos);  // nothing about the schema to the unauthenticated
}
