#include <catch2/catch.hpp>
#include <iostream>

#include "adapters/text/snowball_stemmer.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "support/labelled_bios.hpp"

using namespace leadstream;

namespace {

domain::FollowerProfile profile(std::string bio) {
  return domain::FollowerProfile{.x_user_id = "1", .bio = std::move(bio)};
}

std::vector<domain::Match> classify(const std::vector<domain::SegmentTerms>& segments, const std::string& bio) {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  return classifier.prepare(segments)->matches(profile(bio));
}

domain::SegmentTerms segment(std::string description, std::vector<std::string> exclude = {}) {
  return {domain::SegmentId{7}, description, domain::derive_keywords(description), std::move(exclude)};
}

}  // namespace

TEST_CASE("the local classifier reaches its precision and recall on the labelled bios", "[classifier]") {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  const auto bios = support::load_labelled_bios(LEADSTREAM_TEST_DATA_DIR "/classifier/bios.jsonl");
  REQUIRE(bios.size() >= 200);
  for (const auto& [key, quality] : support::evaluate(classifier, bios)) {
    INFO(key << ": precision " << quality.precision() << ", recall " << quality.recall());
    for (const auto& mistake : quality.mistakes) INFO(mistake);
    CHECK(quality.precision() >= 0.8);
    CHECK(quality.recall() >= 0.6);
  }
}

TEST_CASE("a bio that never uses the segment's words still matches through the lexicon", "[classifier]") {
  const auto matches = classify({segment("AI founders building developer tools")}, "CEO @ x, LLM evals for engineers");
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].confidence == domain::MatchConfidence::kHigh);
  CHECK(matches[0].score == 1.0);
  CHECK(matches[0].reasons == std::vector<std::string>{"llm", "ceo", "engineers"});
}

TEST_CASE("a profile without the segment's role never matches", "[classifier]") {
  CHECK(classify({segment("AI founders building developer tools")},
                 "Partner at Amplify. Investing in AI infrastructure and developer tools.")
            .empty());
}

TEST_CASE("exclude keywords and contradicting concepts veto a match", "[classifier]") {
  CHECK(classify({segment("AI founders building developer tools", {"crypto"})},
                 "Founder of an AI crypto wallet SDK for developers")
            .empty());
  CHECK(classify({segment("Early-stage investors in fintech")}, "Growth stage investor in fintech").empty());
  CHECK_FALSE(classify({segment("Early-stage investors in fintech")}, "Seed investor in fintech").empty());
}

TEST_CASE("words the lexicon does not know must appear themselves, stemmed", "[classifier]") {
  const auto segments = std::vector{segment("Founders of climate startups")};
  CHECK_FALSE(classify(segments, "Founder @ a startup fighting climate change").empty());
  CHECK(classify(segments, "Founder @ a startup fighting cancer").empty());
}

TEST_CASE("a negated word is no evidence: \"No AI\" is not an AI founder", "[classifier]") {
  const auto segments = std::vector{segment("AI founders building developer tools")};
  CHECK(classify(segments, "Founder @ hosting for developers. No AI, just fast deploys.").empty());
  CHECK(classify(segments, "Founder building dev tools without machine learning").empty());
  CHECK(classify(segments, "Non-technical founder, not a developer, building AI").empty());
  // Only the word right after the negation: "no-code AI tools for developers" is still AI.
  CHECK_FALSE(classify(segments, "Founder of no-code AI tools for developers").empty());
}

TEST_CASE("search-filter labels are facets: any label of a group, every group", "[classifier][segments]") {
  auto researchers = segment("AI");
  researchers.applied_search_filters = {{"job_role", {"Researcher", "Student"}}};
  CHECK(classify({researchers}, "PhD student working on NLP").size() == 1);
  CHECK(classify({researchers}, "Research scientist, LLM evals").size() == 1);
  CHECK(classify({researchers}, "AI engineer at a bank").empty());  // a role of the group is missing

  auto founders = segment("founders");
  founders.applied_search_filters = {{"skill", {"AI/ML", "Developer Tools"}}};
  CHECK(classify({founders}, "Founder building an SDK for payments").size() == 1);
  CHECK(classify({founders}, "Founder, machine learning for farms").size() == 1);
  CHECK(classify({founders}, "Founder of a bakery").empty());
}

