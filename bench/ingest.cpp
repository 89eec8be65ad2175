// bench/ingest: followers per second from a fake X API on loopback, through the real
// xapi adapter, the run queue and workers, classification against 3 segments, into
// PostgreSQL; against `psql \copy` of the same rows into the same table (the ceiling),
// measured in the same run; and this process's peak RSS (the fake X runs in a child).
//
//   bench/ingest [ACCOUNTS=10] [FOLLOWERS_PER_ACCOUNT=100000]   (the script: builds, starts PostgreSQL)

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pqxx/pqxx>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "daemon/app.hpp"
#include "daemon/workers/run_worker.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "support/fake_x.hpp"
#include "support/labelled_bios.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using Clock = std::chrono::steady_clock;

namespace {

/// Forks the fake X: the child serves `accounts` accounts of `followers` each until
/// killed; the parent gets its base URL. Before any thread starts, as fork requires.
std::pair<pid_t, std::string> start_fake_x(int accounts, int followers) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    support::FakeX x;
    for (int i = 0; i < accounts; ++i) x.add_account("acct" + std::to_string(i), std::to_string(1000 + i), followers);
    x.render_pages_ahead(1000);  // before the clock starts: X's rendering is not ours to count
    const auto url = x.base_url() + "\n";
    if (write(pipe_ends[1], url.data(), url.size()) < 0) _exit(1);
    close(pipe_ends[1]);
    pause();  // until SIGTERM
    _exit(0);
  }
  close(pipe_ends[1]);
  std::string url;
  char c = 0;
  while (read(pipe_ends[0], &c, 1) == 1 && c != '\n') url += c;
  close(pipe_ends[0]);
  return {child, url};
}

long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return -1;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

domain::StreamRequest stream_request(int accounts) {
  domain::StreamRequest request;
  for (int i = 0; i < accounts; ++i) {
    for (const auto& segment : support::labelled_segments()) {
      request.pairs.push_back(
          domain::PairRequest{domain::AccountRef{.handle = "acct" + std::to_string(i), .tier = domain::Tier::kPro},
                              domain::SegmentRef{.draft = domain::SegmentDraft{.description = segment.description}}});
    }
  }
  return request;
}

/// Seconds `psql \copy` takes to load the followers table from a CSV of its own rows.
double copy_ceiling(const support::TestDatabase& database) {
  const std::string csv = "/tmp/leadstream_ingest_" + std::to_string(getpid()) + ".csv";
  const std::string psql = "psql -qX \"" + database.url() + "\" -c ";
  if (std::system((psql + "\"\\copy followers TO '" + csv + "' CSV\"").c_str()) != 0) return -1;
  database.scalar("TRUNCATE followers");
  const auto start = Clock::now();
  const int status = std::system((psql + "\"\\copy followers FROM '" + csv + "' CSV\"").c_str());
  const auto elapsed = seconds_since(start);
  std::remove(csv.c_str());
  return status == 0 ? elapsed : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const int accounts = argc > 1 ? std::stoi(argv[1]) : 10;
  const int per_account = argc > 2 ? std::stoi(argv[2]) : 100'000;
  const auto [fake_x, x_url] = start_fake_x(accounts, per_account);
  spdlog::set_level(spdlog::level::warn);

  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  config.follower_source = "xapi";
  config.x_base_url = x_url;
  config.x_bearer_token = "test-x-token";
  daemon::App app(config);
  auto team = app.teams().create("bench", "");
  auto stream = domain::create_stream(app.campaigns(), team->id, stream_request(accounts));
  if (!stream) {
    std::fprintf(stderr, "cannot create the stream: %s\n", stream.error().message.c_str());
    kill(fake_x, SIGTERM);
    return 1;
  }

  const auto start = Clock::now();
  daemon::RunWorker workers(app.engine(), database.url(), daemon::App::kRunWorkerThreads,
                            std::chrono::milliseconds{20});
  workers.start();
  const auto requested = domain::request_run(app.run_requests(), team->id, stream->id);
  const auto queued = std::to_string(requested->queued.size());
  // One connection for the whole wait: a connection per poll (password hashing, a backend
  // forked) took a twentieth of the machine from the runs being timed.
  pqxx::connection watcher(database.url());
  while (pqxx::nontransaction(watcher)
             .exec("SELECT count(*) FROM sync_runs WHERE status IN ('succeeded', 'failed')")[0][0]
             .as<std::string>() != queued) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  const double ingest_seconds = seconds_since(start);
  workers.stop();
  kill(fake_x, SIGTERM);
  waitpid(fake_x, nullptr, 0);

  const auto failed = database.scalar("SELECT count(*) FROM sync_runs WHERE status = 'failed'");
  const auto followers = std::stol(database.scalar("SELECT count(*) FROM followers"));
  const auto leads = database.scalar("SELECT count(*) FROM leads");
  const auto rss_mib = static_cast<double>(peak_rss_kib()) / 1024.0;
  const double copy_seconds = copy_ceiling(database);
  const double rate = static_cast<double>(followers) / ingest_seconds;
  const double copy_rate = static_cast<double>(followers) / copy_seconds;
  std::printf("ingest: %ld followers of %d accounts (%s runs failed), %s leads, in %.2f s: %.0f followers/s\n",
              followers, accounts, failed.c_str(), leads.c_str(), ingest_seconds, rate);
  std::printf("psql \\copy of the same rows into the same table: %.2f s: %.0f rows/s\n", copy_seconds, copy_rate);
  std::printf("ratio to COPY: %.2f   peak RSS: %.1f MiB\n", rate / copy_rate, rss_mib);
  std::printf("result %.0f %.0f %.3f %.1f\n", rate, copy_rate, rate / copy_rate, rss_mib);  // for bench/ingest
  return failed == "0" ? 0 : 1;
}
