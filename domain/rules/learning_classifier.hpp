#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "domain/ports/classifier.hpp"

namespace leadstream::domain {

/// What feedback taught of one segment: a logistic model over hashed words and word pairs
/// of a profile (bio, name tagline, location) whose prior is what the underlying
/// classifier said. Its weights are what the log-odds of a match move by; with no
/// feedback, they are all zero and nothing moves.
class FeedbackModel {
 public:
  /// A profile's words as the model sees them, and what the classifier said of it.
  struct Example {
    std::vector<std::uint64_t> features;
    double prior = 0;  // the classifier's probability that the person fits
    bool good = true;
  };

  /// The hashed features of a profile: stemmed bio words and word pairs, tagline and
  /// location words, and a bias that every profile has.
  static std::vector<std::uint64_t> features_of(const FollowerProfile& profile, Stemmer& stemmer);

  /// Fits the weights to the examples (regularised towards zero, so that a word seen once
  /// moves little): deterministic, for the same examples in the same order.
  static FeedbackModel fit(const std::vector<Example>& examples);

  /// The probability that a person with these features fits, given the classifier's prior.
  double probability(const std::vector<std::uint64_t>& features, double prior) const;

 private:
  std::unordered_map<std::uint64_t, double> weights_;
};

/// A classifier that learns from feedback: it scores with the underlying classifier, then
/// moves each match of a segment with feedback (SegmentTerms::feedback) by what the
/// segment's FeedbackModel learned. A match may rise from medium to high, fall from high
/// to medium, or be dropped; a profile the classifier did not match stays unmatched.
/// `good` feedback and `bad` for the person's job, skills or personality, as a bot, for no
/// given reason ("zapier", the default) or "other" teach; `wrong_gender` does not, since a
/// bio does not say it and the model would learn the names of the people marked.
class LearningClassifier final : public Classifier {
 public:
  LearningClassifier(const Classifier& base, std::function<std::unique_ptr<Stemmer>()> make_stemmer);

  // domain::Classifier
  std::unique_ptr<ProfileMatcher> prepare(const std::vector<SegmentTerms>& segments) const override;

 private:
  const Classifier& base_;
  std::function<std::unique_ptr<Stemmer>()> make_stemmer_;
};

/// The probability a classifier's match (or its absence) stands for, before feedback:
/// what FeedbackModel starts from. High and medium map back to themselves unmoved.
double prior_of(const Match* match);

/// The confidence a probability earns after feedback; nullopt for no match.
std::optional<MatchConfidence> confidence_of(double probability);

}  // namespace leadstream::domain
