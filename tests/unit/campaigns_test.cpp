#include <catch2/catch.hpp>
#include <set>

#include "domain/model/time.hpp"
#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/segment_rules.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "domain/rules/stream_rules.hpp"
#include "domain/rules/tiers.hpp"
#include "domain/use_cases/campaigns.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_campaigns.hpp"

using namespace leadstream;
using domain::Tier;

namespace {

const domain::TeamId kTeam{1};
const domain::TeamId kOtherTeam{2};

struct World {
  fakes::InMemoryCampaigns campaigns;
  fakes::ScriptedFollowerSource handles;
  fakes::FixedTimeZones zones;
  fakes::ManualClock clock;
  domain::CampaignDeps deps{campaigns, handles, zones, clock};
};

domain::PairRequest pair(std::string handle, std::optional<Tier> tier = std::nullopt,
                         std::string description = "AI founders building developer tools") {
  return domain::PairRequest{domain::AccountRef{.handle = std::move(handle), .tier = tier},
                             domain::SegmentRef{.draft = domain::SegmentDraft{.description = std::move(description)}}};
}

domain::StreamRequest stream_of(std::vector<domain::PairRequest> pairs) {
  return domain::StreamRequest{domain::StreamSettings{}, std::move(pairs)};
}

}  // namespace

TEST_CASE("a new handle is tracked once and billed at the tier's new quantity", "[campaigns]") {
  World world;
  const auto first =
      domain::create_stream(world.deps, kTeam, stream_of({pair("@Yongfook"), pair("levelsio", Tier::kPro)}));
  REQUIRE(first);
  REQUIRE(first->accounts.size() == 2);
  CHECK(first->accounts[0].created);
  CHECK(first->accounts[0].handle == "yongfook");
  CHECK(first->accounts[0].billing_delta->tier == Tier::kStarter);
  CHECK(first->accounts[0].billing_delta->quantity == 1);
  CHECK(first->accounts[1].billing_delta->tier == Tier::kPro);

  const auto second = domain::create_stream(world.deps, kTeam, stream_of({pair("yongfook"), pair("dhh")}));
  REQUIRE(second);
  CHECK_FALSE(second->accounts[0].created);
  CHECK_FALSE(second->accounts[0].billing_delta);
  CHECK(second->accounts[1].billing_delta->quantity == 2);  // the second active starter account

  const auto& changes = world.campaigns.state().billing_changes;
  REQUIRE(changes.size() == 3);
  CHECK(changes[2].tier == Tier::kStarter);
  CHECK(changes[2].quantity == 2);
  CHECK(world.campaigns.state().accounts.size() == 3);
  CHECK(world.handles.calls == 3);  // a tracked handle is not looked up again
}

TEST_CASE("the default name names the segment and the account or the count", "[campaigns]") {
  World world;
  const auto one = domain::create_stream(world.deps, kTeam, stream_of({pair("a")}));
  const auto two = domain::create_stream(world.deps, kTeam, stream_of({pair("b"), pair("c")}));
  REQUIRE(one);
  REQUIRE(two);
  CHECK(domain::get_stream(world.deps, kTeam, one->id)->settings.name == "AI founders building developer tools · @a");
  CHECK(domain::get_stream(world.deps, kTeam, two->id)->settings.name ==
        "AI founders building developer tools · 2 accounts");
}

TEST_CASE("an account in as many streams as its tier allows refuses another, and nothing is written", "[campaigns]") {
  World world;
  const auto cap = domain::limits_of(Tier::kStarter).automated_streams_per_account;
  for (int i = 0; i < cap; ++i) REQUIRE(domain::create_stream(world.deps, kTeam, stream_of({pair("busy")})));
  const auto before = world.campaigns.state().segments.size();

  const auto refused = domain::create_stream(world.deps, kTeam, stream_of({pair("busy")}));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kStreamCapExceeded);
  CHECK(world.campaigns.state().segments.size() == before);  // the inline segment rolled back

  // Archiving one frees a place.
  REQUIRE(domain::archive_stream(world.deps, kTeam, world.campaigns.state().streams.front().id));
  CHECK(domain::create_stream(world.deps, kTeam, stream_of({pair("busy")})));
}

