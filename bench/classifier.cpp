// bench/classifier: the local classifier's quality on the labelled bios of
// tests/data/classifier and on the held-out 30% of tests/data/classifier_real (profiles
// written and labelled apart from the lexicon), and its speed in profile x segment
// classifications per second on one core, against a naive substring matcher measured in
// the same run.
//
//   build-release/bench/classifier [--benchmark_repetitions=5]
//   build-release/bench/classifier --tuning-mistakes   figures and mistakes on the 70% of
//                                                      classifier_real one may tune on
//   build-release/bench/classifier --tuning-feedback   what feedback does, on that 70%

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/text/snowball_stemmer.hpp"
#include "domain/rules/learning_classifier.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/text.hpp"
#include "support/labelled_bios.hpp"

using namespace leadstream;

namespace {

const std::vector<support::LabelledBio>& bios() {
  static const auto kBios = support::load_labelled_bios(LEADSTREAM_TEST_DATA_DIR "/classifier/bios.jsonl");
  return kBios;
}

/// The reference: a profile matches when its lower-cased bio contains every keyword.
/// No stems, no lexicon, no phrases: the least a classifier can do.
class SubstringMatcher final : public domain::ProfileMatcher {
 public:
  explicit SubstringMatcher(std::vector<domain::SegmentTerms> segments) : segments_(std::move(segments)) {}
  std::vector<domain::Match> matches(const domain::FollowerProfile& profile) override {
    const auto bio = domain::lower(profile.bio);
    std::vector<domain::Match> out;
    for (const auto& segment : segments_) {
      const bool all =
          std::ranges::all_of(segment.keywords, [&](const auto& k) { return bio.find(k) != std::string::npos; });
      if (all) out.push_back(domain::Match{segment.id, domain::MatchConfidence::kHigh, 1.0, {}});
    }
    return out;
  }

 private:
  std::vector<domain::SegmentTerms> segments_;
};

void classify_all(benchmark::State& state, domain::ProfileMatcher& matcher) {
  const auto& all = bios();
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(matcher.matches(all[next].profile));
    next = next + 1 == all.size() ? 0 : next + 1;
  }
  const auto segments = static_cast<std::int64_t>(support::labelled_segments().size());
  state.SetItemsProcessed(state.iterations() * segments);  // profile x segment classifications
}

void BM_LocalClassifier(benchmark::State& state) {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  const auto matcher = classifier.prepare(support::labelled_segment_terms());
  classify_all(state, *matcher);
}

void BM_SubstringReference(benchmark::State& state) {
  SubstringMatcher matcher(support::labelled_segment_terms());
  classify_all(state, matcher);
}

/// What feedback costs a run when it is claimed: fitting a segment's model on the most
/// feedback a claim reads (1,000 examples), with the local classifier's priors.
void BM_PrepareWithFeedback(benchmark::State& state) {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  auto terms = support::labelled_segment_terms();
  const auto& all = bios();
  for (std::size_t i = 0; terms.front().feedback.size() < 1000; ++i) {
    const auto& bio = all[i % all.size()];
    terms.front().feedback.push_back(
        {bio.profile, bio.segments.contains(support::labelled_segments().front().key), std::nullopt});
  }
  for (auto _ : state) benchmark::DoNotOptimize(learning.prepare(terms));
}

/// Its reference: preparing the same segments without feedback.
void BM_PrepareWithoutFeedback(benchmark::State& state) {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  const auto terms = support::labelled_segment_terms();
  for (auto _ : state) benchmark::DoNotOptimize(learning.prepare(terms));
}

BENCHMARK(BM_LocalClassifier);
BENCHMARK(BM_SubstringReference);
BENCHMARK(BM_PrepareWithFeedback)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrepareWithoutFeedback)->Unit(benchmark::kMillisecond);

/// Adds the high matches, right and wrong, of `part` to `total`.
void add_high(support::SegmentQuality& total, const support::SegmentQuality& part) {
  total.high_true_positives += part.high_true_positives;
  total.high_false_positives += part.high_false_positives;
}

/// Precision at high of every segment together, from a quality map.
double pooled_precision_at_high(const std::map<std::string, support::SegmentQuality>& quality) {
  support::SegmentQuality all;
  for (const auto& [key, q] : quality) add_high(all, q);
  return all.precision_at_high();
}

