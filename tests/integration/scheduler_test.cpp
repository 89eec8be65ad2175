#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "adapters/postgres/pg_scheduler_store.hpp"
#include "support/daemon_process.hpp"
#include "support/running_app.hpp"
#include "support/seed.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

const adapters::http::Headers kJson{{"Content-Type", "application/json"}};

std::int64_t create_stream(support::RunningApp& running, const std::string& key, const std::string& schedule) {
  const auto created = running.request("POST", "/api/v2/streams", key, kJson,
                                       R"({"pairs": [
      {"accountHandle": "yongfook", "accountTier": "growth",
       "segment": {"description": "AI founders building developer tools"}}], )" +
                                           schedule + "}");
  REQUIRE(created.status == 201);
  return boost::json::parse(created.body).at("id").as_int64();
}

}  // namespace

TEST_CASE("the cron path: a due stream is enqueued once, however many slots were missed", "[scheduler][db]") {
  support::RunningApp running(0, [](daemon::Config& config) { config.follower_source = "synthetic:300"; });
  const auto key = running.new_team_key("acme");
  const auto stream = create_stream(running, key, R"("schedule": {"cron": "0 9 * * *"}, "timezone": "Europe/Paris")");
  const auto& database = running.database();

  auto tick = domain::schedule_tick(running.app().scheduler());
  REQUIRE(tick);
  CHECK(tick->streams_scheduled == 1);
  CHECK(tick->runs_enqueued == 0);
  // 09:00 in Paris is 08:00 UTC in winter, 07:00 in summer.
  const auto hour = database.scalar("SELECT extract(hour FROM next_sync_at AT TIME ZONE 'UTC') FROM streams");
  CHECK((hour == "8" || hour == "7"));
  CHECK(database.scalar("SELECT next_sync_at > now() FROM streams") == "t");

  // Three days went by with no process running: the stream fires once, not three times.
  database.scalar("UPDATE streams SET next_sync_at = now() - interval '3 days'");
  tick = domain::schedule_tick(running.app().scheduler());
  REQUIRE(tick);
  CHECK(tick->streams_due == 1);
  CHECK(tick->runs_enqueued == 1);
  CHECK(database.scalar("SELECT next_sync_at > now() FROM streams") == "t");
  tick = domain::schedule_tick(running.app().scheduler());
  CHECK(tick->runs_enqueued == 0);
  CHECK(database.scalar("SELECT count(*) FROM sync_runs WHERE source = 'cron'") == "1");

  // Unattended: the workers carry it out.
  running.start_run_workers();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (database.scalar("SELECT status FROM sync_runs") != "succeeded" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  CHECK(database.scalar("SELECT status FROM sync_runs") == "succeeded");
  CHECK(database.scalar("SELECT count(*) > 0 FROM leads WHERE stream_id = " + std::to_string(stream)) == "t");
  const auto runs = running.request("GET", "/api/v2/runs", key);
  CHECK(boost::json::parse(runs.body).at("runs").at(0).at("source").as_string() == "cron");
}

TEST_CASE("an account due in several streams gets no more syncs than its daily cap; skips are counted",
          "[scheduler][db]") {
  support::RunningApp running(0, [](daemon::Config& config) { config.follower_source = "synthetic:300"; });
  const auto key = running.new_team_key("acme");
  for (int i = 0; i < 3; ++i) create_stream(running, key, R"("schedule": {"cron": "0 9 * * *"}, "timezone": "UTC")");
  const auto& database = running.database();
  // The growth tier syncs an account 4 times a day: 3 are spent, 1 is left for 3 streams.
  database.scalar("INSERT INTO sync_runs (team_id, stream_id, account_id, source, mode, status)"
                  " SELECT s.team_id, s.id, p.account_id, 'manual', 'sync', 'succeeded'"
                  " FROM streams s JOIN stream_pairs p ON p.stream_id = s.id");
  database.scalar("UPDATE streams SET next_sync_at = now() - interval '1 minute'");

  const auto tick = domain::schedule_tick(running.app().scheduler());
  REQUIRE(tick);
  CHECK(tick->streams_due == 3);
  CHECK(tick->runs_enqueued == 1);
  CHECK(tick->skipped_budget_exhausted == 2);
  CHECK(tick->skipped_account_sleeping == 0);
  CHECK(database.scalar("SELECT count(*) FROM sync_runs WHERE source = 'cron'") == "1");

  // Asleep, the account is skipped in every stream, and says so.
  database.scalar("UPDATE tracked_accounts SET is_active = false");
  database.scalar("UPDATE streams SET next_sync_at = now() - interval '1 minute'");
  const auto asleep = domain::schedule_tick(running.app().scheduler());
  REQUIRE(asleep);
  CHECK(asleep->runs_enqueued == 0);
  CHECK(asleep->skipped_account_sleeping == 3);
  CHECK(asleep->skipped_budget_exhausted == 0);
}

TEST_CASE("a rescheduled, paused or archived stream is not enqueued on its old slot", "[scheduler][db]") {
  support::RunningApp running(0);
  const auto key = running.new_team_key("acme");
  const auto stream = create_stream(running, key, R"("syncTimes": ["09:00"])");
  const auto& database = running.database();
  REQUIRE(domain::schedule_tick(running.app().scheduler()));
  database.scalar("UPDATE streams SET next_sync_at = now() - interval '1 minute'");

  const auto path = "/api/v2/streams/" + std::to_string(stream);
  REQUIRE(running.request("PATCH", path, key, kJson, R"({"syncTimes": ["10:00", "22:00"]})").status == 200);
  CHECK(database.scalar("SELECT next_sync_at IS NULL FROM streams") == "t");
  auto tick = domain::schedule_tick(running.app().scheduler());
  CHECK(tick->streams_scheduled == 1);
  CHECK(tick->runs_enqueued == 0);

  database.scalar("UPDATE streams SET next_sync_at = now() - interval '1 minute'");
  REQUIRE(running.request("PATCH", path, key, kJson, R"({"isActive": false})").status == 200);
  tick = domain::schedule_tick(running.app().scheduler());
  CHECK(tick->streams_scheduled == 0);
  CHECK(tick->runs_enqueued == 0);
  CHECK(database.scalar("SELECT count(*) FROM sync_runs") == "0");
}

TEST_CASE("ten thousand streams due in the same minute are enqueued in one tick", "[scheduler][db]") {
  support::TestDatabase database;
  support::seed_due_streams(database, 10'000);
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  // The tick's own time: a stream whose next quarter-hour slot falls a moment after it is
  // due again by the time the check below runs (104 of 10,000 at :59.7, say).
  const auto tick_time = database.scalar("SELECT now()::text");
  const auto started = std::chrono::steady_clock::now();
  const auto tick = domain::schedule_tick(app.scheduler());
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  REQUIRE(tick);
  WARN("10,000 due streams enqueued in " << elapsed.count()
                                         << " ms (bench/scheduler measures it against a bare INSERT)");
  CHECK(tick->streams_due == 10'000);
  CHECK(tick->runs_enqueued == 10'000);
  CHECK(database.scalar("SELECT count(DISTINCT (stream_id, account_id)) FROM sync_runs") == "10000");
  CHECK(database.scalar("SELECT count(*) FROM streams WHERE next_sync_at <= '" + tick_time + "'") == "0");
  CHECK(domain::schedule_tick(app.scheduler())->runs_enqueued == 0);
}

TEST_CASE("one process leads the scheduler; another takes over when it goes", "[scheduler][db]") {
  support::TestDatabase database;
  auto first = std::make_unique<adapters::postgres::PgLeadership>(database.url());
  adapters::postgres::PgLeadership second(database.url());
  CHECK(first->lead());
  CHECK_FALSE(second.lead());
  CHECK(first->lead());  // still
  first.reset();         // its session ends, as when its process dies
  CHECK(second.lead());
}

TEST_CASE("two daemons on one database: every due run happens once", "[scheduler][daemon][db]") {
  support::TestDatabase database;
  support::seed_due_streams(database, 40);
  const std::vector<std::string> settings{"LEADSTREAM_FOLLOWER_SOURCE=synthetic:300"};
  support::DaemonProcess first(database.url(), settings);
  support::DaemonProcess second(database.url(), settings);

  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (database.scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") != "40" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  CHECK(database.scalar("SELECT count(*) FROM sync_runs") == "40");
  CHECK(database.scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded' AND attempt = 1") == "40");
  CHECK(database.scalar("SELECT count(DISTINCT stream_id) FROM sync_runs") == "40");
  // Every follower processed once per stream, and each counted once.
  CHECK(database.scalar("SELECT sum(cardinality(processed_by)) FROM followers") == "12000");
  CHECK(database.scalar("SELECT sum(new_followers_count) FROM sync_runs") == "12000");
  CHECK(database.scalar("SELECT sum(leads_created) = (SELECT count(*) FROM leads) FROM sync_runs") == "t");
}

TEST_CASE("finished runs lose their progress logs after two weeks and go after ninety days", "[scheduler][db]") {
  support::TestDatabase database;
  support::seed_due_streams(database, 3);
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  REQUIRE(domain::schedule_tick(app.scheduler())->runs_enqueued == 3);
  database.scalar(
      "UPDATE sync_runs SET status = 'succeeded', progress_log = '[{\"step\": \"done\"}]',"
      " completed_at = now() - interval '1 day' * (ARRAY[1, 20, 100])[id - (SELECT min(id) - 1 FROM sync_runs)]");
  const auto pruned = domain::prune_finished_runs(app.scheduler());
  REQUIRE(pruned);
  CHECK(*pruned == 1);
  CHECK(database.scalar("SELECT count(*) FROM sync_runs") == "2");
  CHECK(database.scalar("SELECT string_agg(jsonb_array_length(progress_log)::text, ',' ORDER BY id) FROM sync_runs") ==
        "1,0");
}

TEST_CASE("expired Idempotency-Key records and month-old applied billing changes are pruned", "[scheduler][db]") {
  support::TestDatabase database;
  daemon::Config config;
  config.database_url = database.url();
  daemon::App app(config);
  const auto team = std::to_string(app.teams().create("acme", "")->id.value);
  database.scalar("INSERT INTO idempotency_keys (team_id, key, fingerprint, status, body, created_at) VALUES (" + team +
                  ", 'old', 'f', 201, '{}', now() - interval '25 hours'), (" + team +
                  ", 'fresh', 'f', 201, '{}', now() - interval '23 hours') RETURNING 1");
  database.scalar("INSERT INTO billing_changes (team_id, tier, quantity, effective, reason, applied_at) VALUES (" +
                  team + ", 'starter', 1, 'now', 'old', now() - interval '40 days'), (" + team +
                  ", 'starter', 2, 'now', 'recent', now() - interval '2 days'), (" + team +
                  ", 'starter', 3, 'now', 'pending', NULL) RETURNING 1");
  const auto pruned = domain::prune_records(app.scheduler());
  REQUIRE(pruned);
  CHECK(*pruned == 2);
  CHECK(database.scalar("SELECT string_agg(key, ',') FROM idempotency_keys") == "fresh");
  CHECK(database.scalar("SELECT string_agg(reason, ',' ORDER BY id) FROM billing_changes") == "recent,pending");
}
