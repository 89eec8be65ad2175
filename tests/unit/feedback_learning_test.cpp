#include <catch2/catch.hpp>

#include "adapters/text/snowball_stemmer.hpp"
#include "domain/rules/learning_classifier.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/segment_rules.hpp"
#include "support/labelled_bios.hpp"

using namespace leadstream;

namespace {

const domain::SegmentId kFounders{7};

domain::FollowerProfile person(std::string bio) {
  static int next = 0;
  return domain::FollowerProfile{.x_user_id = std::to_string(++next), .bio = std::move(bio)};
}

domain::SegmentTerms founders(std::vector<domain::FeedbackExample> feedback = {}) {
  const std::string description = "Company founders and CEOs";
  return {kFounders, description, domain::derive_keywords(description), {}, {}, {}, std::move(feedback)};
}

domain::FeedbackExample good(std::string bio) { return {person(std::move(bio)), true, std::nullopt}; }
domain::FeedbackExample bad(std::string bio, std::string reason = "wrong_job") {
  return {person(std::move(bio)), false, std::move(reason)};
}

/// A user who wants software founders and keeps saying no to crypto ones.
std::vector<domain::FeedbackExample> no_crypto_founders() {
  return {bad("Founder of a web3 crypto token launchpad. NFTs, memecoins, degen"),
          good("Founder & CEO at Ledgerly, accounting software for small firms"),
          bad("CEO of a crypto exchange. Bitcoin maxi, HODL"),
          good("Co-founder of Tiller, a SaaS for farm logistics"),
          bad("crypto founder | token economics | web3 builder"),
          good("Founder, Acme Analytics: dashboards for retailers"),
          bad("Founder @ a DeFi protocol. yield, tokens, web3 forever"),
          good("CEO and founder of Shipwise, software for freight forwarders")};
}

std::optional<domain::Match> match_of(const domain::Classifier& classifier, const domain::SegmentTerms& segment,
                                      const std::string& bio) {
  const auto matches = classifier.prepare({segment})->matches(person(bio));
  if (matches.empty()) return std::nullopt;
  return matches.front();
}

}  // namespace

TEST_CASE("with no feedback, the learning classifier grades every match as the local one does", "[feedback]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  for (const auto* bio : {"Founder & CEO of Solaro, solar for rural Ghana", "ex-founder, now gardening",
                          "Founder | building in public", "nurse and mum"}) {
    const auto before = match_of(local, founders(), bio);
    const auto after = match_of(learning, founders(), bio);
    REQUIRE(before.has_value() == after.has_value());
    if (before) CHECK(before->confidence == after->confidence);
  }
}

TEST_CASE("bad feedback on a kind of person lowers the next one of that kind, and only that kind", "[feedback]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  const auto taught = founders(no_crypto_founders());
  const std::string crypto = "Founder of a crypto wallet for web3 gamers. tokens and NFTs";
  const std::string software = "Founder & CEO of Parcelo, software for small couriers";

  const auto untaught_crypto = match_of(learning, founders(), crypto);
  REQUIRE(untaught_crypto);
  CHECK(untaught_crypto->confidence == domain::MatchConfidence::kHigh);

  const auto taught_crypto = match_of(learning, taught, crypto);
  CHECK((!taught_crypto || taught_crypto->confidence == domain::MatchConfidence::kMedium));
  const auto taught_software = match_of(learning, taught, software);
  REQUIRE(taught_software);
  CHECK(taught_software->confidence == domain::MatchConfidence::kHigh);
  CHECK(taught_software->score > untaught_crypto->score - 0.2);
  if (taught_crypto) CHECK(taught_crypto->score < untaught_crypto->score - 0.1);
}

TEST_CASE("good feedback on medium matches of a kind raises the next one to high", "[feedback]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  // A founder only in the display name's tagline is a medium match.
  const auto tagline_founder = [](std::string name, std::string bio) {
    domain::FeedbackExample example{person(std::move(bio)), true, std::nullopt};
    example.profile.display_name = std::move(name);
    return example;
  };
  auto next = tagline_founder("Maya | founder", "bakery software, sourdough nerd, Leeds");
  const auto untaught = learning.prepare({founders()})->matches(next.profile);
  REQUIRE(untaught.size() == 1);
  REQUIRE(untaught.front().confidence == domain::MatchConfidence::kMedium);

  const auto taught = founders({tagline_founder("Ola | founder", "software for bakeries, Leeds"),
                                tagline_founder("Jo | founder", "bakery software. sourdough"),
                                tagline_founder("Kit | founder", "we make software for bakeries"),
                                tagline_founder("Ana | founder", "bakery POS software, Leeds")});
  const auto learned = learning.prepare({taught})->matches(next.profile);
  REQUIRE(learned.size() == 1);
  CHECK(learned.front().confidence == domain::MatchConfidence::kHigh);
}

TEST_CASE("wrong_gender feedback teaches nothing: a bio does not say it", "[feedback]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  std::vector<domain::FeedbackExample> feedback;
  for (int i = 0; i < 6; ++i) feedback.push_back(bad("Founder & CEO of a software company", "wrong_gender"));
  const auto match = match_of(learning, founders(feedback), "Founder & CEO of a software company");
  REQUIRE(match);
  CHECK(match->confidence == domain::MatchConfidence::kHigh);
}

TEST_CASE("fitting is deterministic", "[feedback]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  const auto taught = founders(no_crypto_founders());
  const auto first = match_of(learning, taught, "Founder of a crypto exchange");
  const auto second = match_of(learning, taught, "Founder of a crypto exchange");
  REQUIRE(first.has_value() == second.has_value());
  if (first) CHECK(first->score == second->score);
}

TEST_CASE("on profiles nobody tuned for, feedback on 50 leads raises precision at high on the other 250",
          "[feedback][real]") {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  const auto& segments = support::real_segments();
  const auto profiles = support::load_untuned_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real");
  REQUIRE(profiles.size() >= 300);
  const auto [reviewed, others] = support::split_reviewed(local, profiles, segments, 50);
  REQUIRE(reviewed.size() == 50);
  const auto untaught = support::evaluate(local, others, segments);
  const auto taught = support::evaluate(learning, others, segments, support::with_feedback(local, reviewed, segments));
  // On 2026-12-05 (bench/classifier prints it): 0.954 (144 right of 151) without feedback,
  // 0.955 (148 of 155) with it. The 50 leads held only 3 mistakes to learn from; what
  // feedback gave here is more right high matches, at no cost in wrong ones.
  int right_before = 0, wrong_before = 0, right_after = 0, wrong_after = 0;
  for (const auto& [key, before] : untaught) {
    const auto& after = taught.at(key);
    INFO(key << ": precision at high " << before.precision_at_high() << " -> " << after.precision_at_high());
    CHECK(after.precision_at_high() >= before.precision_at_high());
    CHECK(after.high_false_positives <= before.high_false_positives);
    right_before += before.high_true_positives, wrong_before += before.high_false_positives;
    right_after += after.high_true_positives, wrong_after += after.high_false_positives;
  }
  const auto precision = [](int right, int wrong) { return static_cast<double>(right) / (right + wrong); };
  CHECK(precision(right_after, wrong_after) > precision(right_before, wrong_before));
  CHECK(right_after > right_before);
}
