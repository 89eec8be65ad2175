#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "daemon/cli/cli.hpp"
#include "support/test_database.hpp"

extern char** environ;

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

/// The process environment without LEADSTREAM_* settings, plus `extra`.
class Environment {
 public:
  explicit Environment(std::vector<std::string> extra) : strings_(std::move(extra)) {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      if (!std::string_view(*entry).starts_with("LEADSTREAM_")) strings_.emplace_back(*entry);
    }
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult cli(const std::vector<std::string>& args, std::vector<std::string> settings) {
  Environment environment(std::move(settings));
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

  const auto granted = cli({"credits", "grant", "--team", "acme", "250"}, settings);
  CHECK(granted.code == 0);
  CHECK(trimmed(granted.out) == "250");
  CHECK(trimmed(cli({"credits", "grant", "--team", "acme", "50"}, settings).out) == "300");
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

namespace {

/// `leadstreamd serve` as a child process, its stderr read until it names its port.
class DaemonProcess {
 public:
  explicit DaemonProcess(const std::string& database_url) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    Environment environment({"LEADSTREAM_DATABASE_URL=" + database_url, "LEADSTREAM_LISTEN=127.0.0.1:0"});
    std::string program = LEADSTREAMD_PATH;
    std::string command = "serve";
    char* argv[] = {program.data(), command.data(), nullptr};
    REQUIRE(posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environment.get()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    log_ = ::fdopen(pipe_fds[0], "r");
    port_ = read_port();
  }
  ~DaemonProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (log_) ::fclose(log_);
  }

  std::string base_url() const { return "http://127.0.0.1:" + port_; }
  void signal(int number) { ::kill(pid_, number); }
  /// The exit status, or -1 when it was killed by a signal.
  int wait_for_exit() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string read_port() {
    char line[1024];
    while (::fgets(line, sizeof line, log_) != nullptr) {
      const std::string text(line);
      const auto at = text.find("listening on http://127.0.0.1:");
      if (at != std::string::npos) return trimmed(text.substr(at + 30));
    }
    FAIL("leadstreamd exited before listening");
    return {};
  }

  pid_t pid_ = 0;
  bool reaped_ = false;
  FILE* log_ = nullptr;
  std::string port_;
};

}  // namespace

TEST_CASE("SIGTERM during a slow request still answers it, then exits 0", "[cli][db][slow]") {
  support::TestDatabase database;
  const std::vector<std::string> settings{"LEADSTREAM_DATABASE_URL=" + database.url()};
  REQUIRE(cli({"teams", "create", "acme"}, settings).code == 0);
  const auto key = trimmed(cli({"keys", "create", "--team", "acme"}, settings).out);

  DaemonProcess daemon_process(database.url());
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
