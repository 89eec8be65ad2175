#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "daemon/cli/cli.hpp"
#include "support/answer_log.hpp"
#include "support/daemon_process.hpp"
#include "support/fake_http_server.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult cli(const std::vector<std::string>& args, std::vector<std::string> settings) {
  support::Environment environment(std::move(settings));
  std::ostringstream out;
  std::ostringstream err;
  const int code = daemon::run_cli(args, environment.get(), out, err);
  return {code, out.str(), err.str()};
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("teams, keys and credits from the command line", "[cli][db]") {
  support::TestDatabase database;
  const std::vector<std::string> settings{"LEADSTREAM_DATABASE_URL=" + database.url()};

  const auto team = cli({"teams", "create", "acme"}, settings);
  REQUIRE(team.code == 0);
  const auto team_id = trimmed(team.out);
  CHECK(team_id == database.scalar("SELECT id FROM teams WHERE name = 'acme'"));
  CHECK(cli({"teams", "create", "acme"}, settings).code == daemon::kExitFailure);

  const auto key = cli({"keys", "create", "--team", "acme", "--name", "zapier"}, settings);
  REQUIRE(key.code == 0);
  CHECK(trimmed(key.out).starts_with("ls_live_"));
  CHECK(trimmed(key.out).size() == 40);
  CHECK(cli({"keys", "create", "--team", team_id}, settings).code == 0);

  const auto listed = cli({"keys", "list", "--team", team_id}, settings);
  REQUIRE(listed.code == 0);
  CHECK(listed.out.find("zapier") != std::string::npos);
  CHECK(listed.out.find(trimmed(key.out)) == std::string::npos);  // never the key itself
  CHECK(listed.out.find(trimmed(key.out).substr(0, 16)) != std::string::npos);

  const auto key_id = database.scalar("SELECT min(id) FROM api_keys");
  CHECK(cli({"keys", "revoke", key_id}, settings).code == 0);
  CHECK(cli({"keys", "revoke", key_id}, settings).code == daemon::kExitFailure);
  CHECK(database.scalar("SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL") == "1");

  const auto free = cli({"teams", "set-billing", "--team", "acme", "--free"}, settings);
  CHECK(free.code == 0);
  CHECK(trimmed(free.out) == "team " + team_id + " is on the free plan");
  CHECK(database.scalar("SELECT free_plan FROM teams WHERE name = 'acme'") == "t");
  CHECK(cli({"teams", "set-billing", "--team", "acme", "--free", "--ledger"}, settings).code == daemon::kExitUsage);
  CHECK(cli({"teams", "set-billing", "--team", "acme", "--ledger"}, settings).code == 0);
  CHECK(database.scalar("SELECT free_plan FROM teams WHERE name = 'acme'") == "f");

  const auto granted = cli({"credits", "grant", "--team", "acme", "250"}, settings);
  CHECK(granted.code == 0);
  CHECK(trimmed(granted.out) == "250");
  CHECK(trimmed(cli({"credits", "grant", "--team", "acme", "50"}, settings).out) == "300");

  const auto history = cli({"credits", "history", "--team", "acme", "--limit", "1"}, settings);
  CHECK(history.code == 0);
  CHECK(history.out.find("\tgrant\t+50\t-\tgranted from the command line\n") != std::string::npos);
  CHECK(history.out.find("+250") == std::string::npos);  // --limit 1: the latest move only
  CHECK(history.out.ends_with("balance 300\n"));
  CHECK(cli({"credits", "history", "--team", "acme", "--limit", "0"}, settings).code == daemon::kExitUsage);
}

TEST_CASE("a team's contact email from the command line: given, changed, checked", "[cli][db]") {
  support::TestDatabase database;
  const std::vector<std::string> settings{"LEADSTREAM_DATABASE_URL=" + database.url()};
  const auto email = [&] { return database.scalar("SELECT email FROM teams WHERE name = 'globex'"); };

  REQUIRE(cli({"teams", "create", "globex", "--email", "ops@globex.test"}, settings).code == 0);
  CHECK(email() == "ops@globex.test");
  const auto changed = cli({"teams", "set-email", "--team", "globex", "--email", "billing@globex.test"}, settings);
  CHECK(changed.code == 0);
  CHECK(email() == "billing@globex.test");

  const auto bad = cli({"teams", "set-email", "--team", "globex", "--email", "billing at globex"}, settings);
  CHECK(bad.code == daemon::kExitUsage);
  CHECK(bad.err.find("--email: 'billing at globex' is not an email address") != std::string::npos);
  CHECK(email() == "billing@globex.test");  // unchanged
  CHECK(cli({"teams", "set-email", "--team", "globex"}, settings).code == daemon::kExitUsage);
  CHECK(cli({"teams", "create", "initech", "--email", "nope"}, settings).code == daemon::kExitUsage);
  CHECK(database.scalar("SELECT count(*) FROM teams WHERE name = 'initech'") == "0");
  CHECK(cli({"teams", "set-email", "--team", "nobody", "--email", "a@b.test"}, settings).code == daemon::kExitFailure);
}

