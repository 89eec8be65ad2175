#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <map>
#include <thread>
#include <vector>

#include "domain/use_cases/accounts.hpp"
#include "support/api_client.hpp"

using namespace leadstream;

namespace {

using support::json_of;
using Client = support::ApiClient;

constexpr const char* kStream = R"({
  "name": "AI founders watching Yongfook",
  "pairs": [{"accountHandle": "yongfook", "accountTier": "growth",
             "segment": {"description": "AI founders building developer tools"}}],
  "syncTimes": ["09:00"], "timezone": "Europe/Paris",
  "autoEnrichLinkedin": true, "autoEnrichEmail": true
})";

}  // namespace

TEST_CASE("segments: create, list, and typed validation errors", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};

  const auto created = client.post("/api/v2/segments", R"({"description": "Seed-stage fintech founders in Europe",
      "name": "EU fintech", "genderValues": ["female"], "appliedSearchFilters": {"role": ["founder"]},
      "followerCountTiers": ["1k-10k"]})");
  REQUIRE(created.status == 201);
  const auto id = json_of(created).at("id").as_int64();
  CHECK(json_of(created).at("userFacingId").as_string() == "seg_" + std::to_string(id));

  const auto listed = json_of(client.get("/api/v2/segments")).at("segments").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("name").as_string() == "EU fintech");
  CHECK(listed[0].at("appliedSearchFilters").at("role").as_array()[0].as_string() == "founder");
  CHECK(listed[0].at("keywords").as_array().size() == 5);  // seed stage fintech founders europe
  CHECK(listed[0].at("linkedStreamCount").as_int64() == 0);

  const auto orphan =
      client.post("/api/v2/segments", R"({"description": "x y z", "appliedSearchFilters": {"role": ["wizard"]}})");
  CHECK(orphan.status == 400);
  CHECK(json_of(orphan).at("error").as_string() == "orphan_label");
  CHECK(json_of(orphan).at("orphans").as_array()[0].as_string() == "role:wizard");

  const auto short_description = client.post("/api/v2/segments", R"({"description": "ai"})");
  CHECK(short_description.status == 400);
  CHECK(json_of(short_description).at("details").as_array()[0].at("field").as_string() == "description");

  const auto wrong_types = client.post("/api/v2/segments", R"({"description": 5, "genderValues": "female"})");
  CHECK(wrong_types.status == 400);
  CHECK(json_of(wrong_types).at("details").as_array().size() == 2);
  CHECK(client.post("/api/v2/segments", "[1, 2]").status == 400);
  CHECK(json_of(client.get("/api/v2/segments")).at("segments").as_array().size() == 1);
}

TEST_CASE("streams: one-shot create tracks and bills the account, then reads back", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};

  const auto created = client.post("/api/v2/streams", kStream);
  REQUIRE(created.status == 201);
  const auto body = json_of(created);
  const auto stream_id = body.at("id").as_int64();
  const auto& account = body.at("accounts").as_array()[0];
  CHECK(account.at("handle").as_string() == "yongfook");
  CHECK(account.at("accountCreated").as_bool());
  CHECK(account.at("billingDelta").as_string() == "stripe_quantity_incremented");  // the original's string
  CHECK(account.at("billing").at("tier").as_string() == "growth");                 // ext: the figures
  CHECK(account.at("billing").at("change").as_int64() == 1);
  CHECK(account.at("billing").at("quantity").as_int64() == 1);
  CHECK(body.at("segments").as_array()[0].at("segmentCreated").as_bool());
  CHECK(running.database().scalar("SELECT tier || ':' || quantity || ':' || effective FROM billing_changes") ==
        "growth:1:now");

  const auto stream = json_of(client.get("/api/v2/streams/" + std::to_string(stream_id))).at("stream");
  CHECK(stream.at("name").as_string() == "AI founders watching Yongfook");
  CHECK(stream.at("timezone").as_string() == "Europe/Paris");
  CHECK(stream.at("syncTimes").as_array()[0].as_string() == "09:00");
  CHECK(stream.at("autoEnrichEmail").as_bool());
  CHECK(stream.at("emailMode").as_string() == "any");  // the original's default
  CHECK(stream.at("telegramOverride").is_null());
  CHECK(stream.at("pairs").as_array()[0].at("xHandle").as_string() == "yongfook");
  CHECK(stream.at("pairs").as_array()[0].at("tier").as_string() == "growth");
  CHECK(stream.at("isArchived").as_bool() == false);
  CHECK(stream.at("nextRunAt").as_string().ends_with(":00:00Z"));  // 09:00 Paris is 07:00 or 08:00 UTC

  const auto accounts = json_of(client.get("/api/v2/accounts"));
  REQUIRE(accounts.at("active").as_array().size() == 1);
  CHECK(accounts.at("sleeping").as_array().empty());
  CHECK(accounts.at("active").as_array()[0].at("assignedSegmentIds").as_array().size() == 1);

  // The same handle again: no new account, no new billing change.
  const auto again = json_of(client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "@YongFook",
      "segmentId": )" + std::to_string(body.at("segments").as_array()[0].at("segmentId").as_int64()) +
                                                                "}]}"));
  CHECK(again.at("accounts").as_array()[0].at("accountCreated").as_bool() == false);
  CHECK(again.at("accounts").as_array()[0].at("billingDelta").is_null());
  CHECK(again.at("accounts").as_array()[0].at("billing").is_null());
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes") == "1");
  CHECK(json_of(client.get("/api/v2/streams")).at("streams").as_array().size() == 2);
}

