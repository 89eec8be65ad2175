#include "support/running_app.hpp"

#include <stdexcept>

#include "domain/use_cases/api_keys.hpp"
#include "support/answer_log.hpp"

namespace leadstream::support {

RunningApp::RunningApp(int rate_limit_per_minute, const std::function<void(daemon::Config&)>& configure) {
  daemon::Config config;
  config.database_url = database_.url();
  config.rate_limit_per_minute = rate_limit_per_minute;
  config.workers = 2;
  config.secret_key = std::string(64, 'a');  // a test key: never the machine's key file
  if (configure) configure(config);
  app_ = std::make_unique<daemon::App>(config);
  server_ =
      std::make_unique<api::HttpServer>([this](const api::Request& r) { return app_->router().handle(r); },
                                        api::ServerOptions{.address = "127.0.0.1", .port = 0, .worker_threads = 2},
                                        [this](const api::Request& r) { return app_->router().handle_cached(r); });
  server_->start();
}

RunningApp::~RunningApp() {
  server_->stop();
  if (run_worker_) run_worker_->stop();
  if (delivery_worker_) delivery_worker_->stop();
}

void RunningApp::start_delivery_workers() {
  delivery_worker_ = std::make_unique<daemon::DeliveryWorker>(
      app_->webhook_store(), app_->secrets(), app_->webhook_payloads(), app_->clock(),
      adapters::webhooks::WebhookSenderOptions{.allow_private = app_->config().webhook_allow_private,
                                               .timeout = app_->config().webhook_timeout},
      database_.url(), 2, app_->config().delivery_lease, std::chrono::milliseconds{100});
  delivery_worker_->start();
}

void RunningApp::start_run_workers(int threads) {
  run_worker_ = std::make_unique<daemon::RunWorker>(app_->engine(), database_.url(), threads,
                                                    std::chrono::milliseconds{200}, app_->config().run_settings());
  run_worker_->start();
}

std::string RunningApp::base_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

std::string RunningApp::new_team_key(const std::string& team_name) {
  auto team = app_->teams().create(team_name, "");
  if (!team) throw std::runtime_error(team.error().message);
  auto issued = domain::issue_api_key(app_->api_keys(), app_->secrets(), team->id, "test");
  if (!issued) throw std::runtime_error(issued.error().message);
  return issued->plaintext;
}

adapters::http::HttpResponse RunningApp::request(const std::string& method, const std::string& path,
                                                 const std::string& key, adapters::http::Headers headers,
                                                 std::string body) {
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  auto response = client_.send(
      {.method = method, .url = base_url() + path, .headers = std::move(headers), .body = std::move(body)});
  if (!response) throw std::runtime_error(response.error().message);
  note_answer(method, path, *response);
  return std::move(*response);
}

}  // namespace leadstream::support