/// The grades of the profiles after the first 50 leads among them, with and without
/// feedback on those 50.
struct FeedbackTrial {
  std::size_t reviewed = 0;
  std::size_t others = 0;
  std::vector<domain::SegmentTerms> taught_terms;  // the segments with that feedback
  std::map<std::string, support::SegmentQuality> untaught;
  std::map<std::string, support::SegmentQuality> taught;
};

FeedbackTrial try_feedback(const std::vector<support::LabelledBio>& profiles) {
  const domain::LocalClassifier local(adapters::text::SnowballStemmer::make);
  const domain::LearningClassifier learning(local, adapters::text::SnowballStemmer::make);
  const auto& segments = support::real_segments();
  const auto [reviewed, others] = support::split_reviewed(local, profiles, segments, 50);
  FeedbackTrial trial{reviewed.size(), others.size(), support::with_feedback(local, reviewed, segments), {}, {}};
  trial.untaught = support::evaluate(local, others, segments);
  trial.taught = support::evaluate(learning, others, segments, trial.taught_terms);
  return trial;
}

/// What feedback on the first 50 leads of `profiles` does to the grades of the others.
void print_feedback_effect(const std::vector<support::LabelledBio>& profiles) {
  const auto& segments = support::real_segments();
  const auto [reviewed, others, taught_terms, untaught, taught] = try_feedback(profiles);
  std::printf("after feedback on %zu leads, on the other %zu profiles (precision at high / high matches right of all "
              "in the segment):\n",
              reviewed, others);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& before = untaught.at(segments[i].key);
    const auto& after = taught.at(segments[i].key);
    const auto actual = before.true_positives + before.false_negatives;
    const auto bad = std::ranges::count(taught_terms[i].feedback, false, &domain::FeedbackExample::good);
    std::printf("  %-28s no feedback %.3f (%d/%d)   with feedback %.3f (%d/%d)   (taught by %zu good, %td bad)\n",
                segments[i].key.c_str(), before.precision_at_high(), before.high_true_positives, actual,
                after.precision_at_high(), after.high_true_positives, actual,
                taught_terms[i].feedback.size() - static_cast<std::size_t>(bad), bad);
  }
  std::printf("  %-28s no feedback %.3f   with feedback %.3f\n", "all segments", pooled_precision_at_high(untaught),
              pooled_precision_at_high(taught));
}

/// The same measure as print_feedback_effect over other choices of the 50 reviewed leads:
/// the profiles shuffled by a seeded Fisher-Yates (the same order on every platform), so
/// that the figure does not rest on one file order.
void print_feedback_over_shuffles(const std::vector<support::LabelledBio>& profiles, int shuffles) {
  int rose = 0;
  int fell = 0;
  std::vector<double> before;
  std::vector<double> after;
  support::SegmentQuality all_before;  // the high matches of every shuffle and segment
  support::SegmentQuality all_after;
  for (int seed = 1; seed <= shuffles; ++seed) {
    auto shuffled = profiles;
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    for (std::size_t i = shuffled.size() - 1; i > 0; --i) std::swap(shuffled[i], shuffled[random() % (i + 1)]);
    const auto trial = try_feedback(shuffled);
    const auto& untaught = trial.untaught;
    const auto& taught = trial.taught;
    before.push_back(pooled_precision_at_high(untaught));
    after.push_back(pooled_precision_at_high(taught));
    rose += after.back() > before.back() ? 1 : 0;
    fell += after.back() < before.back() ? 1 : 0;
    for (const auto& [key, q] : untaught) add_high(all_before, q);
    for (const auto& [key, q] : taught) add_high(all_after, q);
  }
  const auto median = [](std::vector<double> values) {
    std::ranges::sort(values);
    return values[values.size() / 2];
  };
  std::printf(
      "  over %d shuffles of the profiles (another 50 leads reviewed each time): precision at high rose in %d,\n"
      "  fell in %d; median %.3f -> %.3f; high matches of all shuffles right %d -> %d, wrong %d -> %d\n",
      shuffles, rose, fell, median(before), median(after), all_before.high_true_positives,
      all_after.high_true_positives, all_before.high_false_positives, all_after.high_false_positives);
}