TEST_CASE("streams: archive hides a stream from the default list and keeps it", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto id = std::to_string(json_of(client.post("/api/v2/streams", kStream)).at("id").as_int64());

  const auto archived = client.del("/api/v2/streams/" + id);
  CHECK(archived.status == 200);
  CHECK(json_of(archived).at("archived").as_bool());
  CHECK(json_of(client.get("/api/v2/streams")).at("streams").as_array().empty());
  const auto all = json_of(client.get("/api/v2/streams?includeArchived=true")).at("streams").as_array();
  REQUIRE(all.size() == 1);
  CHECK(all[0].at("isArchived").as_bool());
  CHECK(json_of(client.get("/api/v2/streams/" + id)).at("stream").at("isArchived").as_bool());
}

TEST_CASE("streams: another team's ids answer 404 everywhere", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client acme{running, running.new_team_key("acme")};
  Client globex{running, running.new_team_key("globex")};
  const auto created = json_of(acme.post("/api/v2/streams", kStream));
  const auto id = std::to_string(created.at("id").as_int64());
  const auto account_id = std::to_string(created.at("accounts").as_array()[0].at("accountId").as_int64());

  CHECK(globex.get("/api/v2/streams/" + id).status == 404);
  CHECK(globex.del("/api/v2/streams/" + id).status == 404);
  CHECK(json_of(globex.get("/api/v2/streams")).at("streams").as_array().empty());
  CHECK(json_of(globex.get("/api/v2/accounts")).at("active").as_array().empty());
  CHECK(json_of(globex.get("/api/v2/segments")).at("segments").as_array().empty());
  const auto borrowed = globex.post("/api/v2/streams", R"({"pairs": [{"accountId": )" + account_id +
                                                           R"(, "segment": {"description": "anyone at all"}}]})");
  CHECK(borrowed.status == 404);
  CHECK(running.database().scalar("SELECT count(*) FROM segments") == "1");  // globex's inline one rolled back
  CHECK(json_of(acme.get("/api/v2/streams/" + id)).at("stream").at("isArchived").as_bool() == false);
}

TEST_CASE("streams: invalid requests are 400 with details and change nothing", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto field_of = [&](const std::string& body) {
    const auto response = client.post("/api/v2/streams", body);
    CHECK(response.status == 400);
    CHECK(json_of(response).at("error").as_string() == "invalid_request");
    return std::string(json_of(response).at("details").as_array()[0].at("field").as_string());
  };
  CHECK(field_of(R"({})") == "pairs");
  CHECK(field_of(R"({"pairs": []})") == "pairs");
  CHECK(field_of(R"({"pairs": [{"accountHandle": "a"}]})") == "pairs[0].segment");
  CHECK(field_of(R"({"pairs": [{"accountHandle": "a", "accountTier": "gold", "segmentId": 1}]})") ==
        "pairs[0].accountTier");
  CHECK(field_of(
            R"({"timezone": "Nowhere/Land", "pairs": [{"accountHandle": "a", "segment": {"description": "abc"}}]})") ==
        "timezone");
  CHECK(field_of(R"({"autoEnrichEmail": "yes", "pairs": [{"accountHandle": "a", "segmentId": 1}]})") ==
        "autoEnrichEmail");
  CHECK(running.database().scalar("SELECT count(*) FROM streams") == "0");
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts") == "0");
}

