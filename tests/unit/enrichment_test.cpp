#include <catch2/catch.hpp>

#include <thread>

#include "domain/rules/contact_extractor.hpp"
#include "domain/use_cases/enrich.hpp"
#include "fakes/in_memory.hpp"
#include "fakes/in_memory_campaigns.hpp"
#include "fakes/in_memory_runs.hpp"

using namespace leadstream;
using namespace std::chrono_literals;

namespace {

const domain::TeamId kTeam{1};

domain::FollowerProfile person(std::string bio, std::string url = "") {
  return domain::FollowerProfile{
      .x_user_id = "42", .handle = "janedoe", .display_name = "Jane Doe", .bio = std::move(bio), .url = std::move(url)};
}

/// A provider that answers what it is told to, and counts what it was asked.
class ScriptedEnricher final : public domain::Enricher {
 public:
  domain::Result<std::vector<domain::Enrichment>> enrich(const std::vector<domain::EnrichTarget>& targets) override {
    asked.insert(asked.end(), targets.begin(), targets.end());
    if (failure) return *failure;
    return std::vector<domain::Enrichment>(targets.size(), answer);
  }

  domain::Enrichment answer;
  std::optional<domain::Error> failure;
  std::vector<domain::EnrichTarget> asked;
};

struct World {
  domain::EnrichDeps deps(domain::Enricher* enricher) { return {runs, runs, credits, enricher, clock, {}}; }

  fakes::ManualClock clock;
  fakes::InMemoryCampaigns campaigns;
  fakes::InMemoryRuns runs{campaigns, clock};
  fakes::InMemoryCreditLedger credits;
  ScriptedEnricher provider;
};

const domain::EnrichWants kBoth{.linkedin = true, .email = true};

domain::Enrichment verified_email(std::string address) {
  return domain::Enrichment{.email = domain::FoundEmail{std::move(address), "verified", "provider", 0.88}};
}

}  // namespace

TEST_CASE("contacts: LinkedIn URLs are found in any form and normalised", "[enrichment]") {
  using domain::find_linkedin_url;
  CHECK(find_linkedin_url("linkedin.com/in/jane-doe") == "https://www.linkedin.com/in/jane-doe");
  CHECK(find_linkedin_url("me: https://de.LinkedIn.com/in/Jane-Doe-42/?trk=x") ==
        "https://www.linkedin.com/in/jane-doe-42");
  CHECK(find_linkedin_url("(www.linkedin.com/in/j_doe)") == "https://www.linkedin.com/in/j_doe");
  CHECK_FALSE(find_linkedin_url("linkedin.com/company/acme"));
  CHECK_FALSE(find_linkedin_url("notlinkedin.com/in/jane-doe"));
  CHECK_FALSE(find_linkedin_url("linkedin.com/in/ab"));
  CHECK_FALSE(find_linkedin_url("on LinkedIn as Jane"));
}

TEST_CASE("contacts: email addresses, and the usual disguises of them", "[enrichment]") {
  using domain::find_email;
  CHECK(find_email("say hi: Jane.Doe+x@Acme.io.", false) == "jane.doe+x@acme.io");
  CHECK_FALSE(find_email("building @acme.ai with @bob", false));  // handles are no addresses
  CHECK_FALSE(find_email("medium.com/@jane", false));
  CHECK_FALSE(find_email("jane@localhost", false));
  CHECK_FALSE(find_email("jane@acme.c0m", false));
  CHECK_FALSE(find_email("jane [at] acme [dot] com", false));
  CHECK(find_email("jane [at] acme [dot] com", true) == "jane@acme.com");
  CHECK(find_email("jane(at)acme.com", true) == "jane@acme.com");
}

TEST_CASE("contacts: a profile's url is surer evidence than its bio", "[enrichment]") {
  const auto found = domain::extract_contacts(
      person("ex-@google. linkedin.com/in/other, mail jane [at] doe [dot] dev", "https://linkedin.com/in/janedoe"));
  REQUIRE(found.linkedin);
  CHECK(found.linkedin->url == "https://www.linkedin.com/in/janedoe");
  CHECK(found.linkedin->confidence == Approx(0.95));
  REQUIRE(found.email);
  CHECK(found.email->address == "jane@doe.dev");
  CHECK(found.email->status == "unverified");
  CHECK(found.email->provider == "profile");
  CHECK(found.email->confidence < 0.9);
  CHECK_FALSE(domain::extract_contacts(person("Founder @acme. Dev tools.")).found_anything());
}

TEST_CASE("enrich: what the profile says is free, and the provider is not asked for it", "[enrichment]") {
  World world;
  const auto outcome = domain::enrich_person(world.deps(&world.provider), kTeam,
                                             person("jane@doe.dev", "linkedin.com/in/janedoe"), std::nullopt, kBoth);
  REQUIRE(outcome);
  CHECK(outcome->kind() == "resolved");
  CHECK(outcome->credits_charged == 0);
  CHECK(world.provider.asked.empty());
  CHECK(world.runs.enrichments_.at({kTeam.value, "42"}).email->address == "jane@doe.dev");
}