TEST_CASE("usage errors and bad settings exit 2 with one line naming the problem", "[cli]") {
  const std::vector<std::string> ok_settings{"LEADSTREAM_DATABASE_URL=dbname=unused"};
  CHECK(cli({}, ok_settings).code == daemon::kExitUsage);
  CHECK(cli({"frobnicate"}, ok_settings).code == daemon::kExitUsage);
  CHECK(cli({"keys", "create"}, ok_settings).code == daemon::kExitUsage);  // --team missing
  CHECK(cli({"keys", "create", "--tem", "x"}, ok_settings).code == daemon::kExitUsage);
  CHECK(cli({"credits", "grant", "--team", "x", "-5"}, ok_settings).code == daemon::kExitUsage);

  const auto missing_url = cli({"migrate"}, {});
  CHECK(missing_url.code == daemon::kExitUsage);
  CHECK(missing_url.err == "leadstreamd: LEADSTREAM_DATABASE_URL: not set\n");

  const auto unknown = cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_LISTENN=1"});
  CHECK(unknown.code == daemon::kExitUsage);
  CHECK(unknown.err.find("LEADSTREAM_LISTENN: unknown setting") != std::string::npos);

  const auto bad_port = cli({"serve"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_LISTEN=127.0.0.1:99999"});
  CHECK(bad_port.code == daemon::kExitUsage);
  CHECK(bad_port.err.find("LEADSTREAM_LISTEN") != std::string::npos);

  const auto bad_limit = cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_RATE_LIMIT_PER_MINUTE=lots"});
  CHECK(bad_limit.code == daemon::kExitUsage);
  CHECK(bad_limit.err.find("LEADSTREAM_RATE_LIMIT_PER_MINUTE") != std::string::npos);

  // Tokens and keys go to these base URLs: https, or plain http to a loopback fake only.
  const auto cleartext = cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_X_BASE_URL=http://api.x.com"});
  CHECK(cleartext.code == daemon::kExitUsage);
  CHECK(cleartext.err.find("LEADSTREAM_X_BASE_URL: expected an https URL") != std::string::npos);
  CHECK(cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_STRIPE_BASE_URL=http://stripe.internal:80"}).code ==
        daemon::kExitUsage);
  CHECK(cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_X_BASE_URL=http://127.example.com/x"}).code ==
        daemon::kExitUsage);  // a name, not a loopback address
  CHECK(cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_X_BASE_URL=http://127.0.0.1:9/x"}).code !=
        daemon::kExitUsage);  // accepted: it fails later, on the database
  CHECK(cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_X_BASE_URL=http://localhost:9"}).code !=
        daemon::kExitUsage);
  // A config file with CRLF line ends reads as one with LF.
  const std::string file = "/tmp/leadstream-crlf-" + std::to_string(getpid()) + ".env";
  std::ofstream(file) << "LEADSTREAM_RATE_LIMIT_PER_MINUTE=5\r\nLEADSTREAM_LOG_LEVEL = warn \r\n";
  const auto crlf = cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_CONFIG_FILE=" + file});
  std::remove(file.c_str());
  CHECK(crlf.code != daemon::kExitUsage);
  CHECK(crlf.err.find("LEADSTREAM_RATE_LIMIT_PER_MINUTE") == std::string::npos);

  // A batch of webhooks still being sent when its lease ends would be sent twice.
  const auto short_lease = cli({"migrate"}, {"LEADSTREAM_DATABASE_URL=x", "LEADSTREAM_WEBHOOK_TIMEOUT_MS=40000"});
  CHECK(short_lease.code == daemon::kExitUsage);
  CHECK(short_lease.err.find("LEADSTREAM_DELIVERY_LEASE_SECONDS: must be at least twice") != std::string::npos);
}

TEST_CASE("--help works on every command", "[cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"},
                                                                {"serve", "--help"},
                                                                {"migrate", "--help"},
                                                                {"teams", "create", "--help"},
                                                                {"keys", "create", "--help"},
                                                                {"keys", "list", "--help"},
                                                                {"keys", "revoke", "--help"},
                                                                {"credits", "grant", "--help"},
                                                                {"keys", "--help"}}) {
    const auto result = cli(args, {});
    INFO(args.front());
    CHECK(result.code == 0);
    CHECK(result.out.find("usage: leadstreamd") != std::string::npos);
  }
}

