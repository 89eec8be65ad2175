#include "support/fake_http_server.hpp"

#include <atomic>

namespace leadstream::support {

FakeHttpServer::FakeHttpServer(Respond respond, std::size_t threads) : respond_(std::move(respond)) {
  server_ = std::make_unique<api::HttpServer>(
      [this](const api::Request& request) {
        {
          std::lock_guard lock(mutex_);
          requests_.push_back(request);
        }
        return respond_(request);
      },
      api::ServerOptions{.address = "127.0.0.1", .port = 0, .worker_threads = threads});
  server_->start();
}

FakeHttpServer::~FakeHttpServer() { server_->stop(); }

std::string FakeHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

std::vector<api::Request> FakeHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

FakeHttpServer::Respond always(int status, std::string body) {
  return
      [status, body = std::move(body)](const api::Request&) { return api::Response{.status = status, .body = body}; };
}

FakeHttpServer::Respond fail_first(int failures, int failure_status, FakeHttpServer::Respond then) {
  auto seen = std::make_shared<std::atomic<int>>(0);
  return [=](const api::Request& request) {
    if (seen->fetch_add(1) < failures) {
      return api::Response{.status = failure_status, .body = R"({"error":"injected failure"})"};
    }
    return then(request);
  };
}

}  // namespace leadstream::support
