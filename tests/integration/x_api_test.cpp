#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "support/api_client.hpp"
#include "support/fake_x.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

using support::json_of;

std::function<void(daemon::Config&)> x_api(const support::FakeX& x, std::string token = "test-x-token") {
  return [base = x.base_url(), token](daemon::Config& config) {
    config.follower_source = "xapi";
    config.x_base_url = base;
    config.x_bearer_token = token;
  };
}

struct Client : support::ApiClient {
  adapters::http::HttpResponse create_stream(const std::string& handle) {
    return post("/api/v2/streams", R"({"pairs": [{"accountHandle": ")" + handle + R"(", "accountTier": "growth",
        "segment": {"description": "AI founders building developer tools"}}]})");
  }

  std::int64_t run(std::int64_t stream) {
    const auto requested = post("/api/v2/streams/" + std::to_string(stream) + "/run");
    REQUIRE(requested.status == 202);
    return json_of(requested).at("queued").as_array().at(0).at("syncRunId").as_int64();
  }

  boost::json::object await_run(std::int64_t run, std::chrono::seconds limit = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    boost::json::object body;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto listed = json_of(get("/api/v2/runs?limit=100")).at("runs").as_array();
      for (const auto& item : listed) {
        if (item.at("id").as_int64() == run) body = item.as_object();
      }
      const auto status = body.contains("status") ? body.at("status").as_string() : "";
      if (status == "succeeded" || status == "failed") return body;
      std::this_thread::sleep_for(25ms);
    }
    FAIL("run " << run << " did not finish: " << boost::json::serialize(body));
    return body;
  }
};

}  // namespace

TEST_CASE("xapi: handles resolve through X, with X's errors mapped", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("YongFook", "2897991", 10);
  x.add_account("lockedco", "42", 10, /*is_protected=*/true);
  support::RunningApp running(0, x_api(x));
  Client client{{running, running.new_team_key("acme")}};

  const auto created = client.create_stream("@yongfook");
  REQUIRE(created.status == 201);
  CHECK(running.database().scalar("SELECT x_user_id || ' ' || display_handle FROM tracked_accounts") ==
        "2897991 YongFook");
  const auto missing = client.create_stream("nobody");
  CHECK(missing.status == 404);
  CHECK(json_of(missing).at("error").as_string() == "handle_not_found");
  const auto locked = client.create_stream("lockedco");
  CHECK(locked.status == 422);
  CHECK(json_of(locked).at("error").as_string() == "handle_protected");

  const auto lookup = x.requests().front();
  CHECK(lookup.path() == "/2/users/by/username/yongfook");
  CHECK(lookup.header("authorization") == "Bearer test-x-token");
  CHECK(lookup.query_param("user.fields")->find("public_metrics") != std::string::npos);
}

TEST_CASE("xapi: a wrong bearer token fails lookups with 503 and runs with a clear message", "[xapi][http][db]") {
  support::FakeX x("the-right-token");
  x.add_account("yongfook", "2897991", 10);
  support::RunningApp running(0, x_api(x, "a-wrong-token"));
  Client client{{running, running.new_team_key("acme")}};
  const auto refused = client.create_stream("yongfook");
  CHECK(refused.status == 503);
  CHECK(json_of(refused).at("error").as_string() == "handle_lookup_failed");
  const std::string message(json_of(refused).at("message").as_string());
  CHECK(message.find("X refused this installation's credentials (HTTP 401)") != std::string::npos);
  CHECK(message.find("LEADSTREAM_") == std::string::npos);  // the setting's name is for the operator's log
}