TEST_CASE("streams: a starter account joins at most 2 streams (400 stream_cap_exceeded)", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const std::string body = R"({"pairs": [{"accountHandle": "yongfook", "accountTier": "starter",
      "segment": {"description": "AI founders building developer tools"}}]})";
  REQUIRE(client.post("/api/v2/streams", body).status == 201);
  REQUIRE(client.post("/api/v2/streams", body).status == 201);
  const auto third = client.post("/api/v2/streams", body);
  CHECK(third.status == 400);
  CHECK(json_of(third).at("error").as_string() == "stream_cap_exceeded");
  CHECK(json_of(third).at("message").as_string() ==
        "@yongfook is already in as many streams as its starter tier allows.");
  CHECK(running.database().scalar("SELECT count(*) FROM streams") == "2");
}

TEST_CASE("accounts: sleep, wake and change-tier over HTTP", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  Client stranger{running, running.new_team_key("globex")};
  const auto created = json_of(client.post("/api/v2/streams", kStream));
  const auto id = std::to_string(created.at("accounts").as_array()[0].at("accountId").as_int64());
  const auto path = "/api/v2/accounts/" + id;

  CHECK(stranger.post(path + "/sleep", "").status == 404);
  const auto slept = client.post(path + "/sleep", "");
  REQUIRE(slept.status == 200);
  CHECK(json_of(slept).at("asleep").as_bool());
  CHECK(json_of(slept).at("billing").at("change").as_int64() == -1);
  CHECK(json_of(slept).at("billingDelta").as_string() == "stripe_quantity_decremented");
  CHECK(json_of(client.get("/api/v2/accounts")).at("sleeping").as_array().size() == 1);
  const auto stream_path = "/api/v2/streams/" + std::to_string(created.at("id").as_int64());
  const auto asleep_run = json_of(client.post(stream_path + "/run"));
  CHECK(asleep_run.at("queued").as_array().empty());
  CHECK(asleep_run.at("skipped").as_array().at(0).at("reason").as_string() == "account_sleeping");
  const auto asleep_retest = json_of(client.post(stream_path + "/re-test"));
  CHECK(asleep_retest.at("skipped").as_array().at(0).at("reason").as_string() == "account_sleeping");

  const auto refused = client.post(path + "/change-tier", R"({"newTier": "pro"})");
  CHECK(refused.status == 400);
  CHECK(json_of(refused).at("message").as_string() == "Wake this account first to change its tier.");

  const auto woken = client.post(path + "/wake", "");
  REQUIRE(woken.status == 200);
  CHECK(json_of(woken).at("awake").as_bool());

  const auto upgraded = json_of(client.post(path + "/change-tier", R"({"newTier": "pro"})"));
  CHECK(upgraded.at("action").as_string() == "upgraded");
  CHECK(upgraded.at("account").at("tier").as_string() == "pro");

  const auto downgraded = json_of(client.post(path + "/change-tier", R"({"newTier": "starter"})"));
  CHECK(downgraded.at("action").as_string() == "downgrade_scheduled");
  CHECK(downgraded.at("account").at("pendingTier").as_string() == "starter");
  CHECK(downgraded.at("effectiveAt").as_string().ends_with("-01T00:00:00Z"));
  CHECK(json_of(client.get("/api/v2/accounts")).at("active").as_array()[0].at("pendingTier").as_string() == "starter");

  const auto bad = client.post(path + "/change-tier", R"({"newTier": "platinum"})");
  CHECK(bad.status == 400);
  CHECK(json_of(bad).at("details").as_array()[0].at("field").as_string() == "newTier");
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes") == "7");  // add, sleep, wake, 2 + 2
}

TEST_CASE("/me reports each active account's budgets from its tier", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  REQUIRE(json_of(client.get("/api/v2/me")).at("accounts").as_array().empty());  // cached now
  const auto created = json_of(client.post("/api/v2/streams", kStream));
  const auto id = created.at("accounts").as_array()[0].at("accountId").as_int64();

  const auto me = json_of(client.get("/api/v2/me"));  // the write dropped the cached answer
  const auto& accounts = me.at("accounts").as_array();
  REQUIRE(accounts.size() == 1);
  CHECK(accounts[0].at("accountId").as_int64() == id);
  CHECK(accounts[0].at("tier").as_string() == "growth");
  CHECK(accounts[0].at("dailySync").at("cap").as_int64() == 4);
  CHECK(accounts[0].at("dailySync").at("remaining").as_int64() == 4);
  CHECK(accounts[0].at("monthlyRetest").at("budget").as_int64() == 8);
  CHECK(accounts[0].at("monthlyRetest").at("billingPeriodStart").as_string().ends_with("-01T00:00:00Z"));
  CHECK(me.at("totals").at("dailySyncRemaining").as_int64() == 4);
  CHECK(me.at("totals").at("monthlyRetestRemaining").as_int64() == 8);

  REQUIRE(client.post("/api/v2/accounts/" + std::to_string(id) + "/sleep", "").status == 200);
  CHECK(json_of(client.get("/api/v2/me")).at("accounts").as_array().empty());
}

