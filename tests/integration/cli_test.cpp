#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "daemon/cli/cli.hpp"
#include "support/daemon_process.hpp"
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
