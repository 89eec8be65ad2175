#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/sync.hpp"

namespace leadstream::domain {

/// Scores profiles against the segments one run prepared. Not thread-safe: one per thread.
class ProfileMatcher {
 public:
  virtual ~ProfileMatcher() = default;
  /// The segments the profile fits, with confidence, score and reasons; the others not at all.
  virtual std::vector<Match> matches(const FollowerProfile& profile) = 0;
  /// matches() of each profile, in order: a matcher that asks a remote model asks about
  /// many in one request.
  virtual std::vector<std::vector<Match>> matches_of(const std::vector<const FollowerProfile*>& profiles) {
    std::vector<std::vector<Match>> out;
    out.reserve(profiles.size());
    for (const auto* profile : profiles) out.push_back(matches(*profile));
    return out;
  }
  /// What it has spent since it was prepared; nothing for a local one.
  virtual ClassifierUsage usage() const { return {}; }
};

/// Decides whether a follower is one of the people a segment describes. Thread-safe.
class Classifier {
 public:
  virtual ~Classifier() = default;
  /// Compiles the segments once, so that scoring each profile is cheap.
  virtual std::unique_ptr<ProfileMatcher> prepare(const std::vector<SegmentTerms>& segments) const = 0;
};

/// Reduces an English word to its stem ("founders" -> "founder", "building" -> "build").
/// Not thread-safe: one per thread.
class Stemmer {
 public:
  virtual ~Stemmer() = default;
  /// `word` is lower case.
  virtual std::string stem(std::string_view word) = 0;
};

}  // namespace leadstream::domain