TEST_CASE("streams: PATCH settings and pairs over HTTP", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  Client stranger{running, running.new_team_key("globex")};
  const auto created = json_of(client.post("/api/v2/streams", kStream));
  const auto path = "/api/v2/streams/" + std::to_string(created.at("id").as_int64());
  const auto segment_id = std::to_string(created.at("segments").as_array()[0].at("segmentId").as_int64());
  const auto patch = [&](Client& who, const std::string& body) { return who.patch(path, body); };

  const auto renamed =
      patch(client, R"({"name": "Renamed", "schedule": {"cron": "0 9 * * 1-5"}, "telegramOverride": null})");
  REQUIRE(renamed.status == 200);
  CHECK_FALSE(json_of(renamed).as_object().contains("pairsDiff"));
  auto stream = json_of(client.get(path)).at("stream");
  CHECK(stream.at("name").as_string() == "Renamed");
  CHECK(stream.at("schedule").at("cron").as_string() == "0 9 * * 1-5");
  CHECK(stream.at("timezone").as_string() == "Europe/Paris");  // untouched
  CHECK(stream.at("telegramOverride").is_null());

  // telegramOverride is a boolean or null, as in the original.
  REQUIRE(patch(client, R"({"telegramOverride": true})").status == 200);
  CHECK(json_of(client.get(path)).at("stream").at("telegramOverride").as_bool());
  const auto texted = patch(client, R"({"telegramOverride": "@mychannel"})");
  CHECK(texted.status == 400);
  CHECK(json_of(texted).at("details").at(0).at("field").as_string() == "telegramOverride");
  CHECK(json_of(client.get(path)).at("stream").at("telegramOverride").as_bool());  // unchanged

  const auto repaired = patch(client, R"({"pairs": [{"accountHandle": "levelsio", "segmentId": )" + segment_id + "}]}");
  REQUIRE(repaired.status == 200);
  const auto diff = json_of(repaired).at("pairsDiff");
  CHECK(diff.at("addedAccounts").as_array()[0].at("handle").as_string() == "levelsio");
  CHECK(diff.at("addedAccounts").as_array()[0].at("billingDelta").as_string() == "stripe_quantity_incremented");
  CHECK(diff.at("addedAccounts").as_array()[0].at("billing").at("quantity").as_int64() == 1);
  CHECK(diff.at("addedSegments").as_array().empty());
  CHECK(diff.at("removedPairs").as_array().size() == 1);
  stream = json_of(client.get(path)).at("stream");
  REQUIRE(stream.at("pairs").as_array().size() == 1);
  CHECK(stream.at("pairs").as_array()[0].at("xHandle").as_string() == "levelsio");

  CHECK(patch(client, R"({"timezone": null})").status == 400);
  CHECK(patch(client, R"({"emailMode": "sometimes"})").status == 400);
  CHECK(patch(stranger, R"({"name": "Mine now"})").status == 404);
  CHECK(json_of(client.get(path)).at("stream").at("name").as_string() == "Renamed");

  CHECK(patch(client, R"({"isArchived": true})").status == 200);
  CHECK(json_of(client.get(path)).at("stream").at("isArchived").as_bool());
}

