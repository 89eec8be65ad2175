#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <latch>
#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "api/errors.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "support/answer_log.hpp"
#include "support/api_client.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

using support::json_of;

struct Client : support::ApiClient {
  std::int64_t create_stream(const std::string& handle, const std::string& tier) {
    const auto created =
        post("/api/v2/streams", R"({"pairs": [{"accountHandle": ")" + handle + R"(", "accountTier": ")" + tier + R"(",
        "segment": {"description": "AI founders building developer tools"}}]})");
    REQUIRE(created.status == 201);
    return json_of(created).at("id").as_int64();
  }

  /// The run once it finished, polling as a client would.
  boost::json::object await_run(std::int64_t stream, std::int64_t run) {
    const auto path = "/api/v2/streams/" + std::to_string(stream) + "/runs/" + std::to_string(run);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto response = get(path);
      REQUIRE(response.status == 200);
      auto body = json_of(response).at("run").as_object();
      const auto status = body.at("status").as_string();
      if (status == "succeeded" || status == "failed") return body;
      std::this_thread::sleep_for(20ms);
    }
    FAIL("run " << run << " did not finish in 30 s");
    return {};
  }
};

std::function<void(daemon::Config&)> follower_source(const std::string& source) {
  return [source](daemon::Config& config) { config.follower_source = source; };
}

std::string path_of(std::int64_t stream, const std::string& rest = {}) {
  return "/api/v2/streams/" + std::to_string(stream) + rest;
}

}  // namespace

TEST_CASE("a manual run turns synthetic followers into leads, once", "[sync][http][db]") {
  support::RunningApp running(0, follower_source("synthetic:2500"));
  running.start_run_workers();
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = client.create_stream("yongfook", "starter");

  const auto requested = client.post(path_of(stream, "/run"));
  REQUIRE(requested.status == 202);
  const auto queued = json_of(requested).at("queued").as_array();
  REQUIRE(queued.size() == 1);
  CHECK(json_of(requested).at("skipped").as_array().empty());
  const auto run_id = queued[0].at("syncRunId").as_int64();
  // The original's accountId, and API.md's trackedAccountId beside it.
  CHECK(queued[0].at("accountId").as_int64() == queued[0].at("trackedAccountId").as_int64());

  const auto run = client.await_run(stream, run_id);
  INFO(boost::json::serialize(run));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("source").as_string() == "manual");
  CHECK(run.at("mode").as_string() == "sync-then-search");
  CHECK(run.at("newFollowersCount").as_int64() == 2500);
  CHECK(run.at("apiCalls").as_int64() == 3);  // 1,000 a page
  const auto passed = run.at("candidatesPassedCount").as_int64();
  CHECK(passed > 2000);  // about a tenth of synthetic followers are bots
  CHECK(passed < 2500);
  const auto high = run.at("highFitCount").as_int64();
  const auto medium = run.at("mediumFitCount").as_int64();
  CHECK(high > 0);
  CHECK(run.at("leadsCreated").as_int64() == high + medium);
  std::vector<std::string> steps;
  for (const auto& entry : run.at("progressLog").as_array()) steps.emplace_back(entry.at("step").as_string());
  CHECK(steps == std::vector<std::string>{"fetch_followers", "filter", "classify", "done"});

  // The leads, with their reasons, and the database agreeing.
  const auto leads = json_of(client.get(path_of(stream, "/leads?limit=500")));
  CHECK(leads.at("total").as_int64() == high + medium);
  const auto& first = leads.at("leads").as_array().at(0);
  CHECK(first.at("streamId").as_int64() == stream);
  CHECK_FALSE(first.at("reasons").as_array().empty());
  CHECK_FALSE(first.at("profile").at("bio").as_string().empty());
  CHECK(running.database().scalar("SELECT count(*) FROM followers") == "2500");
  CHECK(running.database().scalar("SELECT count(*) FROM leads") == std::to_string(high + medium));
  const auto high_only = json_of(client.get(path_of(stream, "/leads?matchConfidence=high&limit=1")));
  CHECK(high_only.at("total").as_int64() == high);
  CHECK(high_only.at("hasMore").as_bool() == (high > 1));

  // A starter account syncs once a day: /me counts the run, and a second one is refused.
  const auto me = json_of(client.get("/api/v2/me"));
  CHECK(me.at("accounts").at(0).at("dailySync").at("used").as_int64() == 1);
  CHECK(me.at("accounts").at(0).at("dailySync").at("remaining").as_int64() == 0);
  CHECK(me.at("totals").at("dailySyncRemaining").as_int64() == 0);
  const auto again = json_of(client.post(path_of(stream, "/run")));
  CHECK(again.at("queued").as_array().empty());
  CHECK(again.at("skipped").as_array().at(0).at("reason").as_string() == "budget_exhausted");

  CHECK(json_of(client.get(path_of(stream))).at("stream").at("lastRunAt").as_string() ==
        run.at("startedAt").as_string());
  const auto listed = json_of(client.get("/api/v2/runs?status=succeeded"));
  CHECK(listed.at("total").as_int64() == 1);
  CHECK(listed.at("runs").as_array().at(0).at("id").as_int64() == run_id);
}

