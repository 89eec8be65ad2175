#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_message.hpp"

namespace leadstream::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free one: see HttpServer::port()
  std::size_t worker_threads = 4;
  std::size_t body_limit = std::size_t{1024} * 1024;
  std::size_t header_limit = std::size_t{16} * 1024;
  /// The whole request, headers and body, must arrive within this (a kept-alive
  /// connection's next one too): a slow or idle client cannot hold a connection.
  std::chrono::milliseconds read_timeout{15'000};
  /// Connections served at once; one more is answered 503 with Retry-After and closed.
  std::size_t max_connections = 1'000;
  std::chrono::milliseconds write_timeout{15'000};
  /// Requests waiting for a worker thread beyond those being handled; one more is
  /// answered 503 with Retry-After at once, rather than after a wait the client gave up on.
  std::size_t max_queued_requests = 64;
  /// From a request's arrival to its answer. A request still queued at its deadline is
  /// answered 503 without running; outbound calls made while handling one are cut at it.
  std::chrono::milliseconds request_deadline{10'000};
  /// After stop(), in-flight requests have this long to finish before connections are cut.
  std::chrono::milliseconds shutdown_grace{9'000};
};

/// May block (the database): runs on a worker thread.
using RequestHandler = std::function<Response(const Request&)>;
/// Never blocks: answers from memory on the I/O thread, or nullopt to pass the request
/// to the RequestHandler. Saves two thread hops on requests that need no I/O.
using CachedRequestHandler = std::function<std::optional<Response>(const Request&)>;

/// HTTP/1.1 server: one I/O thread parses and writes (Beast, coroutines); the handler runs
/// on a pool of worker threads, because handlers block on the database.
/// Beast and Asio stay in server.cpp.
class HttpServer {
 public:
  HttpServer(RequestHandler handler, ServerOptions options, CachedRequestHandler cached_handler = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving on background threads. Throws std::system_error when the
  /// address cannot be bound.
  void start();
  std::uint16_t port() const;
  /// Graceful: stops accepting, closes idle connections, lets in-flight requests finish
  /// (their responses say Connection: close), and returns when all are done or the grace
  /// period has passed. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadstream::api