TEST_CASE("a scheduled downgrade is applied once its date has passed", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto created = json_of(client.post("/api/v2/streams", kStream));  // a growth account
  const auto id = std::to_string(created.at("accounts").as_array()[0].at("accountId").as_int64());
  REQUIRE(client.post("/api/v2/accounts/" + id + "/change-tier", R"({"newTier": "starter"})").status == 200);

  domain::SystemClock clock;
  CHECK(*domain::apply_due_downgrades(running.app().campaigns(), clock) == 0);
  running.database().scalar("UPDATE tracked_accounts SET pending_tier_effective_at = now() - interval '1 second'");
  CHECK(*domain::apply_due_downgrades(running.app().campaigns(), clock) == 1);

  const auto account = json_of(client.get("/api/v2/accounts")).at("active").as_array()[0];
  CHECK(account.at("tier").as_string() == "starter");
  CHECK(account.at("pendingTier").is_null());
  CHECK(running.database().scalar("SELECT count(*) FROM billing_changes WHERE effective = 'period_end'"
                                  " AND applied_at IS NULL") == "0");
  CHECK(running.database().scalar("SELECT string_agg(tier || '=' || quantity, ',' ORDER BY id) FROM billing_changes"
                                  " WHERE reason = 'scheduled downgrade'") == "growth=0,starter=1");
}

TEST_CASE("the free plan: free_user on /me, one starter account (403 free_account_limit), no re-tests",
          "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto team = running.app().teams().find_by_name("acme");
  REQUIRE(running.app().teams().set_free_plan((*team)->id));
  const auto me = [&] {
    std::this_thread::sleep_for(daemon::App::kReadCacheTtl);  // past GET /me's cache
    return json_of(client.get("/api/v2/me"));
  };
  CHECK(me().at("subscriptionStatus").as_string() == "free_user");
  CHECK(me().at("isFreeTier").as_bool());

  const auto stream_of = [](const std::string& handle, const std::string& tier) {
    return R"({"pairs": [{"accountHandle": ")" + handle + R"(", "accountTier": ")" + tier +
           R"(", "segment": {"description": "AI founders building developer tools"}}]})";
  };
  const auto first = client.post("/api/v2/streams", stream_of("yongfook", "starter"));
  REQUIRE(first.status == 201);
  const auto stream_id = std::to_string(json_of(first).at("id").as_int64());
  const auto account_id = std::to_string(json_of(first).at("accounts").at(0).at("accountId").as_int64());
  const auto budget = me().at("accounts").at(0);
  CHECK(budget.at("monthlyRetest").at("budget").as_int64() == 0);
  CHECK(budget.at("dailySync").at("cap").as_int64() == 1);

  const auto expect_limit = [&](const adapters::http::HttpResponse& response) {
    CHECK(response.status == 403);
    CHECK(json_of(response).at("error").as_string() == "free_account_limit");
  };
  expect_limit(client.post("/api/v2/streams", stream_of("levelsio", "starter")));  // a second account
  expect_limit(client.post("/api/v2/accounts/" + account_id + "/change-tier", R"({"newTier": "growth"})"));
  CHECK(json_of(client.get("/api/v2/accounts")).at("active").as_array().size() == 1);  // nothing changed
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts") == "1");

  const auto retest = json_of(client.post("/api/v2/streams/" + stream_id + "/re-test", "{}"));
  CHECK(retest.at("queued").as_array().empty());
  CHECK(retest.at("skipped").at(0).at("reason").as_string() == "free_tier");

  // With the account asleep there is room for another, starter only; then no waking the first.
  REQUIRE(client.post("/api/v2/accounts/" + account_id + "/sleep", "").status == 200);
  expect_limit(client.post("/api/v2/streams", stream_of("levelsio", "growth")));
  CHECK(client.post("/api/v2/streams", stream_of("levelsio", "starter")).status == 201);
  expect_limit(client.post("/api/v2/accounts/" + account_id + "/wake", ""));
}