TEST_CASE("handle lookups that fail stop the stream before anything is written", "[campaigns]") {
  World world;
  const auto missing = domain::create_stream(world.deps, kTeam, stream_of({pair("fine"), pair("ghost")}));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == domain::ErrorCode::kHandleNotFound);
  const auto locked = domain::create_stream(world.deps, kTeam, stream_of({pair("locked")}));
  REQUIRE_FALSE(locked);
  CHECK(locked.error().code == domain::ErrorCode::kHandleProtected);
  CHECK(world.campaigns.state().accounts.empty());
  CHECK(world.campaigns.state().billing_changes.empty());
}

TEST_CASE("a request looks up at most 20 new handles; more is refused before any lookup", "[campaigns]") {
  World world;
  std::vector<domain::PairRequest> pairs;
  for (int i = 0; i < 21; ++i) pairs.push_back(pair("new" + std::to_string(i), Tier::kPro));
  const auto refused = domain::create_stream(world.deps, kTeam, stream_of(pairs));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kInvalidRequest);
  REQUIRE(refused.error().details.size() == 1);
  CHECK(refused.error().details[0].field == "pairs");
  CHECK(world.handles.calls == 0);
  CHECK(world.campaigns.state().accounts.empty());

  pairs.pop_back();
  REQUIRE(domain::create_stream(world.deps, kTeam, stream_of(pairs)));
  CHECK(world.handles.calls == 20);
  // Tracked now: the same 20 again and one new handle need a single lookup.
  pairs.push_back(pair("new20", Tier::kPro));
  CHECK(domain::create_stream(world.deps, kTeam, stream_of(pairs)));
  CHECK(world.handles.calls == 21);
}

TEST_CASE("another team's account, segment and stream ids are not found", "[campaigns]") {
  World world;
  const auto mine = domain::create_stream(world.deps, kTeam, stream_of({pair("mine")}));
  REQUIRE(mine);
  const domain::PairRequest borrowed{domain::AccountRef{.id = mine->accounts[0].id},
                                     domain::SegmentRef{.id = mine->segments[0].id}};
  const auto refused = domain::create_stream(world.deps, kOtherTeam, stream_of({borrowed}));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kNotFound);
  CHECK(domain::get_stream(world.deps, kOtherTeam, mine->id).error().code == domain::ErrorCode::kNotFound);
  CHECK(domain::archive_stream(world.deps, kOtherTeam, mine->id).error().code == domain::ErrorCode::kNotFound);
  CHECK(domain::list_streams(world.deps, kOtherTeam, true)->empty());
}

TEST_CASE("stream requests are checked field by field", "[campaigns]") {
  World world;
  const auto problem_of = [&](domain::StreamRequest request) {
    auto result = domain::create_stream(world.deps, kTeam, std::move(request));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == domain::ErrorCode::kInvalidRequest);
    return result.error().details.empty() ? std::string() : result.error().details.front().field;
  };
  CHECK(problem_of(stream_of({})) == "pairs");
  CHECK(problem_of(stream_of(std::vector<domain::PairRequest>(51, pair("a")))) == "pairs");
  CHECK(problem_of(stream_of({pair("not a handle!")})) == "pairs[0].accountHandle");

  auto bad_times = stream_of({pair("a")});
  bad_times.settings.sync_times = {"09:10"};
  CHECK(problem_of(bad_times) == "syncTimes");
  auto bad_zone = stream_of({pair("a")});
  bad_zone.settings.timezone = "Mars/Olympus";
  CHECK(problem_of(bad_zone) == "timezone");
  auto bad_cron = stream_of({pair("a")});
  bad_cron.settings.cron = "every day";
  CHECK(problem_of(bad_cron) == "schedule.cron");
  auto webhook_missing = stream_of({pair("a")});
  webhook_missing.settings.delivery_destination = "leads_plus_webhook";
  CHECK(problem_of(webhook_missing) == "webhookUrl");
  CHECK(world.campaigns.state().streams.empty());
}

