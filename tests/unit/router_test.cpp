#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <set>

#include "api/router.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/use_cases/api_keys.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_billing.hpp"
#include "fakes/in_memory_campaigns.hpp"
#include "fakes/in_memory_runs.hpp"
#include "fakes/in_memory_webhooks.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

struct World {
  explicit World(int rate_limit = 60, std::vector<std::string> proxies = {})
      : rate_limiter(rate_limit), failed_auth(30), trusted_proxies(std::move(proxies)) {
    team = *teams.create("acme", "");
    key = domain::issue_api_key(keys, secrets, team.id, "ci")->plaintext;
    REQUIRE(credits.grant(team.id, 120, "test"));
  }

  api::Response call(std::string method, std::string target, std::optional<std::string> token = std::nullopt,
                     api::Headers headers = {}, std::string body = {}) {
    if (token) headers.emplace_back("authorization", "Bearer " + *token);
    return router.handle(api::Request{std::move(method), std::move(target), std::move(headers), std::move(body)});
  }
  api::Response get_me() { return call("GET", "/api/v2/me", key); }

  fakes::ManualClock clock;
  fakes::FakeSecrets secrets;
  fakes::InMemoryTeamRepository teams;
  fakes::InMemoryApiKeyRepository keys;
  fakes::InMemoryCreditLedger credits;
  fakes::SwitchableReadiness readiness;
  domain::Authenticator authenticator{keys, secrets, clock, 500ms};
  fakes::InMemoryCampaigns campaigns;
  domain::CachedMe me{domain::DescribeMeDeps{teams, credits, campaigns, clock}, 500ms};
  domain::RateLimiter rate_limiter;
  domain::FailedAuthLimiter failed_auth;
  fakes::ScriptedFollowerSource handles;
  fakes::FixedTimeZones zones;
  fakes::InMemoryIdempotencyStore idempotency;
  fakes::InMemoryPreferences preferences;
  fakes::ScriptedOutbox outbox;
  fakes::RecordingGateway gateway;
  fakes::InMemoryRuns runs{campaigns, clock};
  fakes::InMemoryWebhooks webhooks;
  fakes::InMemoryLookupStore lookups;
  std::vector<std::string> trusted_proxies;
  domain::LocalClassifier classifier{fakes::IdentityStemmer::make};
  api::Router router{api::ApiDeps{
      authenticator, rate_limiter, failed_auth, keys, me, domain::CampaignDeps{campaigns, handles, zones, clock},
      domain::RequestRunDeps{campaigns, runs, clock}, domain::QueryDeps{campaigns, runs},
      domain::LeadDeps{runs, runs, clock}, domain::EnrichDeps{runs, runs, credits, nullptr, clock, {}},
      domain::LookupDeps{domain::EnrichDeps{runs, runs, credits, nullptr, clock, {}}, handles, lookups},
      domain::WebhookDeps{webhooks, secrets, clock}, preferences, idempotency,
      domain::ReconcileDeps{outbox, gateway, clock, [] { return 0.5; }}, secrets, readiness, clock, trusted_proxies}};
  domain::Team team;
  std::string key;
};

boost::json::object body_of(const api::Response& response) { return boost::json::parse(response.body).as_object(); }

std::string header(const api::Response& response, std::string_view name) {
  for (const auto& [n, v] : response.headers) {
    if (n == name) return v;
  }
  return {};
}

void check_error(const api::Response& response, int status, std::string_view code) {
  CHECK(response.status == status);
  const auto body = body_of(response);
  CHECK(body.at("error").as_string() == code);
  CHECK_FALSE(body.at("message").as_string().empty());
}

}  // namespace

TEST_CASE("GET /me answers the team, key and credits in the shape of API.md", "[router]") {
  World world;
  const auto response = world.get_me();
  REQUIRE(response.status == 200);
  const auto me = body_of(response);
  CHECK(me.at("name").as_string() == "acme");
  CHECK(me.at("subscriptionStatus").as_string() == "active");
  CHECK(me.at("isFreeTier").as_bool() == false);
  CHECK(me.at("accounts").as_array().empty());
  CHECK(me.at("credits").at("balance").as_int64() == 120);
  CHECK(me.at("credits").at("isLow").as_bool() == false);
  CHECK(me.at("totals").at("dailySyncRemaining").as_int64() == 0);
  CHECK(me.at("team").at("id").as_int64() == world.team.id.value);
  CHECK(me.at("apiKey").at("prefix").as_string() == domain::api_key_prefix(world.key));
  CHECK(header(response, "X-RateLimit-Limit") == "60");
  CHECK(header(response, "X-RateLimit-Remaining") == "59");
}

