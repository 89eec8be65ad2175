#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "daemon/app.hpp"
#include "daemon/workers/run_worker.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "support/daemon_process.hpp"
#include "support/fake_x.hpp"
#include "support/labelled_bios.hpp"
#include "support/test_database.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

constexpr int kFollowers = 100'000;

daemon::Config config_for(const support::TestDatabase& database, const support::FakeX& x) {
  daemon::Config config;
  config.database_url = database.url();
  config.follower_source = "xapi";
  config.x_base_url = x.base_url();
  config.x_bearer_token = "test-x-token";
  return config;
}

/// A pro account with 100k followers in a stream with the three labelled segments, and
/// its run queued.
void queue_run(const support::TestDatabase& database, const support::FakeX& x) {
  daemon::App app(config_for(database, x));
  const auto team = app.teams().create("acme", "");
  REQUIRE(team);
  domain::StreamRequest request;
  for (const auto& segment : support::labelled_segments()) {
    request.pairs.push_back({domain::AccountRef{.handle = "bigacct", .tier = domain::Tier::kPro},
                             domain::SegmentRef{.draft = domain::SegmentDraft{.description = segment.description}}});
  }
  const auto stream = domain::create_stream(app.campaigns(), team->id, request);
  REQUIRE(stream);
  const auto requested = domain::request_run(app.run_requests(), team->id, stream->id);
  REQUIRE(requested);
  REQUIRE(requested->queued.size() == 1);
}

void await(const support::TestDatabase& database, const std::string& sql, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (database.scalar(sql) != "t") {
    if (std::chrono::steady_clock::now() > deadline) {
      FAIL("timed out waiting for: " << sql
                                     << "\nrun: " << database.scalar("SELECT row_to_json(r)::text FROM sync_runs r"));
    }
    std::this_thread::sleep_for(5ms);
  }
}

/// What a run produced, for comparing two databases.
struct Outcome {
  std::string counters;
  std::string followers;
  std::string leads;
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
  return out << "counters " << o.counters << ", followers " << o.followers << ", leads " << o.leads;
}

Outcome outcome_of(const support::TestDatabase& database) {
  return Outcome{
      database.scalar("SELECT status || ' new ' || new_followers_count || ' passed ' || candidates_passed_count ||"
                      " ' high ' || high_fit_count || ' medium ' || medium_fit_count || ' leads ' || leads_created ||"
                      " ' walked ' || followers_walked FROM sync_runs"),
      database.scalar("SELECT count(*) || ' ' || count(DISTINCT x_user_id) FROM followers"),
      database.scalar("SELECT count(*) || ' ' || md5(string_agg(segment_id || ':' || x_user_id || ':' ||"
                      " match_confidence, ',' ORDER BY segment_id, x_user_id)) FROM leads")};
}

}  // namespace

TEST_CASE("kill -9 in the middle of a 100k-follower run: after a restart it completes, nothing lost or doubled",
          "[crash][db]") {
  support::FakeX x;
  x.add_account("bigacct", "77", kFollowers);

  // The reference: the same run, uninterrupted, in a database of its own.
  support::TestDatabase reference;
  queue_run(reference, x);
  {
    daemon::App app(config_for(reference, x));
    daemon::RunWorker workers(app.engine(), reference.url(), 1, 20ms);
    workers.start();
    await(reference, "SELECT status = 'succeeded' FROM sync_runs", 120s);
  }
  const auto expected = outcome_of(reference);
  REQUIRE(expected.counters.starts_with("succeeded new 100000 "));

  support::TestDatabase database;
  queue_run(database, x);
  const std::vector<std::string> settings{"LEADSTREAM_FOLLOWER_SOURCE=xapi", "LEADSTREAM_X_BASE_URL=" + x.base_url(),
                                          "LEADSTREAM_X_BEARER_TOKEN=test-x-token", "LEADSTREAM_RUN_LEASE_SECONDS=2"};
  {
    support::DaemonProcess daemon(database.url(), settings);
    await(database, "SELECT followers_walked >= 30000 FROM sync_runs", 120s);
    daemon.signal(SIGKILL);
    CHECK(daemon.wait_for_exit() == -1);
  }
  const auto walked = std::stoi(database.scalar("SELECT followers_walked FROM sync_runs"));
  INFO("killed after " << walked << " followers");
  CHECK(database.scalar("SELECT status FROM sync_runs") == "running");  // as the dead process left it
  CHECK(walked < kFollowers);

  support::DaemonProcess restarted(database.url(), settings);
  await(database, "SELECT status = 'succeeded' FROM sync_runs", 60s);
  CHECK(database.scalar("SELECT attempt FROM sync_runs") == "2");
  CHECK(outcome_of(database) == expected);
}