TEST_CASE("sync times are sorted and deduplicated", "[campaigns]") {
  fakes::FixedTimeZones zones;
  domain::StreamSettings settings;
  settings.sync_times = {"18:45", "09:00", "18:45"};
  settings.timezone = "Europe/Paris";
  const auto valid = domain::validate_stream_settings(settings, zones);
  REQUIRE(valid);
  CHECK(valid->sync_times == std::vector<std::string>{"09:00", "18:45"});
}

TEST_CASE("segments: lengths, labels and derived keywords", "[campaigns][segments]") {
  CHECK_FALSE(domain::validate_segment(domain::SegmentDraft{.description = "ai"}));
  CHECK_FALSE(domain::validate_segment(domain::SegmentDraft{.description = std::string(2001, 'x')}));
  CHECK(domain::validate_segment(domain::SegmentDraft{.description = std::string(2000, 'x')}));

  const auto orphaned = domain::validate_segment(domain::SegmentDraft{
      .description = "founders", .applied_search_filters = {{"role", {"founder", "wizard"}}, {"mood", {"happy"}}}});
  REQUIRE_FALSE(orphaned);
  CHECK(orphaned.error().code == domain::ErrorCode::kOrphanLabel);
  CHECK(orphaned.error().orphans == std::vector<std::string>{"mood:happy", "role:wizard"});

  const auto derived =
      domain::validate_segment(domain::SegmentDraft{.description = "  AI founders building the developer tools  "});
  REQUIRE(derived);
  CHECK(derived->description == "AI founders building the developer tools");
  CHECK(derived->keywords == std::vector<std::string>{"ai", "founders", "building", "developer", "tools"});

  const auto explicit_terms =
      domain::validate_segment(domain::SegmentDraft{.description = "whatever", .keywords = {" LLM ", "SDK"}});
  REQUIRE(explicit_terms);
  CHECK(explicit_terms->keywords == std::vector<std::string>{"llm", "sdk"});
}

TEST_CASE("segments take the original API's filter groups, labels and tier spellings, and ours",
          "[campaigns][segments]") {
  const auto original = domain::validate_segment(
      domain::SegmentDraft{.description = "AI founders",
                           .applied_search_filters = {{"job_role", {"Founder", "CEO"}}, {"skill", {"AI/ML"}}},
                           .follower_count_tiers = {"10k_to_100k", "1m_plus"}});
  REQUIRE(original);
  CHECK(original->follower_count_tiers == std::vector<std::string>{"10k_to_100k", "1m_plus"});
  const auto ours = domain::validate_segment(domain::SegmentDraft{.description = "AI founders",
                                                                  .applied_search_filters = {{"role", {"founder"}}},
                                                                  .follower_count_tiers = {"10k-100k"}});
  CHECK(ours);

  // Labels are spelled as listed: the original's groups do not take our lower-case ones.
  const auto misspelled = domain::validate_segment(domain::SegmentDraft{
      .description = "AI founders", .applied_search_filters = {{"job_role", {"founder"}}, {"skill", {"AI/ML"}}}});
  REQUIRE_FALSE(misspelled);
  CHECK(misspelled.error().orphans == std::vector<std::string>{"job_role:founder"});
  const auto bad_tier =
      domain::validate_segment(domain::SegmentDraft{.description = "x y z", .follower_count_tiers = {"huge"}});
  REQUIRE_FALSE(bad_tier);
  REQUIRE(bad_tier.error().details.size() == 1);
  CHECK(bad_tier.error().details[0].field == "followerCountTiers");
}

