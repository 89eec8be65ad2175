#include <catch2/catch.hpp>

#include <thread>

#include "daemon/workers/run_worker.hpp"
#include "domain/rules/bot_filter.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "domain/use_cases/run_queries.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_campaigns.hpp"
#include "fakes/in_memory_runs.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

const domain::TeamId kTeam{1};

domain::FollowerProfile follower(int id, std::string bio) {
  return domain::FollowerProfile{.x_user_id = std::to_string(id),
                                 .handle = "user" + std::to_string(id),
                                 .display_name = "User " + std::to_string(id),
                                 .bio = std::move(bio),
                                 .followers_count = 100,
                                 .following_count = 100,
                                 .tweet_count = 10};
}

/// `count` followers, newest first; every tenth a founder of an AI developer-tools company.
std::vector<domain::FollowerProfile> followers(int count) {
  std::vector<domain::FollowerProfile> out;
  for (int i = count; i > 0; --i) {
    out.push_back(follower(i, i % 10 == 0 ? "Founder of an AI startup building tools for developers" : "Gardener"));
  }
  return out;
}

struct World {
  World() {
    auto created = domain::create_stream(
        domain::CampaignDeps{campaigns, source, zones, clock}, kTeam,
        domain::StreamRequest{
            {},
            {domain::PairRequest{
                domain::AccountRef{.handle = "yongfook", .tier = domain::Tier::kStarter},
                domain::SegmentRef{.draft = domain::SegmentDraft{.description = "AI founders building developer tools",
                                                                 .keywords = {"ai", "founders", "developer"}}}}}});
    REQUIRE(created);
    stream = created->id;
    account = created->accounts.at(0).id;
  }

  domain::RunId request() {
    auto requested = domain::request_run(domain::RequestRunDeps{campaigns, runs, clock}, kTeam, stream);
    REQUIRE(requested);
    REQUIRE(requested->queued.size() == 1);
    return requested->queued[0].run_id;
  }

  domain::Run run(domain::RunId id) { return *domain::get_run(domain::QueryDeps{campaigns, runs}, kTeam, id); }

  fakes::InMemoryCampaigns campaigns;
  fakes::ScriptedFollowerSource source;
  fakes::FixedTimeZones zones;
  fakes::ManualClock clock;
  fakes::InMemoryRuns runs{campaigns, clock};
  domain::LocalClassifier classifier{fakes::IdentityStemmer::make};
  domain::EngineDeps deps{runs, runs, source, classifier, clock, [] { return 0.5; }};
  domain::WorkerSettings settings{.owner = "test/0", .page_size = 100, .max_attempts = 3};
  domain::StreamId stream;
  domain::AccountId account;
};

}  // namespace

TEST_CASE("a run walks every page, and leads are created once per follower and segment", "[sync]") {
  World world;
  world.source.followers_of["xyongfook"] = followers(250);
  const auto id = world.request();
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  CHECK_FALSE(*daemon::work_next_run(world.deps, world.settings));  // nothing else is due

  const auto run = world.run(id);
  CHECK(run.status == domain::RunStatus::kSucceeded);
  CHECK(run.counters.new_followers == 250);
  CHECK(run.counters.api_calls == 3);
  CHECK(run.counters.high_fit == 25);
  CHECK(run.counters.leads_created == 25);
  CHECK(world.runs.leads_.size() == 25);
  CHECK(world.runs.leads_[0].reasons == std::vector<std::string>{"founder", "ai", "developers"});
  CHECK(world.runs.x_user_ids_.at(world.account.value) == "xyongfook");
}

TEST_CASE("a source timeout sends the run back to the queue with a backoff", "[sync]") {
  World world;
  world.source.followers_of["xyongfook"] = followers(250);
  const auto id = world.request();
  // The source fails once: the run waits out its backoff, then starts over.
  world.source.failures.push_back(domain::Error{domain::ErrorCode::kUnavailable, "X timed out"});
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  auto run = world.run(id);
  CHECK(run.status == domain::RunStatus::kQueued);
  CHECK(run.error_message == "X timed out");
  CHECK_FALSE(*daemon::work_next_run(world.deps, world.settings));  // not due yet
  world.clock.advance(10min);
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  run = world.run(id);
  CHECK(run.status == domain::RunStatus::kSucceeded);
  CHECK(run.attempt == 2);
  CHECK(run.counters.new_followers == 250);
  CHECK(world.runs.leads_.size() == 25);
}