TEST_CASE("a segment in the original's vocabulary: its labels and tiers narrow the leads",
          "[sync][http][db][segments]") {
  support::RunningApp running(0, follower_source("synthetic:2500"));
  running.start_run_workers();
  Client client{{running, running.new_team_key("acme")}};
  const auto labels = json_of(client.get("/api/v2/lookups/segment-labels"));
  const auto& groups = labels.at("appliedSearchFilters").as_array();
  REQUIRE(groups.size() >= 2);
  CHECK(groups[0].at("group").as_string() == "job_role");
  CHECK_FALSE(groups[0].at("ext").as_bool());
  CHECK(groups[1].at("group").as_string() == "skill");
  CHECK(labels.at("followerCountTiers").as_array()[2].at("value").as_string() == "10k_to_100k");

  const auto created = client.post("/api/v2/streams", R"({"pairs": [
      {"accountHandle": "yongfook", "accountTier": "growth",
       "segment": {"description": "AI founders building developer tools"}},
      {"accountHandle": "yongfook", "accountTier": "growth",
       "segment": {"description": "AI founders building developer tools", "followerCountTiers": ["1k_to_10k"],
                   "appliedSearchFilters": {"job_role": ["Founder", "CEO"], "skill": ["AI/ML"]}}}]})");
  REQUIRE(created.status == 201);
  const auto stream = json_of(created).at("id").as_int64();
  const auto segments = json_of(client.get("/api/v2/segments")).at("segments").as_array();
  REQUIRE(segments.size() == 2);
  std::int64_t narrow = 0;
  std::int64_t wide = 0;
  for (const auto& segment : segments) {
    (segment.at("followerCountTiers").as_array().empty() ? wide : narrow) = segment.at("id").as_int64();
  }
  CHECK(segments[0].at("appliedSearchFilters").as_object().size() +
            segments[1].at("appliedSearchFilters").as_object().size() ==
        2);

  const auto run = json_of(client.post(path_of(stream, "/run"))).at("queued").as_array().at(0).at("syncRunId");
  CHECK(client.await_run(stream, run.as_int64()).at("status").as_string() == "succeeded");
  const auto total = [&](std::int64_t segment) {
    const auto path = path_of(stream, "/leads?limit=1&segmentId=" + std::to_string(segment));
    return json_of(client.get(path)).at("total").as_int64();
  };
  const auto wide_leads = total(wide);
  const auto narrow_leads = total(narrow);
  INFO(wide_leads << " wide, " << narrow_leads << " narrow");
  CHECK(narrow_leads > 0);
  CHECK(narrow_leads < wide_leads);  // synthetic followers have 0 to 20,000 followers
  const auto narrow_page = json_of(client.get(path_of(stream, "/leads?limit=500&segmentId=" + std::to_string(narrow))));
  for (const auto& lead : narrow_page.at("leads").as_array()) {
    const auto followers = lead.at("profile").at("followerCount").as_int64();
    CHECK(followers >= 1000);
    CHECK(followers < 10000);
  }
}