TEST_CASE("every 401 carries invalid_api_key and the exact message", "[router]") {
  World world;
  const auto message = [](const api::Response& r) { return std::string(body_of(r).at("message").as_string()); };

  const auto missing = world.call("GET", "/api/v2/me");
  check_error(missing, 401, "invalid_api_key");
  CHECK(message(missing) == "Missing or invalid Authorization header. Use: Bearer <api_key>");

  const auto basic = world.call("GET", "/api/v2/me", std::nullopt, {{"authorization", "Basic abc"}});
  CHECK(message(basic) == "Missing or invalid Authorization header. Use: Bearer <api_key>");

  const auto empty = world.call("GET", "/api/v2/me", std::nullopt, {{"authorization", "Bearer "}});
  CHECK(message(empty) == "Missing or invalid Authorization header. Use: Bearer <api_key>");

  const auto malformed = world.call("GET", "/api/v2/me", "ctgo_not_ours");
  check_error(malformed, 401, "invalid_api_key");
  CHECK(message(malformed) == "Invalid API key format.");

  const auto unknown = world.call("GET", "/api/v2/me", "ls_live_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
  check_error(unknown, 401, "invalid_api_key");
  CHECK(message(unknown) == "Invalid or revoked API key.");
}

TEST_CASE("the 61st request in a minute is 429 with Retry-After", "[router]") {
  World world;
  for (int i = 0; i < 60; ++i) REQUIRE(world.get_me().status == 200);
  world.clock.advance(15s);
  const auto refused = world.get_me();
  check_error(refused, 429, "rate_limited");
  CHECK(header(refused, "Retry-After") == "45");
  CHECK(header(refused, "X-RateLimit-Remaining") == "0");
  world.clock.advance(45s);
  CHECK(world.get_me().status == 200);
}

TEST_CASE("routing errors are typed: unknown route 404, wrong method 405, v1 410", "[router]") {
  World world;
  check_error(world.call("GET", "/api/v2/nothing-here", world.key), 404, "not_found");
  const auto wrong_method = world.call("POST", "/api/v2/me", world.key);
  check_error(wrong_method, 405, "method_not_allowed");
  CHECK(header(wrong_method, "Allow") == "GET");
  check_error(world.call("GET", "/api/v1/leads"), 410, "gone");
  CHECK(std::string(body_of(world.call("GET", "/api/v1/me")).at("message").as_string()).find("/api/v2") !=
        std::string::npos);
}

TEST_CASE("bodies must be JSON: wrong type 415, malformed 400", "[router]") {
  World world;
  const auto path = "/api/v2/lookups/api-keys/999";
  check_error(world.call("DELETE", path, world.key, {{"content-type", "text/plain"}}, "{}"), 415,
              "unsupported_media_type");
  check_error(world.call("DELETE", path, world.key, {{"content-type", "application/json"}}, "{\"a\":"), 400,
              "invalid_request");
}

TEST_CASE("a key revokes itself but gets 404 for any other id", "[router]") {
  World world;
  const auto other = domain::issue_api_key(world.keys, world.secrets, world.team.id, "other");
  REQUIRE(other);
  const auto mine = body_of(world.get_me()).at("apiKey").at("id").as_int64();

  check_error(world.call("DELETE", "/api/v2/lookups/api-keys/" + std::to_string(other->key.id.value), world.key), 404,
              "not_found");
  check_error(world.call("DELETE", "/api/v2/lookups/api-keys/abc", world.key), 404, "not_found");
  CHECK(world.call("GET", "/api/v2/me", other->plaintext).status == 200);

  const auto revoked = world.call("DELETE", "/api/v2/lookups/api-keys/" + std::to_string(mine), world.key);
  CHECK(revoked.status == 200);
  CHECK(body_of(revoked).at("ok").as_bool());
  check_error(world.get_me(), 401, "invalid_api_key");
}

TEST_CASE("health needs no key; readiness follows the store", "[router]") {
  World world;
  CHECK(world.call("GET", "/healthz").status == 200);
  CHECK(world.call("GET", "/readyz").status == 200);
  world.readiness.ready = false;
  check_error(world.call("GET", "/readyz"), 503, "unavailable");
}

TEST_CASE("handle_cached answers from memory or defers, and counts each request once", "[router]") {
  World world;
  const auto request = [&](std::string method, std::string target, std::optional<std::string> token) {
    api::Headers headers;
    if (token) headers.emplace_back("authorization", "Bearer " + *token);
    return api::Request{std::move(method), std::move(target), std::move(headers), {}};
  };
  const auto me = request("GET", "/api/v2/me", world.key);

  // Nothing cached yet: deferred, and not counted.
  CHECK_FALSE(world.router.handle_cached(me));
  const auto first = world.router.handle(me);
  REQUIRE(first.status == 200);
  CHECK(header(first, "X-RateLimit-Remaining") == "59");

  const auto cached = world.router.handle_cached(me);
  REQUIRE(cached);
  CHECK(cached->status == 200);
  CHECK(cached->body == first.body);
  CHECK(header(*cached, "X-RateLimit-Remaining") == "58");

  // The cache lives for its TTL only: a credit grant elsewhere shows after it.
  REQUIRE(world.credits.grant(world.team.id, 5, "test"));
  world.clock.advance(500ms);
  CHECK_FALSE(world.router.handle_cached(me));
  CHECK(body_of(world.router.handle(me)).at("credits").at("balance").as_int64() == 125);

  // What needs no database is answered; what does is deferred.
  CHECK(world.router.handle_cached(request("GET", "/healthz", std::nullopt))->status == 200);
  CHECK(world.router.handle_cached(request("GET", "/api/v2/nope", world.key))->status == 404);
  CHECK(world.router.handle_cached(request("GET", "/api/v2/me", "bad"))->status == 401);
  CHECK_FALSE(world.router.handle_cached(request("GET", "/readyz", std::nullopt)));
  CHECK_FALSE(world.router.handle_cached(request("DELETE", "/api/v2/lookups/api-keys/1", world.key)));
}

TEST_CASE("an Idempotency-Key replays the first response and refuses another body", "[router][idempotency]") {
  World world;
  const auto post = [&](std::string key, std::string body) {
    return world.call("POST", "/api/v2/segments", world.key,
                      {{"content-type", "application/json"}, {"idempotency-key", std::move(key)}}, std::move(body));
  };
  const auto first = post("k1", R"({"description": "AI founders"})");
  REQUIRE(first.status == 201);
  const auto replay = post("k1", R"({"description": "AI founders"})");
  CHECK(replay.status == 201);
  CHECK(replay.body == first.body);
  CHECK(header(replay, "Idempotent-Replayed") == "true");
  CHECK(world.campaigns.state().segments.size() == 1);

  check_error(post("k1", R"({"description": "Someone else"})"), 409, "conflict");
  CHECK(post("k2", R"({"description": "AI founders"})").status == 201);
  CHECK(world.campaigns.state().segments.size() == 2);

  // A refused request is replayed as refused; a bad key is refused outright.
  const auto invalid = post("k3", R"({"description": "x"})");
  CHECK(invalid.status == 400);
  CHECK(post("k3", R"({"description": "x"})").body == invalid.body);
  check_error(post(std::string(256, 'k'), R"({"description": "AI founders"})"), 400, "invalid_request");
  CHECK(world.campaigns.state().segments.size() == 2);
}

TEST_CASE("the OpenAPI document describes every route, and nothing else, and is served without a key",
          "[router][openapi]") {
  World world;
  const auto served = world.call("GET", "/api/v2/openapi.json");
  REQUIRE(served.status == 200);
  const auto document = boost::json::parse(served.body).as_object();
  CHECK(document.at("openapi").as_string() == "3.1.0");
  std::set<std::string> described;
  for (const auto& [path, operations] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : operations.as_object()) {
      std::string verb(method);
      for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      described.insert(verb + " " + std::string(path));
    }
  }
  std::set<std::string> routed;
  for (const auto& name : world.router.route_names()) routed.insert(name);
  // Answered before routing: the document itself, and the health probes.
  routed.insert({"GET /api/v2/openapi.json", "GET /healthz", "GET /readyz"});
  CHECK(described == routed);
  CHECK(world.call("POST", "/api/v2/openapi.json").status == 405);
}

TEST_CASE("behind a trusted proxy, failed authentications count per X-Forwarded-For client", "[router]") {
  World world(60, {"10.0.0.1"});
  const auto from = [&](std::string peer, std::string forwarded) {
    api::Request request{
        "GET", "/api/v2/me", {{"authorization", "Bearer ls_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}, ""};
    if (!forwarded.empty()) request.headers.emplace_back("x-forwarded-for", std::move(forwarded));
    request.remote_address = std::move(peer);
    return world.router.handle(request).status;
  };
  // The client may write anything before the proxy's entry: the last untrusted one counts.
  for (int i = 0; i < 30; ++i) CHECK(from("10.0.0.1", "6.6.6.6, 1.2.3.4") == 401);
  CHECK(from("10.0.0.1", "9.9.9.9, 1.2.3.4") == 429);  // 1.2.3.4 again, whatever it claims before
  CHECK(from("10.0.0.1", "5.6.7.8") == 401);           // another client behind the same proxy
  // From a peer that is not a trusted proxy the header means nothing: the peer counts.
  for (int i = 0; i < 30; ++i) CHECK(from("203.0.113.9", "1.2.3.4") == 401);
  CHECK(from("203.0.113.9", "7.7.7.7") == 429);
}
