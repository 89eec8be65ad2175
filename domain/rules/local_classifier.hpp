#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "domain/ports/classifier.hpp"
#include "domain/rules/gazetteer.hpp"

namespace leadstream::domain {

/// The embedded classifier. A segment's structure (parse_segment_structure) becomes
/// facets: one for its roles, any of them, and one per topic group, each widened to its
/// concepts' words and the organisations of their sector (the gazetteer: "@DeepMind" is
/// AI). A profile's bio, the tagline of its display name (not the name: "Dev Silva" is no
/// developer) and its location are stemmed the same way. Every facet found in the bio and
/// the role a current one: high; some only in the tagline or location, a role that is
/// past or wished for ("ex-founder", "aspiring CEO"), or (for four topics or more) one
/// topic missing: medium; no role, an excluded word or a contradicting concept: no match.
/// For a company segment, a founder of a lab, a podcast or a community is no founder.
/// "building @acme" and "started @acme" are founder words. appliedSearchFilters widen the
/// description's facets they name or add required facets of their own (see
/// add_filter_facet), and followerCountTiers bound the profile's followers. The matched
/// words are the reasons.
class LocalClassifier final : public Classifier {
 public:
  explicit LocalClassifier(std::function<std::unique_ptr<Stemmer>()> make_stemmer,
                           Gazetteer gazetteer = builtin_gazetteer());

  // domain::Classifier
  std::unique_ptr<ProfileMatcher> prepare(const std::vector<SegmentTerms>& segments) const override;

 private:
  std::function<std::unique_ptr<Stemmer>()> make_stemmer_;
  std::shared_ptr<const Gazetteer> gazetteer_;
};

/// What a display name says beyond the person's name: "Ana Silva | AI founder" says "AI
/// founder"; empty when it says nothing more.
std::string_view name_tagline(std::string_view display_name);

}  // namespace leadstream::domain