TEST_CASE("xapi: a run pages through the followers, retries X's 5xx, and waits out 429", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();

  x.fail_next(503, 2);  // the adapter tries again itself
  x.fail_next(429);     // then the run goes back to the queue until the window reopens
  const auto run = client.await_run(client.run(stream));
  INFO(boost::json::serialize(run));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("newFollowersCount").as_int64() == 2'500);
  CHECK(run.at("apiCalls").as_int64() == 3);
  CHECK(run.at("attempt").as_int64() == 1);  // a rate limit wait is not a failed attempt
  CHECK(x.follower_calls() == 6);            // 2 × 503, 1 × 429, 3 pages
  bool logged_wait = false;
  for (const auto& entry : run.at("progressLog").as_array()) {
    if (entry.at("message").as_string().find("rate limit") != std::string::npos) logged_wait = true;
  }
  CHECK(logged_wait);

  std::vector<std::string> tokens;
  for (const auto& request : x.requests()) {
    if (!request.path().ends_with("/followers")) continue;
    CHECK(request.query_param("max_results") == "1000");
    tokens.push_back(request.query_param("pagination_token").value_or("-"));
  }
  CHECK(tokens.back() == support::FakeX::token_for(2000));

  // 400 new followers a day later: one call, since most of that page is known.
  x.gain_followers("yongfook", 400);
  const auto calls_before = x.follower_calls();
  const auto second = client.await_run(client.run(stream));
  CHECK(second.at("newFollowersCount").as_int64() == 400);
  CHECK(second.at("apiCalls").as_int64() == 1);
  CHECK(x.follower_calls() - calls_before == 1);
}

TEST_CASE("xapi: a used-up window pauses the run between pages", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 1'500);
  x.reset_in_seconds = 2;  // X's reset is in whole seconds: the wait is between 1 and 2 s
  x.exhaust_window_on_each_page(true);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  const auto started = std::chrono::steady_clock::now();
  const auto run = client.await_run(client.run(stream));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("newFollowersCount").as_int64() == 1'500);
  CHECK(std::chrono::steady_clock::now() - started >= 1s);  // it waited for the window
  CHECK(x.follower_calls() == 2);                           // never called while the window was closed
}

