#pragma once

#include <functional>
#include <memory>
#include <string>

#include "adapters/http/curl_client.hpp"
#include "api/server.hpp"
#include "daemon/app.hpp"
#include "daemon/workers/delivery_worker.hpp"
#include "daemon/workers/run_worker.hpp"
#include "support/test_database.hpp"

namespace leadstream::support {

/// The whole daemon in-process on a fresh database and an ephemeral loopback port, with
/// a real HTTP client to talk to it.
class RunningApp {
 public:
  explicit RunningApp(int rate_limit_per_minute = 60, const std::function<void(daemon::Config&)>& configure = {});
  ~RunningApp();

  daemon::App& app() { return *app_; }
  /// Starts claiming and carrying out sync runs, as `serve` does.
  void start_run_workers(int threads = daemon::App::kRunWorkerThreads);
  /// Starts delivering webhooks, as `serve` does (private addresses allowed unless the
  /// configuration said otherwise).
  void start_delivery_workers();
  const TestDatabase& database() const { return database_; }
  std::string base_url() const;

  /// Creates a team and returns a fresh key of it.
  std::string new_team_key(const std::string& team_name);

  adapters::http::HttpResponse request(const std::string& method, const std::string& path, const std::string& key = {},
                                       adapters::http::Headers headers = {}, std::string body = {});

 private:
  TestDatabase database_;
  std::unique_ptr<daemon::App> app_;
  std::unique_ptr<api::HttpServer> server_;
  std::unique_ptr<daemon::RunWorker> run_worker_;
  std::unique_ptr<daemon::DeliveryWorker> delivery_worker_;
  adapters::http::CurlHttpClient client_;
};

}  // namespace leadstream::support
