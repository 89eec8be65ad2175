#include <catch2/catch.hpp>
#include <iostream>

#include "adapters/text/snowball_stemmer.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/segment_structure.hpp"
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
  CHECK(matches[0].reasons == std::vector<std::string>{"ceo", "llm", "engineers"});  // the role first
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
  // Leaders (the role) in marketing, AI and fintech (three topics, all needed): a head of
  // AI is not one.
  CHECK(classify({marketers}, "Head of AI at a fintech startup").empty());
  CHECK(classify({marketers}, "Growth marketing lead, AI fintech startup").size() == 1);
  marketers.applied_search_filters = {{"job_role", {"Marketer"}}};
  CHECK(classify({marketers}, "Head of AI at a fintech startup").empty());
  CHECK(classify({marketers}, "Growth marketing lead, AI fintech startup").size() == 1);
}

TEST_CASE("a label widens the description's word to the label's words", "[classifier][segments]") {
  auto researchers = segment("AI researchers");
  // A professor is a researcher by title (the lexicon's researcher role), label or not.
  CHECK(classify({researchers}, "Professor of computer science, machine learning").size() == 1);
  CHECK(classify({researchers}, "Professor of medieval history").empty());
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

namespace {

bool fits(const std::string& description, const std::string& bio, const std::string& name = {}) {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  auto person = profile(bio);
  person.display_name = name;
  return !classifier.prepare({segment(description)})->matches(person).empty();
}

std::optional<domain::MatchConfidence> confidence(const std::string& description, const std::string& bio) {
  const auto matches = classify({segment(description)}, bio);
  if (matches.empty()) return std::nullopt;
  return matches.front().confidence;
}

}  // namespace

TEST_CASE("roles joined by 'and' are alternatives; what they work on is a conjunction", "[classifier][real]") {
  const std::string researchers = "AI researchers and scientists";
  CHECK(fits(researchers, "Senior staff research scientist at a frontier AI lab"));
  CHECK(fits(researchers, "AI researcher and teacher at a university"));
  CHECK(fits(researchers, "Scientist working on large language models"));
  CHECK_FALSE(fits(researchers, "Climate scientist. Glaciers, mostly."));  // not in AI
  const std::string devtools = "AI founders building developer tools";
  CHECK(fits(devtools, "Founder of an AI code review tool for developers"));
  CHECK_FALSE(fits(devtools, "Founder of an AI startup for lawyers"));     // no developer tools
  CHECK_FALSE(fits(devtools, "Founder, developer tools for Kubernetes"));  // no AI
  CHECK(fits("AI and crypto investors", "Angel investor in crypto"));      // modifiers joined: either
  CHECK(fits("AI and crypto investors", "Investing in AI infrastructure"));
}

TEST_CASE("well-known organisations say their sector, by name or by @handle", "[classifier][real]") {
  const std::string researchers = "AI researchers and scientists";
  CHECK(fits(researchers, "Research scientist @GoogleDeepMind"));
  CHECK(fits(researchers, "Research engineer at Hugging Face. Opinions mine."));
  CHECK(fits(researchers, "member of technical staff @AnthropicAI"));
  CHECK(fits(researchers, "PhD student @Mila_Quebec"));
  CHECK_FALSE(fits(researchers, "Research scientist at a pharma company"));
}

TEST_CASE("titles map to roles: researchers by title, CTOs and VPs are no founders", "[classifier][real]") {
  const std::string researchers = "AI researchers and scientists";
  CHECK(fits(researchers, "Professor of computer vision at ETH"));
  CHECK(fits(researchers, "PhD student in NLP"));
  CHECK(fits(researchers, "Chief Scientist, machine learning"));
  const std::string founders = "Company founders and CEOs";
  CHECK_FALSE(fits(founders, "CTO at a logistics startup"));
  CHECK_FALSE(fits(founders, "VP Engineering @acme"));
  CHECK(fits(founders, "CTO & co-founder at a logistics startup"));
  CHECK(fits(founders, "Building @acmehq. Previously @stripe."));
  CHECK(fits(founders, "recently started @tinybirdco"));
  CHECK(fits(founders, "Co-founded Acme in 2019, still at it"));
  CHECK_FALSE(fits(founders, "Founding engineer at a seed-stage startup"));
}

TEST_CASE("past and wished-for roles are not the person's", "[classifier][real]") {
  const std::string founders = "Company founders and CEOs";
  CHECK_FALSE(fits(founders, "Ex-cofounder of Acme. Now investing."));
  CHECK_FALSE(fits(founders, "Former CEO of a payments company"));
  CHECK_FALSE(fits(founders, "Aspiring founder, learning in public"));
  CHECK_FALSE(fits(founders, "Recovering founder. Now coaching founders through burnout."));
  CHECK(confidence(founders, "Previously founded two companies; now founder of a third") ==
        domain::MatchConfidence::kHigh);  // a current role too
  CHECK(confidence(founders, "CEO of a bakery in Lisbon") == domain::MatchConfidence::kHigh);
}

TEST_CASE("a founder of something that is no company is no company founder", "[classifier][real]") {
  const std::string founders = "Company founders and CEOs";
  CHECK_FALSE(fits(founders, "Founder of a university lab studying coral reefs"));
  CHECK_FALSE(fits(founders, "Co-founder of a workshop on robot ethics"));
  CHECK_FALSE(fits(founders, "CEO of my household and chief snack officer"));
  CHECK(fits(founders, "Founder of a robotics company spun out of a university lab"));
  CHECK(fits("founders", "Founder of a university lab studying coral reefs"));  // no company asked for
}

TEST_CASE("what was founded is read within its clause", "[classifier][real]") {
  const std::string founders = "Company founders and CEOs";
  CHECK_FALSE(fits(founders, "Founder of the Lagos AI Meetup (4k members)"));
  CHECK_FALSE(fits(founders, "host & founder of The Operator Pod. new ep every tuesday"));
  CHECK(fits(founders, "Founder of Acme. Podcast host on weekends"));
  CHECK(fits(founders, "Founder/CEO of Vectra Labs, serverless vector database"));
}

TEST_CASE("role words that name others are not the person's role", "[classifier][real]") {
  const std::string founders = "Company founders and CEOs";
  CHECK_FALSE(fits(founders, "GP @ Ledger Capital. Seed-stage fintech. DMs open for founders."));
  CHECK_FALSE(fits(founders, "I teach SaaS founders to 10x their LinkedIn."));
  CHECK_FALSE(fits(founders, "Chief of Staff to the CEO @fintrix. Ops, hiring, fires."));
  CHECK(fits(founders, "CEO @fintrix. Hiring founders-in-residence."));
  CHECK_FALSE(fits("AI researchers and scientists", "Recruiter. I place AI researchers at startups."));
}

TEST_CASE("bios in other languages and scripts", "[classifier][real]") {
  const std::string researchers = "AI researchers and scientists";
  CHECK(fits(researchers, "Investigador en aprendizaje automático @ CIMAT"));  // accents folded
  CHECK(fits(researchers, "Doktorandin @TU_Muenchen | Maschinelles Lernen & Robotik"));
  CHECK(fits(researchers, "機械学習の研究者。強化学習とロボティクス。"));  // no spaces: substrings
  CHECK(fits("Company founders and CEOs", "Gründerin & CEO @agentforge_io"));
  CHECK(fits("Company founders and CEOs", "Fundei a Padaria Lopes em 2011"));
  CHECK_FALSE(fits(researchers, "研究者ではありません。料理が好き。"));  // no AI
}

TEST_CASE("names are not evidence; a display name's tagline is", "[classifier][real]") {
  const std::string devtools = "AI founders building developer tools";
  CHECK_FALSE(fits(devtools, "Founder of an AI startup for lawyers", "Dev Silva"));
  CHECK_FALSE(fits("Company founders and CEOs", "Gardener and dad", "Grant Founders"));
  CHECK(fits(devtools, "Founder. AI code review.", "Ana Silva | devtools"));
}

TEST_CASE("a segment's structure shows how its words were understood", "[classifier][real]") {
  const auto of = [](std::string description, std::vector<std::string> keywords = {}) {
    auto terms = segment(std::move(description));
    if (!keywords.empty()) terms.keywords = std::move(keywords);
    return domain::parse_segment_structure(terms);
  };
  const auto researchers = of("AI researchers and scientists");
  CHECK(researchers.roles == std::vector<std::string>{"researcher"});
  CHECK(researchers.topics == std::vector<std::vector<std::string>>{{"ai"}});
  const auto devtools = of("AI founders building developer tools");
  CHECK(devtools.roles == std::vector<std::string>{"founder"});
  CHECK(devtools.topics == std::vector<std::vector<std::string>>{{"ai"}, {"developer"}});
  const auto founders = of("Company founders and CEOs");
  CHECK(founders.roles == std::vector<std::string>{"founder"});
  CHECK(founders.topics.empty());
  CHECK(founders.qualifiers == std::vector<std::string>{"company"});
  const auto investors = of("Early-stage fintech investors, not crypto");
  CHECK(investors.roles == std::vector<std::string>{"investor"});
  CHECK(investors.topics == std::vector<std::vector<std::string>>{{"early_stage"}, {"fintech"}});
  CHECK(investors.excluded == std::vector<std::string>{"web3", "late_stage"});
  // Keywords, when given, are what is read: each a phrase of its own.
  const auto corrected = of("AI researchers and scientists", {"role:phd", "ai or biology"});
  CHECK(corrected.roles == std::vector<std::string>{"researcher"});
  CHECK(corrected.topics == std::vector<std::vector<std::string>>{{"ai", "biology"}});
}

TEST_CASE("on held-out profiles nobody tuned for, each segment keeps its measured quality", "[classifier][real]") {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  const auto held_out =
      support::load_real_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real", support::Part::kHeldOut);
  REQUIRE(held_out.size() >= 120);
  // Floors a little under the figures of 2026-12-05 (bench/classifier prints them), after
  // tuning on the other 70%: founders 0.976/1.000, AI researchers 0.914/0.865.
  const std::map<std::string, std::pair<double, double>> floors{{"founders_ceos", {0.90, 0.95}},
                                                                {"ai_researchers", {0.85, 0.80}},
                                                                {"ai_devtools_founders", {0.95, 0.50}},
                                                                {"fintech_investors", {0.95, 0.80}},
                                                                {"marketing_leaders", {0.95, 0.80}}};
  for (const auto& [key, quality] : support::evaluate(classifier, held_out, support::real_segments())) {
    INFO(key << ": precision " << quality.precision() << ", recall " << quality.recall());
    CHECK(quality.precision() >= floors.at(key).first);
    CHECK(quality.recall() >= floors.at(key).second);
  }
}