TEST_CASE("a team keeps at most 1,000 segments, 1,000 streams and 200 DM templates (403 quota_exceeded)",
          "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto team = std::to_string((*running.app().teams().find_by_name("acme"))->id.value);
  const auto expect_quota = [&](const adapters::http::HttpResponse& response) {
    CHECK(response.status == 403);
    CHECK(json_of(response).at("error").as_string() == "quota_exceeded");
  };
  running.database().scalar("INSERT INTO segments (team_id, description) SELECT " + team +
                            ", 'segment ' || g FROM generate_series(1, 999) g RETURNING 1");
  REQUIRE(client.post("/api/v2/segments", R"({"description": "the thousandth"})").status == 201);
  expect_quota(client.post("/api/v2/segments", R"({"description": "one too many"})"));
  expect_quota(client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook",
      "segment": {"description": "inline, one too many"}}]})"));
  CHECK(running.database().scalar("SELECT count(*) FROM segments") == "1000");
  CHECK(running.database().scalar("SELECT count(*) FROM tracked_accounts") == "0");  // the stream left nothing

  running.database().scalar("INSERT INTO streams (team_id, name, archived_at) SELECT " + team +
                            ", 'archived ' || g, now() FROM generate_series(1, 1000) g RETURNING 1");
  const auto segment = running.database().scalar("SELECT min(id) FROM segments");
  expect_quota(
      client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "yongfook", "segmentId": )" + segment + "}]}"));

  running.database().scalar("INSERT INTO dm_templates (team_id, name, message_body) SELECT " + team +
                            ", 'template ' || g, 'hello' FROM generate_series(1, 199) g RETURNING 1");
  // Eight at once for the last place: counted and inserted atomically, one gets it.
  std::vector<std::future<int>> racing;
  for (int i = 0; i < 8; ++i) {
    racing.push_back(std::async(std::launch::async, [&, i] {
      const auto answer = adapters::http::CurlHttpClient().send(
          {.method = "POST",
           .url = running.base_url() + "/api/v2/dm-templates",
           .headers = {{"Authorization", "Bearer " + client.key}, {"Content-Type", "application/json"}},
           .body = R"({"name": "racer )" + std::to_string(i) + R"(", "messageBody": "hi"})"});
      return answer ? answer->status : 0;
    }));
  }
  std::map<int, int> statuses;
  for (auto& status : racing) ++statuses[status.get()];
  CHECK(statuses[201] == 1);
  CHECK(statuses[403] == 7);
  expect_quota(client.post("/api/v2/dm-templates", R"({"name": "one more", "messageBody": "hi"})"));
  CHECK(running.database().scalar("SELECT count(*) FROM dm_templates") == "200");
}

TEST_CASE("the quotas are settings: an installation may keep teams smaller", "[campaigns][http][db]") {
  support::RunningApp running(0, [](daemon::Config& config) {
    config.quotas = {.segments = 2, .streams = 1, .dm_templates = 1, .new_handles_per_request = 1};
  });
  Client client{running, running.new_team_key("acme")};
  REQUIRE(client.post("/api/v2/segments", R"({"description": "AI founders"})").status == 201);
  REQUIRE(client.post("/api/v2/segments", R"({"description": "Fintech investors"})").status == 201);
  CHECK(client.post("/api/v2/segments", R"({"description": "One too many"})").status == 403);
  const auto two_new = client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "a", "segmentId": 1},
      {"accountHandle": "b", "segmentId": 1}]})");
  CHECK(two_new.status == 400);
  CHECK(json_of(two_new).at("details").at(0).at("field").as_string() == "pairs");
  REQUIRE(client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "a", "segmentId": 1}]})").status == 201);
  CHECK(client.post("/api/v2/streams", R"({"pairs": [{"accountHandle": "a", "segmentId": 2}]})").status == 403);
  REQUIRE(client.post("/api/v2/dm-templates", R"({"name": "one", "messageBody": "hi"})").status == 201);
  const auto second = client.post("/api/v2/dm-templates", R"({"name": "two", "messageBody": "hi"})");
  CHECK(second.status == 403);
  CHECK(json_of(second).at("message").as_string() == "A team keeps at most 1 DM templates: delete some first.");
}

TEST_CASE("a segment shows how its words were understood, and keywords correct it", "[campaigns][http][db]") {
  support::RunningApp running(0);
  Client client{running, running.new_team_key("acme")};
  const auto structure_of = [&](const std::string& body) {
    const auto created = client.post("/api/v2/segments", body);
    REQUIRE(created.status == 201);
    const auto id = json_of(created).at("id").as_int64();
    const auto listed = json_of(client.get("/api/v2/segments"));
    for (const auto& segment : listed.at("segments").as_array()) {
      if (segment.at("id").as_int64() == id) return boost::json::serialize(segment.at("structure"));
    }
    FAIL("segment " << id << " not listed");
    return std::string();
  };
  CHECK(structure_of(R"({"description": "AI researchers and scientists"})") ==
        R"({"roles":["researcher"],"topics":[["ai"]],"qualifiers":[],"excluded":[]})");
  CHECK(structure_of(R"({"description": "Company founders and CEOs, not crypto"})") ==
        R"({"roles":["founder"],"topics":[],"qualifiers":["company"],"excluded":["web3"]})");
  CHECK(structure_of(R"({"description": "AI researchers", "keywords": ["role:phd", "biology or ai"],
                         "excludeKeywords": ["crypto bro"]})") ==
        R"({"roles":["researcher"],"topics":[["biology","ai"]],"qualifiers":[],"excluded":["crypto bro"]})");
}