TEST_CASE("a second sync skips the walk when the follower count has not moved", "[sync][http][db]") {
  support::RunningApp running(0, follower_source("synthetic:2500"));
  running.start_run_workers();
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = client.create_stream("levelsio", "growth");  // four syncs a day

  const auto first =
      json_of(client.post(path_of(stream, "/run"))).at("queued").as_array().at(0).at("syncRunId").as_int64();
  const auto leads = client.await_run(stream, first).at("leadsCreated").as_int64();
  const auto second =
      json_of(client.post(path_of(stream, "/run"))).at("queued").as_array().at(0).at("syncRunId").as_int64();
  const auto run = client.await_run(stream, second);
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("newFollowersCount").as_int64() == 0);
  // The synthetic account's follower count has not moved: no follower call at all.
  CHECK(run.at("apiCalls").as_int64() == 0);
  CHECK(run.at("progressLog").at(0).at("message").as_string() ==
        "@levelsio still has 2500 followers, as at the last sync: nothing to fetch");
  CHECK(run.at("leadsCreated").as_int64() == 0);
  CHECK(running.database().scalar("SELECT count(*) FROM leads") == std::to_string(leads));
  CHECK(json_of(client.get(path_of(stream, "/runs"))).at("runs").as_array().size() == 2);
}

TEST_CASE("runs and leads: errors, archived streams and other teams", "[sync][http][db]") {
  support::RunningApp running(0, follower_source("synthetic:100"));
  Client client{{running, running.new_team_key("acme")}};
  Client other{{running, running.new_team_key("globex")}};
  const auto stream = client.create_stream("yongfook", "starter");
  const auto run_id =
      json_of(client.post(path_of(stream, "/run"))).at("queued").as_array().at(0).at("syncRunId").as_int64();

  // No worker runs here: the run stays queued, so a second request finds it in progress.
  const auto again = json_of(client.post(path_of(stream, "/run")));
  CHECK(again.at("skipped").as_array().at(0).at("reason").as_string() == "run_in_progress");
  const auto queued = json_of(client.get(path_of(stream, "/runs/" + std::to_string(run_id)))).at("run");
  CHECK(queued.at("status").as_string() == "queued");
  CHECK(queued.at("completedAt").is_null());

  CHECK(other.post(path_of(stream, "/run")).status == 404);
  CHECK(other.get(path_of(stream, "/runs")).status == 404);
  CHECK(other.get(path_of(stream, "/runs/" + std::to_string(run_id))).status == 404);
  CHECK(other.get(path_of(stream, "/leads")).status == 404);
  CHECK(json_of(other.get("/api/v2/runs")).at("total").as_int64() == 0);
  CHECK(client.get(path_of(stream, "/runs/999999")).status == 404);
  CHECK(client.post(path_of(999999, "/run")).status == 404);

  const auto bad_limit = client.get(path_of(stream, "/runs?limit=0"));
  CHECK(bad_limit.status == 400);
  CHECK(json_of(bad_limit).at("details").as_array().at(0).at("field").as_string() == "limit");
  CHECK(client.get("/api/v2/runs?status=sleeping").status == 400);
  CHECK(client.get(path_of(stream, "/leads?matchConfidence=low")).status == 400);
  CHECK(client.get(path_of(stream, "/leads?since=yesterday")).status == 400);
  CHECK(client.get(path_of(stream, "/leads?since=2026-01-01T00:00:00Z")).status == 200);

  REQUIRE(client.del(path_of(stream)).status == 200);
  const auto archived = client.post(path_of(stream, "/run"));
  CHECK(archived.status == 400);
  CHECK(json_of(archived).at("error").as_string() == "stream_archived");
}