TEST_CASE("the filter vocabulary names known concepts and phrases the classifier can read", "[campaigns][segments]") {
  std::set<std::string_view> names;
  for (const auto& group : domain::filter_groups()) {
    CHECK(names.insert(group.name).second);
    std::set<std::string_view> labels;
    for (const auto& label : group.labels) {
      INFO(group.name << ": " << label.label);
      CHECK(labels.insert(label.label).second);
      CHECK((label.concept_name.empty() || domain::find_concept(label.concept_name)));
      CHECK((!label.concept_name.empty() || !label.terms.empty()));
      for (const auto term : label.terms) {
        INFO(term);
        CHECK(std::ranges::count(term, ' ') <= 1);  // the classifier reads words and two-word phrases
        CHECK(std::ranges::none_of(term, [](char c) { return c >= 'A' && c <= 'Z'; }));
      }
    }
  }
  CHECK(names.contains("job_role"));
  CHECK(names.contains("skill"));
  REQUIRE(domain::find_follower_count_tier("10k-100k"));
  CHECK(domain::find_follower_count_tier("10k-100k")->value == "10k_to_100k");
}

TEST_CASE("PATCH replaces the fields sent, clears nullable ones sent as null, keeps the rest", "[campaigns][patch]") {
  World world;
  auto request = stream_of({pair("a")});
  request.settings.webhook_url = "https://hooks.example.com/x";
  request.settings.sync_times = {"08:00"};
  const auto created = domain::create_stream(world.deps, kTeam, request);
  REQUIRE(created);

  domain::StreamPatch patch;
  patch.name = "Renamed";
  patch.webhook_url = std::optional<std::string>{};  // null
  patch.auto_enrich_email = true;
  const auto patched = domain::patch_stream(world.deps, kTeam, created->id, patch);
  REQUIRE(patched);
  CHECK_FALSE(patched->pairs_diff);
  const auto stream = *domain::get_stream(world.deps, kTeam, created->id);
  CHECK(stream.settings.name == "Renamed");
  CHECK_FALSE(stream.settings.webhook_url);
  CHECK(stream.settings.auto_enrich_email);
  CHECK(stream.settings.sync_times == std::vector<std::string>{"08:00"});

  domain::StreamPatch invalid;
  invalid.delivery_destination = "leads_plus_webhook";  // and no webhookUrl any more
  CHECK(domain::patch_stream(world.deps, kTeam, created->id, invalid).error().code ==
        domain::ErrorCode::kInvalidRequest);
  CHECK(domain::get_stream(world.deps, kTeam, created->id)->settings.delivery_destination == "leads_only");
  CHECK(domain::patch_stream(world.deps, domain::TeamId{2}, created->id, patch).error().code ==
        domain::ErrorCode::kNotFound);
}

TEST_CASE("PATCH pairs replaces the set and reports what was added and removed", "[campaigns][patch]") {
  World world;
  const auto created = domain::create_stream(world.deps, kTeam, stream_of({pair("a"), pair("b")}));
  REQUIRE(created);
  const auto segment = created->segments[0].id;
  const auto account_a = created->accounts[0].id;
  const auto pair_a = domain::get_stream(world.deps, kTeam, created->id)->pairs[0].pair_id;

  domain::StreamPatch patch;
  patch.pairs = std::vector<domain::PairRequest>{
      domain::PairRequest{domain::AccountRef{.id = account_a}, domain::SegmentRef{.id = segment}},
      domain::PairRequest{domain::AccountRef{.handle = "c"}, domain::SegmentRef{.id = segment}}};
  const auto patched = domain::patch_stream(world.deps, kTeam, created->id, patch);
  REQUIRE(patched);
  REQUIRE(patched->pairs_diff);
  REQUIRE(patched->pairs_diff->added_accounts.size() == 1);
  CHECK(patched->pairs_diff->added_accounts[0].handle == "c");
  CHECK(patched->pairs_diff->added_accounts[0].created);
  CHECK(patched->pairs_diff->added_accounts[0].billing_delta->quantity == 3);
  CHECK(patched->pairs_diff->added_segments.empty());
  CHECK(patched->pairs_diff->removed_pairs.size() == 1);  // b's pair

  const auto stream = *domain::get_stream(world.deps, kTeam, created->id);
  REQUIRE(stream.pairs.size() == 2);
  CHECK(stream.pairs[0].pair_id == pair_a);  // a kept pair keeps its id
  CHECK(stream.pairs[1].handle == "c");

  domain::StreamPatch empty;
  empty.pairs = std::vector<domain::PairRequest>{};
  CHECK(domain::patch_stream(world.deps, kTeam, created->id, empty).error().code == domain::ErrorCode::kInvalidRequest);
}

