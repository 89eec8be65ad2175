#include "daemon/cli/serve.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <csignal>

#include "adapters/http/curl_client.hpp"
#include "adapters/postgres/migrations.hpp"
#include "api/server.hpp"
#include "daemon/app.hpp"
#include "daemon/cli/cli.hpp"
#include "daemon/workers/billing_worker.hpp"
#include "daemon/workers/delivery_worker.hpp"
#include "daemon/workers/run_worker.hpp"
#include "daemon/workers/scheduler_worker.hpp"

namespace leadstream::daemon {
namespace {

/// Blocks SIGINT and SIGTERM in this thread and every thread started after it, so that
/// only the sigwait below sees them.
sigset_t block_stop_signals() {
  // A shell starts background jobs with SIGINT ignored, and an ignored signal never
  // reaches sigwait: restore the default first.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int serve(const Config& config) {
  const auto signals = block_stop_signals();
  const auto migrated = adapters::postgres::migrate(config.database_url);
  if (!migrated) {
    spdlog::critical("cannot migrate the database: {}", migrated.error().message);
    return kExitFailure;
  }
  if (migrated->applied > 0) spdlog::info("applied {} migration(s)", migrated->applied);

  App app(config);
  try {
    app.secrets().seal("");  // reads or creates the sealing key now, not at the first webhook
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return kExitFailure;
  }
  api::HttpServer server([&app](const api::Request& request) { return app.router().handle(request); },
                         api::ServerOptions{.address = config.listen_address,
                                            .port = config.listen_port,
                                            .worker_threads = config.workers,
                                            .max_connections = config.max_connections,
                                            .max_queued_requests = config.max_queued_requests,
                                            .request_deadline = config.request_deadline},
                         [&app](const api::Request& request) { return app.router().handle_cached(request); });
  try {
    server.start();
  } catch (const std::exception& error) {
    spdlog::critical("cannot listen on {}:{}: {}", config.listen_address, config.listen_port, error.what());
    return kExitFailure;
  }
  BillingWorker billing(app.billing(), app.campaigns(), app.credits(), std::chrono::seconds{2},
                        std::chrono::minutes{15});
  billing.start();
  RunWorker runs(app.engine(), config.database_url, App::kRunWorkerThreads, std::chrono::seconds{1},
                 config.run_settings());
  runs.start();
  DeliveryWorker deliveries(app.webhook_store(), app.secrets(), app.webhook_payloads(), app.clock(),
                            {.allow_private = config.webhook_allow_private, .timeout = config.webhook_timeout},
                            config.database_url, App::kDeliveryWorkerThreads, config.delivery_lease);
  deliveries.start();
  SchedulerWorker scheduler(app.scheduler(), config.database_url);
  scheduler.start();
  spdlog::info("leadstreamd listening on http://{}:{}", config.listen_address, server.port());
  sd_notify(0, "READY=1");

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}: finishing in-flight requests", received == SIGTERM ? "SIGTERM" : "SIGINT");
  sd_notify(0, "STOPPING=1");
  // Everyone is told at once, so that the last steps (a page of a run, a batch of
  // webhooks, a Stripe call) end side by side while the server finishes its requests,
  // rather than one after another past TimeoutStopSec.
  scheduler.request_stop();
  runs.request_stop();
  deliveries.request_stop();
  billing.request_stop();
  // Calls to X, Stripe and webhook receivers cannot outlast the stop: each is cut within a
  // second and retried later (outboxes, leases), so the stop ends well within TimeoutStopSec.
  adapters::http::abort_all_transfers();
  server.stop();
  scheduler.stop();
  runs.stop();
  deliveries.stop();
  billing.stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace leadstream::daemon
