#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/http_message.hpp"
#include "api/server.hpp"

namespace leadstream::support {

/// A real HTTP server on 127.0.0.1:<ephemeral> that answers with `respond` and records
/// every request, for faking X, Stripe, webhook receivers and the like. `respond` runs
/// on a server thread: keep Catch2 assertions on the test thread, over requests().
class FakeHttpServer {
 public:
  using Respond = std::function<api::Response(const api::Request&)>;

  /// `threads`: how many requests it answers at once.
  explicit FakeHttpServer(Respond respond, std::size_t threads = 2);
  ~FakeHttpServer();

  /// http://127.0.0.1:PORT, no trailing slash.
  std::string base_url() const;
  std::vector<api::Request> requests() const;

 private:
  Respond respond_;
  mutable std::mutex mutex_;
  std::vector<api::Request> requests_;
  std::unique_ptr<api::HttpServer> server_;
};

/// Answers `status` with a JSON body to every request.
FakeHttpServer::Respond always(int status, std::string body = "{}");
/// Answers `failure_status` to the first `failures` requests, then delegates to `then`.
FakeHttpServer::Respond fail_first(int failures, int failure_status, FakeHttpServer::Respond then = always(200));

}  // namespace leadstream::support