TEST_CASE("the demo fixture: handles resolve from files, and a run finds the labelled founders", "[sync][http][db]") {
  support::RunningApp running(0, follower_source("fixture:" LEADSTREAM_SOURCE_DIR "/demo/fixture"));
  running.start_run_workers();
  Client client{{running, running.new_team_key("acme")}};

  const auto stream_for = [&](const std::string& handle) {
    return client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": ")" + handle + R"(",
        "segment": {"description": "AI founders building developer tools"}}]})");
  };
  const auto missing = stream_for("nobody_here");
  CHECK(missing.status == 404);
  CHECK(json_of(missing).at("error").as_string() == "handle_not_found");
  const auto locked = stream_for("LockedCo");
  CHECK(locked.status == 422);
  CHECK(json_of(locked).at("error").as_string() == "handle_protected");
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts") == "0");
  // A protected account chose not to be public: its contacts are not looked up either.
  const auto locked_lookup = client.post("/api/v2/lookups/enrich", R"({"handle": "LockedCo"})");
  CHECK(locked_lookup.status == 422);
  CHECK(json_of(locked_lookup).at("error").as_string() == "handle_protected");
  CHECK(client.post("/api/v2/lookups/enrich-email", R"({"handle": "nobody_here"})").status == 404);
  CHECK(running.database().scalar("SELECT count(*) FROM enrichment_lookups") == "0");

  const auto created = stream_for("YongFook");
  REQUIRE(created.status == 201);
  const auto stream = json_of(created).at("id").as_int64();
  CHECK(running.database().scalar("SELECT x_user_id FROM tracked_accounts") == "2897991");
  const auto run_id =
      json_of(client.post(path_of(stream, "/run"))).at("queued").as_array().at(0).at("syncRunId").as_int64();
  const auto run = client.await_run(stream, run_id);
  INFO(boost::json::serialize(run));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("newFollowersCount").as_int64() == 230);
  const auto passed = run.at("candidatesPassedCount").as_int64();
  CHECK(passed >= 195);  // the 25 bots are out, and a labelled bio or two with a follow-farm ratio
  CHECK(passed <= 205);
  // 40 labelled founders, of whom the classifier finds 39, plus one near miss (bench/classifier).
  const auto leads = run.at("leadsCreated").as_int64();
  CHECK(leads >= 36);
  CHECK(leads <= 42);
  const auto listed = json_of(client.get(path_of(stream, "/leads?limit=1")));
  CHECK(listed.at("total").as_int64() == leads);
  CHECK(listed.at("leads").as_array().at(0).at("profile").at("xUserId").as_string().size() == 19);
}

TEST_CASE("segments from a description: the derived terms, stored for reuse", "[sync][http][db]") {
  support::RunningApp running(0);
  Client client{{running, running.new_team_key("acme")}};
  const auto created = client.post("/api/v2/lookups/segments/from-description",
                                   R"({"description": "AI founders building developer tools", "name": "AI devtools"})");
  REQUIRE(created.status == 201);
  const auto segment = json_of(created).at("segment");
  CHECK(segment.at("name").as_string() == "AI devtools");
  std::vector<std::string> keywords;
  for (const auto& k : segment.at("keywords").as_array()) keywords.emplace_back(k.as_string());
  CHECK(keywords == std::vector<std::string>{"ai", "founders", "building", "developer", "tools"});
  // The original's labels the words name, for the client to show and edit.
  const auto& filters = segment.at("appliedSearchFilters");
  CHECK(boost::json::serialize(filters.at("job_role")) == R"(["Founder","Developer"])");
  CHECK(boost::json::serialize(filters.at("skill")) == R"(["AI/ML","Software Engineering","Developer Tools"])");
  CHECK(json_of(client.get("/api/v2/segments")).at("segments").as_array().size() == 1);
  const auto missing = client.post("/api/v2/lookups/segments/from-description", R"({"name": "x"})");
  CHECK(missing.status == 400);
  CHECK(json_of(missing).at("details").at(0).at("field").as_string() == "description");
}