TEST_CASE("labels the description already asks for add nothing", "[classifier][segments]") {
  auto with_filters = segment("AI founders building developer tools");
  with_filters.applied_search_filters = {{"job_role", {"Founder", "Investor"}}, {"skill", {"AI/ML"}}};
  // Counted as facets of their own, the two labels would make five, and five may miss one:
  // an AI founder who builds nothing for developers would match.
  CHECK(classify({with_filters}, "Founder, LLM agents for farms").empty());
  const auto matches = classify({with_filters}, "Founder, LLM evals for engineers");
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].confidence == domain::MatchConfidence::kHigh);
}

TEST_CASE("follower-count tiers bound the followers a match may have", "[classifier][segments]") {
  auto mid_size = segment("AI founders");
  mid_size.follower_count_tiers = {"1k_to_10k", "100k-1m"};
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  const auto matcher = classifier.prepare({mid_size});
  auto founder = profile("Founder building LLM agents");
  for (const auto& [followers, fits] : std::vector<std::pair<std::int64_t, bool>>{
           {999, false}, {1'000, true}, {9'999, true}, {10'000, false}, {250'000, true}, {1'000'000, false}}) {
    founder.followers_count = followers;
    INFO(followers);
    CHECK(matcher->matches(founder).size() == (fits ? 1U : 0U));
  }
}

TEST_CASE("a role label on a word of the description makes that word a role", "[classifier][segments]") {
  auto marketers = segment("marketing leaders at AI fintech startups");
  CHECK(classify({marketers}, "Head of AI at a fintech startup").size() == 1);  // five facets: one may miss
  marketers.applied_search_filters = {{"job_role", {"Marketer"}}};
  CHECK(classify({marketers}, "Head of AI at a fintech startup").empty());
  CHECK(classify({marketers}, "Growth marketing lead, AI fintech startup").size() == 1);
}

TEST_CASE("a label widens the description's word to the label's words", "[classifier][segments]") {
  auto researchers = segment("AI researchers");
  CHECK(classify({researchers}, "Professor of computer science, machine learning").empty());
  researchers.applied_search_filters = {{"job_role", {"Researcher"}}};
  CHECK(classify({researchers}, "Professor of computer science, machine learning").size() == 1);
  CHECK(classify({researchers}, "ML engineer at a bank").empty());
}

TEST_CASE("a filter never widens a segment: it is required and does not count toward a long one's slack",
          "[classifier][segments]") {
  auto devtools = segment("AI founders building developer tools");
  CHECK(classify({devtools}, "AI founder, fintech payments").empty());
  devtools.applied_search_filters = {{"skill", {"Fintech"}}};
  CHECK(classify({devtools}, "AI founder, fintech payments").empty());  // developer is still missing
  CHECK(classify({devtools}, "AI founder, payments APIs for developers").size() == 1);
}

TEST_CASE("the labels from-description suggests leave a segment's matches as its words make them",
          "[classifier][segments]") {
  const auto bios = support::load_labelled_bios(LEADSTREAM_TEST_DATA_DIR "/classifier/bios.jsonl");
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  std::vector<std::string> descriptions{"Engineers at seed-stage startups", "AI researchers and scientists"};
  for (const auto& labelled : support::labelled_segments()) descriptions.push_back(labelled.description);
  for (const auto& description : descriptions) {
    auto plain = segment(description);
    auto suggested = plain;
    suggested.applied_search_filters = domain::suggest_search_filters(description);
    INFO(description);
    REQUIRE_FALSE(suggested.applied_search_filters.empty());
    const auto with_words = classifier.prepare({plain});
    const auto with_labels = classifier.prepare({suggested});
    CHECK(with_labels->matches(profile("Developer at a seed startup")).size() ==
          with_words->matches(profile("Developer at a seed startup")).size());
    for (const auto& bio : bios) {
      INFO(bio.profile.bio);
      CHECK(with_labels->matches(bio.profile).size() >= with_words->matches(bio.profile).size());
    }
  }
}