TEST_CASE("enrich: the provider is asked only for what is missing, and paid for what it finds", "[enrichment]") {
  World world;
  REQUIRE(world.credits.grant(kTeam, 10, "test"));
  world.provider.answer = verified_email("jane@acme.com");
  const auto outcome = domain::enrich_person(world.deps(&world.provider), kTeam, person("", "linkedin.com/in/janedoe"),
                                             std::nullopt, kBoth);
  REQUIRE(outcome);
  REQUIRE(world.provider.asked.size() == 1);
  CHECK_FALSE(world.provider.asked[0].wants.linkedin);
  CHECK(world.provider.asked[0].wants.email);
  CHECK(outcome->kind() == "resolved");
  CHECK(outcome->credits_charged == 1);
  CHECK(outcome->credits_remaining == 9);
  // Held 1, released 1, settled 1: every move on the ledger.
  const auto moves = world.credits.history(kTeam, 10);
  REQUIRE(moves->size() == 4);
  CHECK((*moves)[0].kind == "settle");
  CHECK((*moves)[1].kind == "release");
  CHECK((*moves)[2].kind == "hold");
}

TEST_CASE("enrich: a miss or a failing provider costs nothing", "[enrichment]") {
  World world;
  REQUIRE(world.credits.grant(kTeam, 10, "test"));
  SECTION("a miss") {
    const auto outcome =
        domain::enrich_person(world.deps(&world.provider), kTeam, person("Founder"), std::nullopt, kBoth);
    REQUIRE(outcome);
    CHECK(outcome->kind() == "not_found");
    CHECK(outcome->credits_remaining == 10);
  }
  SECTION("a failure") {
    world.provider.failure = domain::Error{domain::ErrorCode::kUpstream, "402 insufficient_credits"};
    const auto outcome =
        domain::enrich_person(world.deps(&world.provider), kTeam, person("Founder"), std::nullopt, kBoth);
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().code == domain::ErrorCode::kUpstream);
    CHECK(*world.credits.balance(kTeam) == 10);
  }
}

TEST_CASE("enrich: the provider is not called without the credits to pay it", "[enrichment]") {
  World world;
  REQUIRE(world.credits.grant(kTeam, 1, "test"));
  const auto outcome =
      domain::enrich_person(world.deps(&world.provider), kTeam, person("Founder"), std::nullopt, kBoth);
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().code == domain::ErrorCode::kCreditsExhausted);
  CHECK(world.provider.asked.empty());
  CHECK(*world.credits.balance(kTeam) == 1);
}

TEST_CASE("enrich: emailMode verified does not count an address nobody verified", "[enrichment]") {
  World world;
  REQUIRE(world.credits.grant(kTeam, 10, "test"));
  const domain::EnrichWants verified{.email = true, .verified_email_only = true};
  SECTION("without a provider the profile's address is not enough") {
    const auto outcome =
        domain::enrich_person(world.deps(nullptr), kTeam, person("jane@doe.dev"), std::nullopt, verified);
    REQUIRE(outcome);
    CHECK(outcome->kind() == "not_found");
  }
  SECTION("the provider's verified address replaces it") {
    world.provider.answer = verified_email("jane@doe.dev");
    const auto outcome =
        domain::enrich_person(world.deps(&world.provider), kTeam, person("jane@doe.dev"), std::nullopt, verified);
    REQUIRE(outcome);
    CHECK(outcome->kind() == "resolved");
    CHECK(outcome->enrichment.email->status == "verified");
    CHECK(outcome->credits_charged == 1);
  }
}

TEST_CASE("credits: a hold whose lease ran out is released, and settling it then charges nothing", "[enrichment]") {
  fakes::InMemoryCreditLedger credits;
  REQUIRE(credits.grant(kTeam, 5, "test"));
  const auto hold = credits.hold(kTeam, 3, "enrich", domain::Timestamp{} + 1min, std::nullopt);
  REQUIRE(hold);
  CHECK(*credits.balance(kTeam) == 2);
  CHECK_FALSE(credits.hold(kTeam, 3, "enrich", domain::Timestamp{} + 1min, std::nullopt));
  CHECK(*credits.release_expired(domain::Timestamp{} + 2min) == 1);
  CHECK(*credits.balance(kTeam) == 5);
  const auto late = credits.settle(kTeam, *hold, 3, "enrich");
  REQUIRE_FALSE(late);
  CHECK(late.error().code == domain::ErrorCode::kGone);
  CHECK(*credits.balance(kTeam) == 5);
}

TEST_CASE("enrich: a batch the credits cannot pay in full is halved until it fits, then the step stops",
          "[enrichment]") {
  World world;
  REQUIRE(world.credits.grant(kTeam, 30, "test"));
  world.provider.answer = verified_email("someone@acme.com");
  std::vector<domain::FollowerProfile> people;
  for (int i = 0; i < 150; ++i) {
    auto profile = person("Founder");
    profile.x_user_id = std::to_string(1000 + i);
    profile.handle = "person" + std::to_string(i);
    people.push_back(std::move(profile));
  }
  const auto report = domain::enrich_people(world.deps(&world.provider), kTeam, people, {.email = true});
  REQUIRE(report);
  // 100 cannot be held, nor 50; 25 can: they are asked and paid; the other 125 wait.
  CHECK(world.provider.asked.size() == 25);
  CHECK(report->enriched == 25);
  CHECK(report->credits_charged == 25);
  CHECK(*world.credits.balance(kTeam) == 5);
  REQUIRE(report->stopped);
  CHECK(report->stopped->code == domain::ErrorCode::kCreditsExhausted);
}