TEST_CASE("SIGTERM during a slow request still answers it, then exits 0", "[cli][db][slow]") {
  support::TestDatabase database;
  const std::vector<std::string> settings{"LEADSTREAM_DATABASE_URL=" + database.url()};
  REQUIRE(cli({"teams", "create", "acme"}, settings).code == 0);
  const auto key = trimmed(cli({"keys", "create", "--team", "acme"}, settings).out);

  support::DaemonProcess daemon_process(database.url());
  adapters::http::CurlHttpClient client;
  const adapters::http::HttpRequest me{.url = daemon_process.base_url() + "/api/v2/me",
                                       .headers = {{"Authorization", "Bearer " + key}}};
  REQUIRE(client.send(me)->status == 200);
  // Let the daemon's cached answer expire, so that the next /me goes to the database.
  std::this_thread::sleep_for(600ms);

  // Hold the teams table so that /me blocks inside its handler.
  pqxx::connection blocker(database.url());
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE teams IN ACCESS EXCLUSIVE MODE");
  auto slow = std::async(std::launch::async, [&] { return adapters::http::CurlHttpClient().send(me); });
  pqxx::connection watcher(database.url());
  bool blocked = false;
  for (int i = 0; i < 250 && !blocked; ++i) {
    pqxx::nontransaction look(watcher);
    blocked = !look.exec("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'").empty();
    if (!blocked) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(blocked);  // the request is in flight, waiting inside its handler

  daemon_process.signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  lock.abort();

  const auto response = slow.get();
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(boost::json::parse(response->body).at("name").as_string() == "acme");
  CHECK(daemon_process.wait_for_exit() == 0);
}

TEST_CASE("SIGTERM with an X page, a Stripe call and a webhook in flight exits 0 within seconds", "[cli][db][slow]") {
  // One loopback server plays X, Stripe and a webhook receiver: it answers user lookups and
  // holds every other request until the test ends.
  std::atomic<bool> release{false};
  std::atomic<int> held{0};
  std::set<std::string> held_kinds;
  std::mutex kinds_mutex;
  support::FakeHttpServer hanging(
      [&](const api::Request& request) {
        const auto path = std::string(request.path());
        if (path.starts_with("/2/users/by/username/")) {
          return api::Response{.body = R"({"data": {"id": "42", "username": "yongfook", "name": "Yongfook",
              "description": "", "profile_image_url": "https://pbs.example/a.jpg", "protected": false,
              "public_metrics": {"followers_count": 1000, "following_count": 1, "tweet_count": 1}}})"};
        }
        {
          std::lock_guard lock(kinds_mutex);
          held_kinds.insert(path.starts_with("/2/") ? "x" : path.starts_with("/v1/") ? "stripe" : "webhook");
        }
        ++held;
        for (int i = 0; i < 600 && !release; ++i) std::this_thread::sleep_for(50ms);
        return api::Response{.status = 503, .body = "{}"};
      },
      8);
  support::TestDatabase database;
  const std::vector<std::string> settings{"LEADSTREAM_DATABASE_URL=" + database.url()};
  REQUIRE(cli({"teams", "create", "acme"}, settings).code == 0);
  REQUIRE(cli({"teams", "set-billing", "--team", "acme", "--subscription", "sub_1", "--starter-item", "si_s",
               "--growth-item", "si_g", "--pro-item", "si_p"},
              settings)
              .code == 0);
  const auto key = trimmed(cli({"keys", "create", "--team", "acme"}, settings).out);
  support::DaemonProcess daemon_process(
      database.url(),
      {"LEADSTREAM_FOLLOWER_SOURCE=xapi", "LEADSTREAM_X_BEARER_TOKEN=t", "LEADSTREAM_X_BASE_URL=" + hanging.base_url(),
       "LEADSTREAM_STRIPE_API_KEY=sk_test_1", "LEADSTREAM_STRIPE_BASE_URL=" + hanging.base_url(),
       "LEADSTREAM_WEBHOOK_ALLOW_PRIVATE=true", "LEADSTREAM_RATE_LIMIT_PER_MINUTE=0"});
  adapters::http::CurlHttpClient client;
  const adapters::http::Headers headers{{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
  const auto post = [&](const std::string& path, const std::string& body) {
    const auto response = client.send(
        {.method = "POST", .url = daemon_process.base_url() + path, .headers = headers, .body = body, .timeout = 20s});
    REQUIRE(response);
    INFO(response->body);
    REQUIRE(response->status / 100 == 2);
    return boost::json::parse(response->body);
  };
  const auto stream = post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook",
      "segment": {"description": "AI founders"}}]})")
                          .at("id")
                          .as_int64();
  post("/api/v2/streams/" + std::to_string(stream) + "/run", "");
  const auto webhook = post("/api/v2/webhooks/subscribe", R"({"targetUrl": ")" + hanging.base_url() + R"(/hook"})");
  post("/api/v2/webhooks/" + std::to_string(webhook.at("id").as_int64()) + "/test", "");
  for (int i = 0; i < 200 && held < 3; ++i) std::this_thread::sleep_for(50ms);
  {
    std::lock_guard lock(kinds_mutex);
    REQUIRE(held_kinds == std::set<std::string>{"stripe", "webhook", "x"});  // all three in flight
  }

  const auto began = std::chrono::steady_clock::now();
  daemon_process.signal(SIGTERM);
  CHECK(daemon_process.wait_for_exit() == 0);
  const auto stop_time =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  WARN("stopped in " << stop_time.count() << " ms with an X page, a Stripe call and a webhook in flight");
  support::report_row("SIGTERM with an X page, a Stripe call and a webhook delivery in flight", "exit 0 in < 10 s",
                      "exit in " + std::to_string(stop_time.count()) + " ms", stop_time < 10s);
  CHECK(stop_time < 10s);
  release = true;
}