TEST_CASE("re-test: cached followers against the current segments, new matches only, within the budget",
          "[sync][http][db]") {
  support::RunningApp running(0, follower_source("fixture:" LEADSTREAM_SOURCE_DIR "/demo/fixture"));
  running.start_run_workers();
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = client.create_stream("yongfook", "starter");
  const auto first = json_of(client.post(path_of(stream, "/run"))).at("queued").at(0).at("syncRunId").as_int64();
  const auto synced = client.await_run(stream, first).at("leadsCreated").as_int64();

  // A second segment on the same account; its followers are cached already.
  const auto detail = json_of(client.get(path_of(stream))).at("stream");
  const auto account = detail.at("pairs").at(0).at("accountId").as_int64();
  const auto segment = detail.at("pairs").at(0).at("segmentId").as_int64();
  const auto patched = client.patch(
      path_of(stream), R"({"pairs": [{"accountId": )" + std::to_string(account) + R"(, "segmentId": )" +
                           std::to_string(segment) + R"(}, {"accountId": )" + std::to_string(account) +
                           R"(, "segment": {"description": "Marketing leaders at B2B SaaS companies"}}]})");
  REQUIRE(patched.status == 200);

  const auto requested = client.post(path_of(stream, "/re-test"), "{}");
  REQUIRE(requested.status == 202);
  const auto queued = json_of(requested).at("queued").as_array();
  REQUIRE(queued.size() == 2);  // one run per pair
  std::map<std::int64_t, boost::json::object> by_segment;
  for (const auto& item : queued) {
    CHECK(item.at("syncRunId").as_int64() == item.at("runId").as_int64());  // "the same shape" as run
    CHECK(item.at("accountId").as_int64() == item.at("trackedAccountId").as_int64());
    by_segment[item.at("segmentId").as_int64()] = client.await_run(stream, item.at("runId").as_int64());
  }
  const auto& same = by_segment.at(segment);
  CHECK(same.at("status").as_string() == "succeeded");
  CHECK(same.at("mode").as_string() == "re-test");
  CHECK(same.at("segmentId").as_int64() == segment);
  CHECK(same.at("leadsCreated").as_int64() == 0);  // every match is a lead already
  CHECK(same.at("highFitCount").as_int64() == 0);
  CHECK(same.at("apiCalls").as_int64() == 0);  // no call to the source
  for (const auto& [id, run] : by_segment) {
    if (id == segment) continue;
    CHECK(run.at("leadsCreated").as_int64() >= 30);  // 35 labelled marketing leaders among the followers
    CHECK(json_of(client.get(path_of(stream, "/leads?segmentId=" + std::to_string(id)))).at("total").as_int64() ==
          run.at("leadsCreated").as_int64());
  }
  CHECK(json_of(client.get(path_of(stream, "/leads?segmentId=" + std::to_string(segment)))).at("total").as_int64() ==
        synced);

  // A starter account has two re-tests a month.
  const auto me = json_of(client.get("/api/v2/me"));
  CHECK(me.at("accounts").at(0).at("monthlyRetest").at("used").as_int64() == 2);
  const auto exhausted =
      json_of(client.post(path_of(stream, "/re-test"), R"({"segmentId": )" + std::to_string(segment) + "}"));
  CHECK(exhausted.at("queued").as_array().empty());
  CHECK(exhausted.at("skipped").at(0).at("reason").as_string() == "budget_exhausted");
  CHECK(client.post(path_of(stream, "/re-test"), R"({"segmentId": 999999})").status == 400);
  CHECK(client.post(path_of(stream, "/re-test"), R"({"accountId": "x"})").status == 400);
}