void print_quality() {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  std::printf("quality on %zu labelled bios (targets: precision >= 0.80, recall >= 0.60):\n", bios().size());
  for (const auto& [key, quality] : support::evaluate(classifier, bios())) {
    std::printf("  %-28s precision %.3f  recall %.3f  (tp %d, fp %d, fn %d)\n", key.c_str(), quality.precision(),
                quality.recall(), quality.true_positives, quality.false_positives, quality.false_negatives);
  }
  const auto held_out =
      support::load_real_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real", support::Part::kHeldOut);
  std::printf("\nquality on the %zu held-out profiles of classifier_real (a match of either confidence is a positive;\n"
              "targets: precision >= 0.85, recall >= 0.80):\n",
              held_out.size());
  for (const auto& [key, quality] : support::evaluate(classifier, held_out, support::real_segments())) {
    std::printf("  %-28s precision %.3f  recall %.3f  precision at high %.3f  (tp %d, fp %d, fn %d)\n", key.c_str(),
                quality.precision(), quality.recall(), quality.precision_at_high(), quality.true_positives,
                quality.false_positives, quality.false_negatives);
  }
  const auto untuned = support::load_untuned_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real");
  std::printf("\nquality on the %zu profiles of profiles_c, which nobody tuned for:\n", untuned.size());
  for (const auto& [key, quality] : support::evaluate(classifier, untuned, support::real_segments())) {
    std::printf("  %-28s precision %.3f  recall %.3f  precision at high %.3f  (tp %d, fp %d, fn %d)\n", key.c_str(),
                quality.precision(), quality.recall(), quality.precision_at_high(), quality.true_positives,
                quality.false_positives, quality.false_negatives);
  }
  print_feedback_effect(untuned);
  print_feedback_over_shuffles(untuned, 20);
  std::printf("speed target: >= 1M classifications/s per core (items_per_second of BM_LocalClassifier)\n\n");
}

/// What to read when improving the lexicon: the tuning part's figures and every profile
/// it gets wrong. Never the held-out part's.
void print_tuning_mistakes() {
  const domain::LocalClassifier classifier(adapters::text::SnowballStemmer::make);
  const auto tuning = support::load_real_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real", support::Part::kTuning);
  for (const auto& [key, quality] : support::evaluate(classifier, tuning, support::real_segments())) {
    std::printf("%s: precision %.3f  recall %.3f  precision at high %.3f  (tp %d, fp %d, fn %d)\n", key.c_str(),
                quality.precision(), quality.recall(), quality.precision_at_high(), quality.true_positives,
                quality.false_positives, quality.false_negatives);
    for (const auto& mistake : quality.mistakes) std::printf("  %s\n", mistake.c_str());
  }
}

/// The console report, plus the ratio of the two benchmarks' median (or only) rates.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}  // no colour codes in logs
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      const bool aggregate = run.run_type == Run::RT_Aggregate;
      if (aggregate && run.aggregate_name != "median") continue;
      const auto& name = run.run_name.function_name;
      if (name == "BM_PrepareWithFeedback") fitting_ms_ = run.GetAdjustedRealTime();
      if (name == "BM_PrepareWithoutFeedback") plain_ms_ = run.GetAdjustedRealTime();
      const auto rate = run.counters.find("items_per_second");
      if (rate == run.counters.end()) continue;
      if (name == "BM_LocalClassifier") local_ = rate->second.value;
      if (name == "BM_SubstringReference") reference_ = rate->second.value;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    if (local_ > 0 && reference_ > 0) {
      std::printf("\nlocal classifier: %.0f classifications/s, %.2fx the substring reference (%.0f/s)\n", local_,
                  local_ / reference_, reference_);
    }
    if (fitting_ms_ > 0 && plain_ms_ > 0) {
      std::printf("a claim with 1,000 feedbacks prepares in %.2f ms, %.0fx one without feedback (%.3f ms)\n",
                  fitting_ms_, fitting_ms_ / plain_ms_, plain_ms_);
    }
  }

 private:
  double local_ = 0;
  double reference_ = 0;
  double fitting_ms_ = 0;
  double plain_ms_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--tuning-mistakes") {
    print_tuning_mistakes();
    return 0;
  }
  if (argc == 2 && std::string_view(argv[1]) == "--tuning-feedback") {
    print_feedback_effect(
        support::load_real_profiles(LEADSTREAM_TEST_DATA_DIR "/classifier_real", support::Part::kTuning));
    return 0;
  }
  print_quality();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
