#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "adapters/http/curl_client.hpp"
#include "adapters/postgres/connection_defaults.hpp"
#include "support/answer_log.hpp"
#include "support/daemon_process.hpp"
#include "support/running_app.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

/// A connected, silent loopback socket: -1 when the connection could not be made.
int idle_connection(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TEST_CASE("out of descriptors, accept backs off instead of spinning, and serves again once they are back",
          "[hardening][db]") {
  support::TestDatabase database;
  support::DaemonProcess daemon(database.url());
  daemon.limit_open_files(64);
  std::vector<int> held;
  for (int i = 0; i < 100; ++i) {
    if (const int fd = idle_connection(daemon.port()); fd >= 0) held.push_back(fd);
  }
  const auto before = daemon.log_lines();
  std::this_thread::sleep_for(2s);
  const auto logged = daemon.log_lines() - before;
  INFO(held.size() << " connections held; " << logged << " lines logged in 2 s");
  CHECK(logged < 20);  // spinning on EMFILE logged thousands a second

  for (const int fd : held) ::close(fd);
  adapters::http::CurlHttpClient client;
  std::optional<int> status;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    std::this_thread::sleep_for(100ms);
    const auto response = client.send({.url = daemon.base_url() + "/healthz", .timeout = 1s});
    if (response) status = response->status;
  }
  CHECK(status == 200);
}

TEST_CASE("2,000 idle connections and a slowloris client leave /me fast and error-free",
          "[hardening][resilience][db]") {
  support::RunningApp setup(0);
  const auto key = setup.new_team_key("acme");
  support::DaemonProcess daemon(setup.database().url(),
                                {"LEADSTREAM_RATE_LIMIT_PER_MINUTE=0", "LEADSTREAM_MAX_CONNECTIONS=4000"});
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i) {
    if (const int fd = idle_connection(daemon.port()); fd >= 0) idle.push_back(fd);
  }
  REQUIRE(idle.size() == 2000);
  std::atomic<bool> done{false};
  std::thread slowloris([&] {
    const int fd = idle_connection(daemon.port());
    const std::string request = "GET /api/v2/me HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (std::size_t i = 0; !done && fd >= 0; ++i) {  // a byte every 100 ms, never the end of the headers
      const char byte = i < request.size() ? request[i] : 'a';
      if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) break;  // cut by the server
      std::this_thread::sleep_for(100ms);
    }
    if (fd >= 0) ::close(fd);
  });
  adapters::http::CurlHttpClient client;
  std::vector<double> latencies;  // ms
  int errors = 0;
  for (int i = 0; i < 300; ++i) {
    const auto began = std::chrono::steady_clock::now();
    const auto response = client.send(
        {.url = daemon.base_url() + "/api/v2/me", .headers = {{"Authorization", "Bearer " + key}}, .timeout = 5s});
    latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count());
    if (!response || response->status != 200) ++errors;
  }
  done = true;
  slowloris.join();
  for (const int fd : idle) ::close(fd);
  std::ranges::sort(latencies);
  const auto p99 = latencies.empty() ? 1e9 : latencies[latencies.size() * 99 / 100];
  const bool holds = errors == 0 && p99 <= 50;
  support::report_row("/me with 2,000 idle connections and a slowloris client (300 requests)", "0 errors, p99 <= 50 ms",
                      std::to_string(errors) + " errors, p99 " + std::to_string(p99).substr(0, 4) + " ms", holds);
  CHECK(errors == 0);
  CHECK(p99 <= 50);
}

TEST_CASE("10,000 unknown keys from one address cost PostgreSQL a few dozen queries", "[hardening][resilience][db]") {
  support::TestDatabase database;
  support::DaemonProcess daemon(database.url());
  // Transactions of the daemon's database, as PostgreSQL counts them (flushed within a second).
  const auto transactions = [&] {
    std::this_thread::sleep_for(1500ms);
    return std::stoll(database.scalar("SELECT xact_commit + xact_rollback FROM pg_stat_database"
                                      " WHERE datname = current_database()"));
  };
  const auto idle_start = transactions();
  std::this_thread::sleep_for(3s);
  const auto idle_cost = transactions() - idle_start;  // the workers' own polling

  adapters::http::CurlHttpClient client;
  std::map<int, int> statuses;
  const auto began = transactions();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 10'000; ++i) {
    char key[41];
    std::snprintf(key, sizeof key, "ls_live_%032d", i);
    const auto response = client.send({.url = daemon.base_url() + "/api/v2/me",
                                       .headers = {{"Authorization", std::string("Bearer ") + key}},
                                       .timeout = 5s});
    ++statuses[response ? response->status : 0];
  }
  const auto took = std::chrono::steady_clock::now() - started;
  const auto cost = transactions() - began;
  // The idle workers' share of the same span, scaled from the idle measurement (4.5 s).
  const auto workers = idle_cost * std::chrono::duration<double>(took + 3s).count() / 4.5;
  const auto reached = static_cast<long long>(cost - workers);
  INFO("401: " << statuses[401] << ", 429: " << statuses[429] << ", transactions " << cost << ", idle share "
               << workers);
  const bool holds = reached <= 100 && statuses[429] > 9'000;
  support::report_row("10,000 requests with unknown keys from one address", "<= 100 reach PostgreSQL",
                      std::to_string(reached) + " reached it; " + std::to_string(statuses[401]) + " answered 401, " +
                          std::to_string(statuses[429]) + " 429",
                      holds);
  CHECK(reached <= 100);
  CHECK(statuses[429] > 9'000);
}

TEST_CASE("the server applies our session defaults: it notices a vanished client within a minute", "[hardening][db]") {
  support::TestDatabase database;
  pqxx::connection connection(adapters::postgres::with_connection_defaults(database.url()));
  pqxx::nontransaction tx(connection);
  CHECK(tx.exec("SHOW tcp_keepalives_idle")[0][0].as<std::string>() == "20");
  CHECK(tx.exec("SHOW tcp_keepalives_count")[0][0].as<std::string>() == "3");
  CHECK(tx.exec("SHOW tcp_user_timeout")[0][0].as<std::string>() == "30000");  // ms
  CHECK(tx.exec("SHOW statement_timeout")[0][0].as<std::string>() == "1min");
}
