#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "support/daemon_process.hpp"
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
