#pragma once

#include <functional>
#include <memory>

#include "domain/ports/classifier.hpp"

namespace leadstream::domain {

/// The embedded classifier. A segment becomes facets: each word of its keywords (filler
/// and stop words out) is one facet, widened to its whole concept when the lexicon knows
/// it. A profile's bio, name and location are stemmed the same way. Every facet found in
/// the bio: high; some only in the name or location, or (for four facets or more) one
/// non-role facet missing: medium; a role missing, an exclude keyword or a contradicting
/// concept found: no match. appliedSearchFilters widen the description's facets they name
/// or add required facets of their own (see add_filter_facet), and followerCountTiers
/// bound the profile's followers. The matched words are the reasons.
class LocalClassifier final : public Classifier {
 public:
  explicit LocalClassifier(std::function<std::unique_ptr<Stemmer>()> make_stemmer);

  // domain::Classifier
  std::unique_ptr<ProfileMatcher> prepare(const std::vector<SegmentTerms>& segments) const override;

 private:
  std::function<std::unique_ptr<Stemmer>()> make_stemmer_;
};

}  // namespace leadstream::domain
