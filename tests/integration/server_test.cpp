#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "api/server.hpp"
#include "support/fake_http_server.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

/// A raw loopback connection, for what a well-behaved client would never send.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawConnection() { ::close(fd_); }
  void send(std::string_view data) { REQUIRE(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) >= 0); }
  /// Everything until the server closes (or 5 s pass).
  std::string read_all() {
    std::string all;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
    return all;
  }

 private:
  int fd_;
};

api::Response ok(const api::Request&) { return api::Response{.body = R"({"ok":true})"}; }

}  // namespace

TEST_CASE("the fake server records what the curl client sent", "[server]") {
  support::FakeHttpServer fake(support::fail_first(1, 503, support::always(201, R"({"id":1})")));
  adapters::http::CurlHttpClient client;
  const adapters::http::HttpRequest request{
      .method = "POST",
      .url = fake.base_url() + "/v1/things?x=1",
      .headers = {{"Idempotency-Key", "abc"}, {"Content-Type", "application/json"}},
      .body = R"({"a":1})"};
  const auto first = client.send(request);
  const auto second = client.send(request);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->status == 503);
  CHECK(second->status == 201);
  CHECK(second->body == R"({"id":1})");
  const auto seen = fake.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].method == "POST");
  CHECK(seen[1].path() == "/v1/things");
  CHECK(seen[1].query() == "x=1");
  CHECK(seen[1].header("idempotency-key") == "abc");
  CHECK(seen[1].body == R"({"a":1})");
}

TEST_CASE("the curl client reports a refused connection as unavailable", "[server]") {
  adapters::http::CurlHttpClient client;
  const auto response = client.send({.url = "http://127.0.0.1:1/", .timeout = 2s});
  REQUIRE_FALSE(response);
  CHECK(response.error().code == domain::ErrorCode::kUnavailable);
}

TEST_CASE("stop() lets an in-flight request finish, then refuses new connections", "[server]") {
  std::promise<void> entered;
  api::HttpServer server(
      [&](const api::Request&) {
        entered.set_value();
        std::this_thread::sleep_for(600ms);
        return api::Response{.body = R"({"slow":true})"};
      },
      api::ServerOptions{.port = 0, .worker_threads = 2});
  server.start();
  const auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/slow";

  auto in_flight = std::async(std::launch::async, [&] { return adapters::http::CurlHttpClient().send({.url = url}); });
  entered.get_future().wait();
  const auto stop_began = std::chrono::steady_clock::now();
  server.stop();
  CHECK(std::chrono::steady_clock::now() - stop_began < 5s);

  const auto response = in_flight.get();
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body == R"({"slow":true})");
  CHECK(response->header("connection") == "close");
  CHECK_FALSE(adapters::http::CurlHttpClient().send({.url = url, .timeout = 2s}));
}

