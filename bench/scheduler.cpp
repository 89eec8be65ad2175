// bench/scheduler: one scheduler tick enqueueing 10,000 streams due in the same minute
// (each on its own account), against the floor measured in the same run: one bare
// INSERT … SELECT of the same 10,000 run rows, with no schedule, budget or slot logic.
//
//   bench/scheduler [STREAMS=10000] [ROUNDS=5]   (the script: builds, starts PostgreSQL)

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "daemon/app.hpp"
#include "domain/use_cases/schedule_runs.hpp"
#include "support/seed.hpp"

using namespace leadstream;

namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::ranges::sort(values);
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int streams = argc > 1 ? std::stoi(argv[1]) : 10'000;
  const int rounds = argc > 2 ? std::stoi(argv[2]) : 5;
  spdlog::set_level(spdlog::level::warn);
  std::vector<double> ticks, inserts;
  for (int round = 0; round < rounds; ++round) {
    support::TestDatabase database;
    support::seed_due_streams(database, streams);
    daemon::Config config;
    config.database_url = database.url();
    daemon::App app(config);

    auto start = std::chrono::steady_clock::now();
    const auto tick = domain::schedule_tick(app.scheduler());
    ticks.push_back(ms_since(start));
    if (!tick || tick->runs_enqueued != streams) {
      std::fprintf(stderr, "the tick enqueued %d runs, not %d\n", tick ? tick->runs_enqueued : -1, streams);
      return 1;
    }

    database.scalar("DELETE FROM sync_runs");
    start = std::chrono::steady_clock::now();
    database.scalar("INSERT INTO sync_runs (team_id, stream_id, account_id, source, mode, slot_at)"
                    " SELECT s.team_id, s.id, p.account_id, 'cron', 'sync', now() FROM streams s"
                    " JOIN stream_pairs p ON p.stream_id = s.id");
    inserts.push_back(ms_since(start));
  }
  std::printf("scheduler tick, %d due streams: median %.0f ms over %d rounds\n", streams, median(ticks), rounds);
  std::printf("bare INSERT of the same runs (the floor): median %.0f ms\n", median(inserts));
  std::printf("ratio tick / floor: %.1f   target: all enqueued within 2,000 ms\n", median(ticks) / median(inserts));
  return 0;
}