TEST_CASE("concurrent run requests for one account never spend more than its daily syncs", "[sync][http][db]") {
  support::RunningApp running(0, follower_source("synthetic:100"));  // no run workers: runs stay queued
  const auto key = running.new_team_key("acme");
  Client client{{running, key}};
  constexpr int kStreams = 5;  // a growth account: 4 syncs a day, in up to 5 streams
  std::vector<std::int64_t> streams;
  for (int i = 0; i < kStreams; ++i) streams.push_back(client.create_stream("yongfook", "growth"));

  // All at once, past the HTTP server's four handler threads; and held at the account's
  // row until every one has read the account's usage (none spent yet), so that only the
  // check in the enqueueing transaction can keep the budget.
  const auto team = (*running.app().teams().find_by_name("acme"))->id;
  pqxx::connection holder(running.database().url());
  pqxx::work hold(holder);
  hold.exec("SELECT 1 FROM tracked_accounts WHERE handle = 'yongfook' FOR UPDATE");  // blocks inserts of its runs too
  std::latch start(kStreams);
  std::vector<std::thread> requests;
  std::vector<std::string> reasons(kStreams);
  for (int i = 0; i < kStreams; ++i) {
    requests.emplace_back([&, i] {
      start.arrive_and_wait();
      const auto requested = domain::request_run(running.app().run_requests(), team, domain::StreamId{streams[i]},
                                                 domain::RunSource::kManual);
      if (!requested) return;
      reasons[i] = requested->queued.empty() ? api::skip_reason_name(requested->skipped.at(0).reason) : "queued";
    });
  }
  std::this_thread::sleep_for(300ms);
  hold.commit();
  for (auto& request : requests) request.join();
  const auto syncs = running.database().scalar("SELECT count(*) FROM sync_runs WHERE mode = 'sync'");
  support::report_row("5 concurrent run requests for an account with 4 syncs left today", "4 syncs queued",
                      syncs + " syncs queued", syncs == "4");
  CHECK(std::ranges::count(reasons, "queued") == 4);
  CHECK(std::ranges::count(reasons, "budget_exhausted") == 1);
  CHECK(syncs == "4");
}

TEST_CASE("concurrent re-test requests for one account never spend more than its monthly re-tests",
          "[sync][http][db]") {
  support::RunningApp running(0, follower_source("synthetic:100"));
  const auto key = running.new_team_key("acme");
  Client client{{running, key}};
  // A starter account (2 re-tests a month) in two streams of two segments each: four pairs.
  std::vector<std::int64_t> streams;
  for (int i = 0; i < 2; ++i) {
    const auto created = client.post("/api/v2/streams", R"({"pairs": [
        {"accountHandle": "yongfook", "segment": {"description": "AI founders building developer tools )" +
                                                            std::to_string(i) + R"("}},
        {"accountHandle": "yongfook", "segment": {"description": "Designers who ship )" +
                                                            std::to_string(i) + R"("}}]})");
    REQUIRE(created.status == 201);
    streams.push_back(json_of(created).at("id").as_int64());
  }
  const auto team = (*running.app().teams().find_by_name("acme"))->id;
  pqxx::connection holder(running.database().url());
  pqxx::work hold(holder);
  hold.exec("SELECT 1 FROM tracked_accounts WHERE handle = 'yongfook' FOR UPDATE");  // until both read their usage
  std::latch start(2);
  std::vector<std::thread> requests;
  std::vector<int> queued(2, -1);
  for (int i = 0; i < 2; ++i) {
    requests.emplace_back([&, i] {
      start.arrive_and_wait();
      const auto requested =
          domain::request_retest(running.app().run_requests(), team, domain::StreamId{streams[i]}, {});
      if (requested) queued[i] = static_cast<int>(requested->queued.size());
    });
  }
  std::this_thread::sleep_for(300ms);
  hold.commit();
  for (auto& request : requests) request.join();
  const auto retests = running.database().scalar("SELECT count(*) FROM sync_runs WHERE mode = 'retest'");
  support::report_row("concurrent re-test requests for a starter account (2 re-tests a month)", "2 re-tests queued",
                      retests + " re-tests queued", retests == "2");
  CHECK(queued[0] + queued[1] == 2);
  CHECK(retests == "2");
}