TEST_CASE("a client that sends half a request is cut off after the read timeout", "[server]") {
  api::HttpServer server(ok, api::ServerOptions{.port = 0, .worker_threads = 1, .read_timeout = 300ms});
  server.start();
  RawConnection slow(server.port());
  slow.send("GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
  const auto began = std::chrono::steady_clock::now();
  CHECK(slow.read_all().empty());
  const auto waited = std::chrono::steady_clock::now() - began;
  CHECK(waited >= 250ms);
  CHECK(waited < 3s);
}

TEST_CASE("garbage and oversized headers get typed errors", "[server]") {
  api::HttpServer server(ok, api::ServerOptions{.port = 0, .worker_threads = 1, .header_limit = 1024});
  server.start();
  {
    RawConnection garbage(server.port());
    garbage.send("NOT HTTP AT ALL\r\n\r\n");
    const auto answer = garbage.read_all();
    CHECK(answer.starts_with("HTTP/1.1 400"));
    CHECK(answer.find(R"("error":"invalid_request")") != std::string::npos);
  }
  {
    RawConnection huge(server.port());
    huge.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
    const auto answer = huge.read_all();
    CHECK(answer.starts_with("HTTP/1.1 431"));
  }
}

TEST_CASE("keep-alive serves several requests on one connection", "[server]") {
  api::HttpServer server(ok, api::ServerOptions{.port = 0, .worker_threads = 1});
  server.start();
  RawConnection connection(server.port());
  connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answers = connection.read_all();
  const auto first = answers.find("HTTP/1.1 200");
  REQUIRE(first != std::string::npos);
  CHECK(answers.find("HTTP/1.1 200", first + 1) != std::string::npos);
}

TEST_CASE("past max_connections a connection is answered 503 with Retry-After, and served again after", "[server]") {
  api::HttpServer server(ok, api::ServerOptions{.port = 0, .worker_threads = 1, .max_connections = 3});
  server.start();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server.port()));
    idle.back()->send("GET / HTTP/1.1\r\n");  // half a request: the connection stays open
  }
  std::this_thread::sleep_for(100ms);  // accepted
  RawConnection extra(server.port());
  const auto answer = extra.read_all();
  CHECK(answer.starts_with("HTTP/1.1 503"));
  CHECK(answer.find("Retry-After: 1\r\n") != std::string::npos);
  CHECK(answer.find(R"("error":"unavailable")") != std::string::npos);

  idle.clear();  // closed: their sessions end
  std::this_thread::sleep_for(100ms);
  const auto served =
      adapters::http::CurlHttpClient().send({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
  REQUIRE(served);
  CHECK(served->status == 200);
}

TEST_CASE("a kept-alive connection gets the read timeout, not longer, for its next request", "[server]") {
  api::HttpServer server(ok, api::ServerOptions{.port = 0, .worker_threads = 1, .read_timeout = 300ms});
  server.start();
  RawConnection connection(server.port());
  connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");  // kept alive, then silent
  const auto began = std::chrono::steady_clock::now();
  const auto answer = connection.read_all();  // until the server closes it
  const auto waited = std::chrono::steady_clock::now() - began;
  CHECK(answer.starts_with("HTTP/1.1 200"));
  CHECK(waited >= 250ms);
  CHECK(waited < 3s);  // RawConnection gives up at 5 s; the old idle timeout was 60 s
}

TEST_CASE("past the handler queue a request is answered 503 at once; the queued ones are served", "[server]") {
  std::promise<void> release;
  const auto released = release.get_future().share();
  std::atomic<int> started = 0;
  api::HttpServer server(
      [&](const api::Request&) {
        ++started;
        released.wait();
        return api::Response{.body = R"({"ok":true})"};
      },
      api::ServerOptions{.port = 0, .worker_threads = 1, .max_queued_requests = 1});
  server.start();
  const auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  const auto get = [&] { return adapters::http::CurlHttpClient().send({.url = url, .timeout = 10s}); };
  auto running = std::async(std::launch::async, get);
  while (started == 0) std::this_thread::sleep_for(5ms);
  auto queued = std::async(std::launch::async, get);
  std::this_thread::sleep_for(100ms);  // the second waits for the worker

  const auto refused = get();
  REQUIRE(refused);
  CHECK(refused->status == 503);
  CHECK(refused->header("retry-after") == "1");
  CHECK(refused->body.find(R"("error":"unavailable")") != std::string::npos);
  CHECK(refused->elapsed < 1s);  // at once, not after the queue

  release.set_value();
  CHECK(running.get()->status == 200);
  CHECK(queued.get()->status == 200);
  CHECK(started == 2);
}

TEST_CASE("a request still queued at its deadline is answered 503 without running", "[server]") {
  std::atomic<int> handled = 0;
  api::HttpServer server(
      [&](const api::Request&) {
        ++handled;
        std::this_thread::sleep_for(600ms);
        return api::Response{.body = R"({"ok":true})"};
      },
      api::ServerOptions{.port = 0, .worker_threads = 1, .request_deadline = 300ms});
  server.start();
  const auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  const auto get = [&] { return adapters::http::CurlHttpClient().send({.url = url, .timeout = 10s}); };
  auto first = std::async(std::launch::async, get);
  while (handled == 0) std::this_thread::sleep_for(5ms);
  const auto late = get();  // waits 600 ms for the worker: past its 300 ms
  REQUIRE(late);
  CHECK(late->status == 503);
  CHECK(first.get()->status == 200);
  CHECK(handled == 1);
}

TEST_CASE("an outbound call made while handling a request is cut at the request's deadline", "[server]") {
  support::FakeHttpServer slow([](const api::Request&) {
    std::this_thread::sleep_for(3s);
    return api::Response{.body = "{}"};
  });
  std::promise<domain::Result<adapters::http::HttpResponse>> outbound;
  api::HttpServer server(
      [&](const api::Request&) {
        // Its own timeout is 30 s; the request's deadline, 500 ms, comes first.
        outbound.set_value(adapters::http::CurlHttpClient().send({.url = slow.base_url() + "/x", .timeout = 30s}));
        return api::Response{.body = R"({"ok":true})"};
      },
      api::ServerOptions{.port = 0, .worker_threads = 1, .request_deadline = 500ms});
  server.start();
  const auto answered = adapters::http::CurlHttpClient().send(
      {.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/", .timeout = 10s});
  REQUIRE(answered);
  CHECK(answered->status == 200);
  CHECK(answered->elapsed < 2s);
  const auto call = outbound.get_future().get();
  CHECK_FALSE(call);  // timed out at the deadline
}