TEST_CASE("restoring an archived stream needs room under its accounts' caps", "[campaigns][patch]") {
  World world;
  const auto cap = domain::limits_of(Tier::kStarter).automated_streams_per_account;
  const auto first = domain::create_stream(world.deps, kTeam, stream_of({pair("busy")}));
  REQUIRE(first);
  REQUIRE(domain::archive_stream(world.deps, kTeam, first->id));
  for (int i = 0; i < cap; ++i) REQUIRE(domain::create_stream(world.deps, kTeam, stream_of({pair("busy")})));

  domain::StreamPatch restore;
  restore.is_archived = false;
  const auto refused = domain::patch_stream(world.deps, kTeam, first->id, restore);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == domain::ErrorCode::kStreamCapExceeded);
  CHECK(domain::get_stream(world.deps, kTeam, first->id)->is_archived);

  // Restored with its pairs replaced in the same PATCH: the accounts it keeps count too.
  restore.pairs = std::vector<domain::PairRequest>{pair("busy"), pair("idle")};
  const auto also_refused = domain::patch_stream(world.deps, kTeam, first->id, restore);
  REQUIRE_FALSE(also_refused);
  CHECK(also_refused.error().code == domain::ErrorCode::kStreamCapExceeded);
  CHECK(domain::get_stream(world.deps, kTeam, first->id)->is_archived);
}

TEST_CASE("a stream shows when it runs next; a bad cron is refused with its position", "[campaigns][schedule]") {
  World world;
  auto request = stream_of({pair("a")});
  request.settings.sync_times = {"09:00", "21:00"};
  const auto created = domain::create_stream(world.deps, kTeam, request);
  REQUIRE(created);
  const auto stream = domain::get_stream(world.deps, kTeam, created->id);
  REQUIRE(stream->next_run_at);
  CHECK(domain::format_rfc3339(*stream->next_run_at) == "2027-01-15T09:00:00Z");  // the clock reads 08:00Z

  REQUIRE(domain::archive_stream(world.deps, kTeam, created->id));
  CHECK_FALSE(domain::get_stream(world.deps, kTeam, created->id)->next_run_at);

  auto bad = stream_of({pair("b")});
  bad.settings.cron = "0 25 * * *";
  const auto refused = domain::create_stream(world.deps, kTeam, bad);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().details.at(0).problem == "position 3: hour 25 is out of range 0-23");
}

TEST_CASE("a stream without a schedule gets one daily quarter-hour slot from its id", "[campaigns][schedule]") {
  std::set<std::int64_t> slots;
  for (std::int64_t id = 1; id <= 20; ++id) {
    const auto schedule = domain::schedule_of(domain::Stream{.id = domain::StreamId{id}});
    REQUIRE(schedule);
    const auto& daily = std::get<domain::DailyTimes>(*schedule);
    REQUIRE(daily.times.size() == 1);
    CHECK(daily.times[0].count() % 15 == 0);
    CHECK(daily.times[0] < std::chrono::hours{24});
    slots.insert(daily.times[0].count());
    const auto again = domain::schedule_of(domain::Stream{.id = domain::StreamId{id}});
    CHECK(std::get<domain::DailyTimes>(*again).times == daily.times);  // stable
  }
  CHECK(slots.size() >= 15);  // spread, not bunched
}

TEST_CASE("a description suggests the original's labels it names", "[campaigns][segments]") {
  const auto filters = domain::suggest_search_filters("Seed-stage fintech founders and angel investors");
  CHECK(filters.at("job_role") == std::vector<std::string>{"Founder", "Investor"});
  CHECK(filters.at("skill") == std::vector<std::string>{"Fintech", "Venture Capital"});
  CHECK(domain::suggest_search_filters("people who like cats").empty());
}
