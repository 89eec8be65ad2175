// bench/queue: how long a run waits between its enqueue and a free worker starting it
// (LISTEN/NOTIFY wake-up, claim with FOR UPDATE SKIP LOCKED), as PostgreSQL's clock sees
// it (started_at - triggered_at); against the floor of that mechanism measured in the
// same run: a committed NOTIFY reaching a connection that LISTENs.
//
//   bench/queue [SAMPLES=200]      (the script: builds, starts PostgreSQL)

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "daemon/app.hpp"
#include "daemon/workers/run_worker.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

double median(std::vector<double> values) {
  std::ranges::sort(values);
  return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p) {
  std::ranges::sort(values);
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

/// Milliseconds from committing a NOTIFY to a LISTENing connection receiving it.
std::vector<double> notify_round_trips(const std::string& url, int samples) {
  pqxx::connection listener(url);
  pqxx::connection notifier(url);
  struct Receiver final : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string&, int) override { ++received; }
    int received = 0;
  } receiver(listener, "bench");
  std::vector<double> out;
  for (int i = 0; i < samples; ++i) {
    const auto start = std::chrono::steady_clock::now();
    {
      pqxx::work tx(notifier);
      tx.exec("NOTIFY bench");
      tx.commit();
    }
    const int before = receiver.received;
    while (receiver.received == before) listener.await_notification(1, 0);
    out.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int samples = argc > 1 ? std::stoi(argv[1]) : 200;
  spdlog::set_level(spdlog::level::warn);
  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  config.follower_source = "synthetic:10";
  daemon::App app(config);
  const auto team = app.teams().create("bench", "");
  domain::StreamRequest request;
  request.pairs.push_back({domain::AccountRef{.handle = "benchacct", .tier = domain::Tier::kPro},
                           domain::SegmentRef{.draft = domain::SegmentDraft{.description = "AI founders"}}});
  const auto stream = domain::create_stream(app.campaigns(), team->id, request);

  // Polling every 10 s: a run that starts fast was woken by its notification, not found by a poll.
  daemon::RunWorker workers(app.engine(), database.url(), daemon::App::kRunWorkerThreads, 10s);
  workers.start();
  std::this_thread::sleep_for(500ms);  // the listener is connected
  std::vector<double> waits;
  for (int i = 0; i < samples + 10; ++i) {
    const auto queued = domain::request_run(app.run_requests(), team->id, stream->id);
    if (!queued || queued->queued.empty()) {
      std::fprintf(stderr, "could not queue a run\n");
      return 1;
    }
    const auto id = std::to_string(queued->queued[0].run_id.value);
    while (database.scalar("SELECT status IN ('succeeded', 'failed') FROM sync_runs WHERE id = " + id) != "t") {
      std::this_thread::sleep_for(1ms);
    }
    const auto wait = database.scalar("SELECT extract(epoch FROM started_at - triggered_at) * 1000 FROM sync_runs"
                                      " WHERE id = " +
                                      id);
    if (i >= 10) waits.push_back(std::stod(wait));  // the first ten warm caches and connections
    // Keeps the pro tier's daily cap from refusing the next sample.
    database.scalar("DELETE FROM sync_runs WHERE id = " + id);
  }
  workers.stop();
  const auto floor = notify_round_trips(database.url(), samples);

  std::printf("enqueue to start, %d runs: median %.2f ms, p90 %.2f ms\n", samples, median(waits),
              percentile(waits, 0.9));
  std::printf("NOTIFY to LISTEN round trip (the floor): median %.2f ms, p90 %.2f ms\n", median(floor),
              percentile(floor, 0.9));
  std::printf("ratio enqueue-to-start / floor: %.1f\n", median(waits) / median(floor));
  std::printf("target: median <= 5 ms (graphile-worker measured 4.9-5.3 ms on this machine)\n");
  return 0;
}
