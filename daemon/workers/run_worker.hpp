#pragma once

#include <chrono>
#include <stop_token>
#include <string>

#include "daemon/workers/notified_loop.hpp"
#include "domain/use_cases/run_engine.hpp"

namespace leadstream::daemon {

/// Claims one due run and carries it out (domain::carry_out) with the threads the engine
/// leaves to its caller: a heartbeat that renews the lease every third of it, and on a
/// first sync the prefetch of the next page while the current one is saved. false when
/// nothing was due; a lost lease is no error (another process holds the run now).
domain::Result<bool> work_next_run(const domain::EngineDeps& deps, const domain::WorkerSettings& settings,
                                   std::stop_token stop = {});

/// Threads that claim and carry out sync runs. Idle ones sleep until PostgreSQL notifies
/// a new run (LISTEN sync_runs) or `poll_interval` passes, which also picks up retries
/// that came due and runs whose lease expired in a dead process.
class RunWorker {
 public:
  /// `settings` for every thread (each gets an owner of its own).
  RunWorker(domain::EngineDeps deps, std::string database_url, int threads,
            std::chrono::milliseconds poll_interval = std::chrono::seconds{1}, domain::WorkerSettings settings = {});
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;

  void start();
  /// Stops claiming; a run under way stops after its current page and goes back to the
  /// queue, to resume from its cursor.
  void request_stop() { loop_.request_stop(); }
  void stop();

 private:
  bool work(int index, std::stop_token stop);

  domain::EngineDeps deps_;
  domain::WorkerSettings settings_;
  std::string owner_prefix_;
  NotifiedLoop loop_;  // last: its threads use the members above
};

}  // namespace leadstream::daemon