TEST_CASE("xapi: a page slower than the lease does not let another worker take the run", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  support::RunningApp running(0, [&](daemon::Config& config) {
    x_api(x)(config);
    config.run_lease = std::chrono::seconds{2};  // the heartbeat renews it every 667 ms
  });
  running.start_run_workers(2);  // an idle second worker, polling for abandoned runs
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  x.delay_next_page(std::chrono::milliseconds{3'500});
  const auto run = client.await_run(client.run(stream));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("attempt").as_int64() == 1);
  CHECK(x.follower_calls() == 3);  // no page fetched twice by a second holder
  CHECK(run.at("newFollowersCount").as_int64() == 2'500);
}

TEST_CASE("xapi: an account gone from X fails its run with the reason", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 10);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  x.fail_next(404);
  const auto run = client.await_run(client.run(stream));
  CHECK(run.at("status").as_string() == "failed");
  CHECK(run.at("errorMessage").as_string() == "The X account no longer exists.");
}

TEST_CASE("xapi: one walk serves every stream of the account within the hour", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto first = json_of(client.create_stream("yongfook")).at("id").as_int64();
  const auto second = json_of(client.create_stream("yongfook")).at("id").as_int64();

  const auto walked = client.await_run(client.run(first));
  CHECK(walked.at("apiCalls").as_int64() == 3);
  const auto calls = x.follower_calls();
  const auto reused = client.await_run(client.run(second));
  INFO(boost::json::serialize(reused));
  CHECK(reused.at("status").as_string() == "succeeded");
  CHECK(reused.at("apiCalls").as_int64() == 0);
  CHECK(x.follower_calls() == calls);                         // X was not called again
  CHECK(reused.at("newFollowersCount").as_int64() == 2'500);  // new for this stream
  CHECK(reused.at("leadsCreated").as_int64() == walked.at("leadsCreated").as_int64());
  CHECK(reused.at("progressLog").at(0).at("message").as_string().starts_with("Reusing the followers of @yongfook"));
}

namespace {

/// Whether any entry of the run's progress log contains `words`.
bool logged(const boost::json::object& run, std::string_view words) {
  return std::ranges::any_of(run.at("progressLog").as_array(), [&](const boost::json::value& entry) {
    return entry.at("message").as_string().find(words) != boost::json::string::npos;
  });
}

std::string error_of(const boost::json::object& run) {
  return run.at("errorMessage").is_string() ? std::string(run.at("errorMessage").as_string()) : "";
}

}  // namespace

TEST_CASE("xapi: a lead's profile shows the links behind X's t.co links", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 20);
  x.add_follower("yongfook", domain::FollowerProfile{
                                 .x_user_id = "777",
                                 .handle = "janedoe",
                                 .display_name = "Jane Doe",
                                 .bio = "Founder of an AI startup building tools for developers. "
                                        "https://www.linkedin.com/in/jane-doe and https://janedoe.dev/blog",
                                 .url = "https://janedoe.dev",
                                 .profile_image_url = "https://pbs.example/jane.jpg",
                                 .followers_count = 900,
                             });
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  REQUIRE(client.await_run(client.run(stream)).at("status").as_string() == "succeeded");

  // What X sent was shortened: the fake shortens as X does.
  bool saw_tco = false;
  for (const auto& request : x.requests()) {
    CHECK(request.header("user-agent").value_or("").starts_with("leadstream/"));
    if (request.path().ends_with("/followers")) {
      CHECK(request.query_param("user.fields")->find("entities") != std::string::npos);
      saw_tco = true;
    }
  }
  CHECK(saw_tco);
  const auto leads = json_of(client.get("/api/v2/leads?limit=500")).at("leads").as_array();
  const boost::json::object* jane = nullptr;
  for (const auto& lead : leads) {
    if (lead.at("profile").at("handle").as_string() == "janedoe") jane = &lead.at("profile").as_object();
  }
  REQUIRE(jane != nullptr);
  CHECK(jane->at("url").as_string() == "https://janedoe.dev");
  CHECK(jane->at("bio").as_string() ==
        "Founder of an AI startup building tools for developers. https://www.linkedin.com/in/jane-doe and "
        "https://janedoe.dev/blog");
  CHECK(running.database().scalar("SELECT count(*) FROM followers WHERE bio LIKE '%t.co%' OR url LIKE '%t.co%'") ==
        "0");
}

TEST_CASE("xapi: a 200 carrying only errors[] is never the end of the list", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 1'500);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();

  SECTION("an account that turned protected mid-walk fails the run, saying so") {
    x.answer_next(support::FakeX::errors_only("not-authorized-for-resource", "2897991"));
    const auto run = client.await_run(client.run(stream));
    CHECK(run.at("status").as_string() == "failed");
    CHECK_THAT(error_of(run), Catch::Contains("protected (not-authorized-for-resource)") &&
                                  Catch::Contains("not authorized to see the user with id: [2897991]"));
  }
  SECTION("a suspended or deleted account fails the run, saying so") {
    x.answer_next(support::FakeX::errors_only("resource-not-found", "2897991"));
    const auto run = client.await_run(client.run(stream));
    CHECK(run.at("status").as_string() == "failed");
    CHECK_THAT(error_of(run), Catch::Contains("no longer exists or is suspended") &&
                                  Catch::Contains("Could not find user with id: [2897991]"));
  }
  SECTION("any other problem is tried again") {
    x.answer_next(support::FakeX::errors_only("operation-error", "2897991"));
    const auto run = client.await_run(client.run(stream));
    CHECK(run.at("status").as_string() == "succeeded");
    CHECK(run.at("attempt").as_int64() == 2);
    CHECK(run.at("newFollowersCount").as_int64() == 1'500);
  }
}

TEST_CASE("xapi: a 403 for the app's plan is not a protected account", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 10);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  x.answer_next(support::FakeX::client_forbidden());
  const auto run = client.await_run(client.run(stream));
  CHECK(run.at("status").as_string() == "failed");
  CHECK(run.at("attempt").as_int64() == 1);  // no retry: the plan will not change by itself
  CHECK_THAT(error_of(run), Catch::Contains("client-forbidden, client-not-enrolled") &&
                                Catch::Contains("X developer plan") && !Catch::Contains("protected"));
}

TEST_CASE("xapi: usage caps are not rate limit windows", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 10);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();

  SECTION("a monthly cap fails the run at once") {
    x.answer_next(support::FakeX::usage_capped("Monthly"));
    const auto run = client.await_run(client.run(stream));
    CHECK(run.at("status").as_string() == "failed");
    CHECK_THAT(error_of(run), Catch::Contains("monthly usage cap") && Catch::Contains("usage-capped"));
    CHECK(x.follower_calls() == 1);
  }
  SECTION("a daily cap waits for its reset, spending an attempt, so that the waits are bounded") {
    x.reset_in_seconds = 1;
    x.answer_next(support::FakeX::usage_capped("Daily"));
    const auto run = client.await_run(client.run(stream));
    CHECK(run.at("status").as_string() == "succeeded");
    CHECK(run.at("attempt").as_int64() == 2);
    CHECK(x.follower_calls() == 2);
  }
}

