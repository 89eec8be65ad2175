#include "domain/rules/learning_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/rules/fnv1a.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

// A classifier's two confidences stand for these probabilities, and the cuts between the
// grades lie between them, so that a model with no weights grades every match as it came.
constexpr double kPriorHigh = 0.8;
constexpr double kPriorMedium = 0.6;
constexpr double kPriorUnmatched = 0.2;
constexpr double kHighFrom = 0.7;
constexpr double kKeptFrom = 0.4;

// Fitting: plain gradient descent, example by example, with a rate that decays and an L2
// pull towards zero. Users say no less often than yes, and each no says more: a bad
// example weighs as much as the good ones over the bad ones, up to kMostBadWeight.
// Fifty examples take about a millisecond.
constexpr int kEpochs = 100;
constexpr double kRate = 0.1;
constexpr double kRateDecay = 0.05;
constexpr double kL2 = 0.01;
constexpr double kMostBadWeight = 5;

/// The hash of a feature's kind and text: one word, or two ("b" for a pair).
std::uint64_t hash_of(std::string_view kind, std::string_view text, std::string_view second = {}) {
  Fnv1a hash;
  hash.add(kind).add(text);
  if (!second.empty()) hash.add(" ").add(second);
  return hash.value();
}

double logit(double probability) { return std::log(probability / (1 - probability)); }
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

bool teaches(const FeedbackExample& example) { return example.good || example.bad_reason != "wrong_gender"; }

/// The feedback of each segment that has some, fitted, with what scoring needs.
class LearningMatcher final : public ProfileMatcher {
 public:
  LearningMatcher(std::unique_ptr<ProfileMatcher> base, std::unique_ptr<Stemmer> stemmer,
                  const std::vector<SegmentTerms>& segments)
      : base_(std::move(base)), stemmer_(std::move(stemmer)) {
    for (const auto& segment : segments) {
      if (segment.feedback.empty()) continue;
      std::vector<const FeedbackExample*> teaching;
      std::vector<const FollowerProfile*> profiles;
      for (const auto& example : segment.feedback) {
        if (!teaches(example)) continue;
        teaching.push_back(&example);
        profiles.push_back(&example.profile);
      }
      // The priors in one call: a remote base answers them in batches (from its cache,
      // mostly: each was a lead of this segment).
      const auto priors = base_->matches_of(profiles);
      std::vector<FeedbackModel::Example> examples;
      examples.reserve(teaching.size());
      for (std::size_t i = 0; i < teaching.size() && i < priors.size(); ++i) {
        const auto match = std::ranges::find(priors[i], segment.id, &Match::segment_id);
        examples.push_back({FeedbackModel::features_of(teaching[i]->profile, *stemmer_),
                            prior_of(match == priors[i].end() ? nullptr : &*match), teaching[i]->good});
      }
      models_.emplace(segment.id.value, FeedbackModel::fit(examples));
    }
  }

  std::vector<Match> matches(const FollowerProfile& profile) override {
    auto matches = base_->matches(profile);
    regrade(profile, matches);
    return matches;
  }

  std::vector<std::vector<Match>> matches_of(const std::vector<const FollowerProfile*>& profiles) override {
    auto all = base_->matches_of(profiles);
    for (std::size_t i = 0; i < all.size() && i < profiles.size(); ++i) regrade(*profiles[i], all[i]);
    return all;
  }

  ClassifierUsage usage() const override { return base_->usage(); }

 private:
  /// Moves each match of a segment with a model by what the model says of the profile.
  void regrade(const FollowerProfile& profile, std::vector<Match>& matches) {
    if (models_.empty() || matches.empty()) return;
    std::optional<std::vector<std::uint64_t>> features;  // computed once, if a model needs them
    std::erase_if(matches, [&](Match& match) {
      const auto model = models_.find(match.segment_id.value);
      if (model == models_.end()) return false;
      if (!features) features = FeedbackModel::features_of(profile, *stemmer_);
      const double prior = prior_of(&match);
      const double probability = model->second.probability(*features, prior);
      const auto confidence = confidence_of(probability);
      if (!confidence) return true;
      match.confidence = *confidence;
      // Moved by what feedback changed, so that a match it leaves alone keeps its score.
      match.score = std::clamp(match.score + probability - prior, 0.0, 1.0);
      return false;
    });
  }

  std::unique_ptr<ProfileMatcher> base_;
  std::unique_ptr<Stemmer> stemmer_;
  std::map<std::int64_t, FeedbackModel> models_;  // per segment id
};

}  // namespace

double prior_of(const Match* match) {
  if (match == nullptr) return kPriorUnmatched;
  return match->confidence == MatchConfidence::kHigh ? kPriorHigh : kPriorMedium;
}

std::optional<MatchConfidence> confidence_of(double probability) {
  if (probability >= kHighFrom) return MatchConfidence::kHigh;
  if (probability >= kKeptFrom) return MatchConfidence::kMedium;
  return std::nullopt;
}

std::vector<std::uint64_t> FeedbackModel::features_of(const FollowerProfile& profile, Stemmer& stemmer) {
  std::vector<std::uint64_t> features{hash_of("bias", "")};
  std::string previous;
  for (const auto& word : words(profile.bio)) {
    auto stem = stemmer.stem(word);
    if (!is_stop_word(word)) features.push_back(hash_of("w", stem));
    if (!previous.empty()) features.push_back(hash_of("b", previous, stem));
    previous = std::move(stem);
  }
  for (const auto& word : words(name_tagline(profile.display_name))) {
    if (!is_stop_word(word)) features.push_back(hash_of("t", stemmer.stem(word)));
  }
  for (const auto& word : words(profile.location)) features.push_back(hash_of("l", word));
  std::ranges::sort(features);
  const auto [first, last] = std::ranges::unique(features);
  features.erase(first, last);
  return features;
}

FeedbackModel FeedbackModel::fit(const std::vector<Example>& examples) {
  const auto bad = static_cast<double>(std::ranges::count(examples, false, &Example::good));
  const double bad_weight =
      bad == 0 ? 1 : std::clamp((static_cast<double>(examples.size()) - bad) / bad, 1.0, kMostBadWeight);
  FeedbackModel model;
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    const double rate = kRate / (1 + kRateDecay * epoch);
    for (const auto& example : examples) {
      const double probability = model.probability(example.features, example.prior);
      const double error = example.good ? probability - 1 : bad_weight * probability;
      for (const auto feature : example.features) {
        auto& weight = model.weights_[feature];
        weight -= rate * (error + kL2 * weight);
      }
    }
  }
  return model;
}

double FeedbackModel::probability(const std::vector<std::uint64_t>& features, double prior) const {
  double z = logit(prior);
  for (const auto feature : features) {
    const auto weight = weights_.find(feature);
    if (weight != weights_.end()) z += weight->second;
  }
  return sigmoid(z);
}

LearningClassifier::LearningClassifier(const Classifier& base, std::function<std::unique_ptr<Stemmer>()> make_stemmer)
    : base_(base), make_stemmer_(std::move(make_stemmer)) {}

std::unique_ptr<ProfileMatcher> LearningClassifier::prepare(const std::vector<SegmentTerms>& segments) const {
  const bool any_feedback = std::ranges::any_of(segments, [](const auto& s) { return !s.feedback.empty(); });
  if (!any_feedback) return base_.prepare(segments);
  return std::make_unique<LearningMatcher>(base_.prepare(segments), make_stemmer_(), segments);
}

}  // namespace leadstream::domain