TEST_CASE("a run resumes from its saved cursor after its worker died", "[sync]") {
  World world;
  world.source.followers_of["xyongfook"] = followers(300);
  const auto id = world.request();
  // The first worker saves one page, then stops (as a process killed between pages would).
  std::stop_source stop;
  struct StopAfterFirstPage final : domain::FollowerSource {
    domain::FollowerSource& inner;
    std::stop_source& stop;
    StopAfterFirstPage(domain::FollowerSource& i, std::stop_source& s) : inner(i), stop(s) {}
    domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override { return inner.resolve(handle); }
    domain::Result<domain::FollowerPage> followers(const std::string& user, const std::optional<std::string>& cursor,
                                                   int max) override {
      stop.request_stop();
      return inner.followers(user, cursor, max);
    }
  } stopping{world.source, stop};
  const domain::EngineDeps deps{world.runs, world.runs, stopping, world.classifier, world.clock, [] { return 0.5; }};
  REQUIRE(*daemon::work_next_run(deps, world.settings, stop.get_token()));
  CHECK(world.run(id).status == domain::RunStatus::kQueued);
  CHECK(world.run(id).counters.followers_walked == 100);

  const auto pages_before = world.source.page_calls;
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  CHECK(world.source.page_calls - pages_before == 2);  // pages two and three only
  CHECK(world.run(id).status == domain::RunStatus::kSucceeded);
  CHECK(world.run(id).counters.new_followers == 300);
  CHECK(world.runs.leads_.size() == 30);
}

TEST_CASE("a heartbeat keeps the lease of a run whose page is slow, and stops with the run", "[sync]") {
  World world;
  world.source.followers_of["xyongfook"] = followers(50);
  const auto id = world.request();
  struct SlowSource final : domain::FollowerSource {
    domain::FollowerSource& inner;
    explicit SlowSource(domain::FollowerSource& i) : inner(i) {}
    domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override { return inner.resolve(handle); }
    domain::Result<domain::FollowerPage> followers(const std::string& user, const std::optional<std::string>& cursor,
                                                   int max) override {
      std::this_thread::sleep_for(1200ms);  // longer than the whole lease
      return inner.followers(user, cursor, max);
    }
  } slow{world.source};
  const domain::EngineDeps deps{world.runs, world.runs, slow, world.classifier, world.clock, [] { return 0.5; }};
  auto settings = world.settings;
  settings.lease = 1s;  // renewed every third of a second
  REQUIRE(*daemon::work_next_run(deps, settings));
  CHECK(world.run(id).status == domain::RunStatus::kSucceeded);
  const int renewed = world.runs.lease_renewals;
  CHECK(renewed >= 2);
  std::this_thread::sleep_for(500ms);
  CHECK(world.runs.lease_renewals == renewed);  // the finished run's heartbeat stopped
}

TEST_CASE("a source that keeps failing fails the run after the last attempt", "[sync]") {
  World world;
  for (int i = 0; i < 5; ++i) world.source.failures.push_back({domain::ErrorCode::kUnavailable, "X answered 503"});
  const auto id = world.request();
  for (int attempt = 0; attempt < 3; ++attempt) {
    REQUIRE(*daemon::work_next_run(world.deps, world.settings));
    world.clock.advance(10min);
  }
  const auto run = world.run(id);
  CHECK(run.status == domain::RunStatus::kFailed);
  CHECK(run.attempt == 3);
  CHECK(run.error_message == "X answered 503");
}

TEST_CASE("a permanent source error fails the run at once", "[sync]") {
  World world;
  world.source.failures.push_back({domain::ErrorCode::kHandleProtected, "@yongfook is protected"});
  const auto id = world.request();
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  CHECK(world.run(id).status == domain::RunStatus::kFailed);
  CHECK(world.run(id).error_message == "@yongfook is protected");
}

TEST_CASE("a run whose lease was lost leaves the run to its new holder", "[sync]") {
  World world;
  world.source.followers_of["xyongfook"] = followers(50);
  const auto id = world.request();
  auto claimed = world.runs.claim("dead/0", 60s);
  REQUIRE(*claimed);
  world.runs.expire_leases();
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  CHECK(world.run(id).status == domain::RunStatus::kSucceeded);
  // The old holder's late write is refused.
  const auto late = world.runs.save_page(**claimed, "dead/0", {}, std::nullopt, 1, 60s);
  REQUIRE_FALSE(late);
  CHECK(late.error().code == domain::ErrorCode::kConflict);
}

TEST_CASE("a run of an archived stream or a sleeping account fails with the reason", "[sync]") {
  World world;
  const auto id = world.request();
  REQUIRE(domain::archive_stream(domain::CampaignDeps{world.campaigns, world.source, world.zones, world.clock}, kTeam,
                                 world.stream));
  REQUIRE(*daemon::work_next_run(world.deps, world.settings));
  CHECK(world.run(id).status == domain::RunStatus::kFailed);
  CHECK(world.run(id).error_message == "The stream was archived before the run started.");
}

TEST_CASE("the bot filter drops empty bios, default-picture ghosts and follow farms", "[sync]") {
  auto profile = follower(1, "Engineer");
  CHECK(domain::passes_bot_filter(profile));
  profile.bio = "  ";
  CHECK_FALSE(domain::passes_bot_filter(profile));
  profile = follower(2, "Crypto gains");
  profile.following_count = 5'000;
  profile.followers_count = 12;
  CHECK_FALSE(domain::passes_bot_filter(profile));
  profile = follower(3, "hello");
  profile.default_profile_image = true;
  profile.tweet_count = 0;
  CHECK_FALSE(domain::passes_bot_filter(profile));
}