TEST_CASE("xapi: an expired pagination token starts the walk again from the top", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  x.reset_in_seconds = 2;
  x.exhaust_window_on_each_page(true);  // the run waits in the queue after its first page
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  const auto run_id = client.run(stream);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  const auto saved_cursor = [&] {
    return running.database().scalar("SELECT follower_cursor FROM sync_runs WHERE id = " + std::to_string(run_id));
  };
  while (saved_cursor().empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  REQUIRE(saved_cursor() == support::FakeX::token_for(1000));
  REQUIRE(x.follower_calls() == 1);
  x.expire_pagination_tokens();  // while the run waits, its saved token expires
  x.exhaust_window_on_each_page(false);

  const auto run = client.await_run(run_id);
  INFO(boost::json::serialize(run));
  CHECK(run.at("status").as_string() == "succeeded");
  CHECK(run.at("newFollowersCount").as_int64() == 2'500);
  CHECK(logged(run, "walking again from the top"));
  CHECK(x.follower_calls() == 5);  // page 1, the refused token, then pages 1 to 3
}

TEST_CASE("xapi: known followers listed first do not end an incremental walk", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  support::RunningApp running(0, x_api(x));
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  REQUIRE(client.await_run(client.run(stream)).at("newFollowersCount").as_int64() == 2'500);

  // 1,500 new followers, and 10 old ones who followed again: X lists those 10 first.
  x.gain_followers("yongfook", 1'500);
  x.refollow("yongfook", 10);
  const auto calls = x.follower_calls();
  const auto run = client.await_run(client.run(stream));
  CHECK(run.at("newFollowersCount").as_int64() == 1'500);
  CHECK(x.follower_calls() - calls == 3);  // 10 known + 990 new, 510 new + 490 known, then mostly known
}

TEST_CASE("xapi: a sync walks the whole list once the pair's last full walk is old enough", "[xapi][http][db]") {
  support::FakeX x;
  x.add_account("yongfook", "2897991", 2'500);
  support::RunningApp running(0, [&](daemon::Config& config) {
    x_api(x)(config);
    config.full_walk_every = std::chrono::days{7};
  });
  running.start_run_workers(1);
  Client client{{running, running.new_team_key("acme")}};
  const auto stream = json_of(client.create_stream("yongfook")).at("id").as_int64();
  REQUIRE(client.await_run(client.run(stream)).at("apiCalls").as_int64() == 3);  // the first sync walks fully

  x.gain_followers("yongfook", 100);
  CHECK(client.await_run(client.run(stream)).at("apiCalls").as_int64() == 1);  // a week has not passed

  running.database().scalar("UPDATE sync_runs SET completed_at = completed_at - interval '8 days'");
  x.gain_followers("yongfook", 100);
  const auto full = client.await_run(client.run(stream));
  CHECK(full.at("apiCalls").as_int64() == 3);
  CHECK(full.at("newFollowersCount").as_int64() == 100);
  CHECK(logged(full, "(a full walk)"));
  // The next full walk is a week after this one.
  x.gain_followers("yongfook", 100);
  CHECK(client.await_run(client.run(stream)).at("apiCalls").as_int64() == 1);
}
