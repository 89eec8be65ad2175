#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/http/curl_client.hpp"
#include "support/answer_log.hpp"
#include "support/daemon_process.hpp"
#include "support/running_app.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

/// Statuses answered to a stream of requests, counted.
class StatusCounts {
 public:
  void add(int status) {
    std::lock_guard lock(mutex_);
    ++counts_[status];
  }
  std::map<int, int> counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<int, int> counts_;
};

/// GETs `url` every `every` on its own thread until destroyed; 0 counts a refused connection.
class Poller {
 public:
  Poller(std::string url, std::string key, std::chrono::milliseconds every)
      : thread_([this, url = std::move(url), key = std::move(key), every] {
          adapters::http::CurlHttpClient client;
          adapters::http::Headers headers;
          if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
          while (!stop_) {
            const auto response = client.send({.url = url, .headers = headers, .timeout = 15s});
            const int status = response ? response->status : 0;
            counts.add(status);
            last = status;
            std::this_thread::sleep_for(every);
          }
        }) {}
  ~Poller() {
    stop_ = true;
    thread_.join();
  }

  StatusCounts counts;
  std::atomic<int> last{0};

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string describe(const std::map<int, int>& counts) {
  std::string text;
  for (const auto& [status, count] : counts) text += std::to_string(status) + ": " + std::to_string(count) + "  ";
  return text;
}

}  // namespace

TEST_CASE("PostgreSQL restarted under load: the daemon recovers by itself and answers no 500", "[resilience][db]") {
  support::RunningApp setup(0);  // the database, migrated, and a key
  const auto key = setup.new_team_key("acme");
  support::DaemonProcess daemon(setup.database().url(),
                                {"LEADSTREAM_RATE_LIMIT_PER_MINUTE=0", "LEADSTREAM_FOLLOWER_SOURCE=synthetic:300"});
  adapters::http::CurlHttpClient client;
  const adapters::http::Headers json{{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}};
  const auto created = client.send({.method = "POST",
                                    .url = daemon.base_url() + "/api/v2/streams",
                                    .headers = json,
                                    .body = R"({"pairs": [{"accountHandle": "yongfook", "accountTier": "pro",
                                        "segment": {"description": "AI founders building developer tools"}}]})"});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const auto stream = std::to_string(boost::json::parse(created->body).at("id").as_int64());

  std::map<int, int> me_counts;
  std::map<int, int> ready_counts;
  {
    Poller me(daemon.base_url() + "/api/v2/me", key, 20ms);
    Poller ready(daemon.base_url() + "/readyz", "", 100ms);
    std::this_thread::sleep_for(300ms);
    {
      const support::TestDatabase::ServerOutage outage;
      std::this_thread::sleep_for(2500ms);  // past /readyz's 1 s cache
      CHECK(ready.last == 503);
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (ready.last != 200 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
    REQUIRE(ready.last == 200);
    std::this_thread::sleep_for(500ms);
    me_counts = me.counts.counts();
    ready_counts = ready.counts.counts();
  }
  WARN("during a PostgreSQL restart, /me answered " << describe(me_counts) << "and /readyz " << describe(ready_counts));
  support::report_row("/me under load while PostgreSQL is down 2.5 s", "no 500; /readyz 503 then 200; recovers",
                      "/me " + describe(me_counts) + "/readyz " + describe(ready_counts),
                      me_counts[500] == 0 && ready_counts[503] > 0);
  CHECK(me_counts[503] > 0);   // the outage was seen...
  CHECK(me_counts[500] == 0);  // ...as a retryable 503, never as a 500
  CHECK(me_counts[200] > 10);
  CHECK(ready_counts[503] > 0);

  // Once ready, every pooled connection is a good one: no request fails on a stale one.
  for (int i = 0; i < 20; ++i) {
    const auto response = client.send({.url = daemon.base_url() + "/api/v2/me", .headers = json});
    REQUIRE(response);
    CHECK(response->status == 200);
  }
  // The run workers and the scheduler reconnected: a run goes through, and a leader holds the lock.
  const auto run =
      client.send({.method = "POST", .url = daemon.base_url() + "/api/v2/streams/" + stream + "/run", .headers = json});
  REQUIRE(run);
  REQUIRE(run->status == 202);
  const auto run_id = boost::json::parse(run->body).at("queued").at(0).at("syncRunId").as_int64();
  std::string status;
  for (const auto deadline = std::chrono::steady_clock::now() + 30s;
       status != "succeeded" && status != "failed" && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(100ms);
    const auto read = client.send(
        {.url = daemon.base_url() + "/api/v2/streams/" + stream + "/runs/" + std::to_string(run_id), .headers = json});
    if (read && read->status == 200) status = boost::json::parse(read->body).at("run").at("status").as_string();
  }
  CHECK(status == "succeeded");
  std::string leaders;
  for (const auto deadline = std::chrono::steady_clock::now() + 60s;
       leaders != "1" && std::chrono::steady_clock::now() < deadline;) {
    leaders = setup.database().scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted");
    if (leaders != "1") std::this_thread::sleep_for(200ms);
  }
  CHECK(leaders == "1");

  // Restarted while idle: the pooled connections are all stale, and no request may pay for it.
  { const support::TestDatabase::ServerOutage outage; }
  std::this_thread::sleep_for(1500ms);  // past /readyz's cache
  std::map<int, int> after_idle_restart;
  for (int i = 0; i < 20; ++i) {
    const auto response = client.send({.url = daemon.base_url() + "/api/v2/me", .headers = json});
    REQUIRE(response);
    ++after_idle_restart[response->status];
  }
  INFO(describe(after_idle_restart));
  CHECK(after_idle_restart[200] == 20);
}
