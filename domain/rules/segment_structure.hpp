#pragma once

#include <string>
#include <vector>

#include "domain/model/sync.hpp"

namespace leadstream::domain {

/// How a segment's words are understood, as the local classifier applies them and a
/// segment shows them. Each entry is a concept of the lexicon ("founder", "ai") or, for a
/// word the lexicon does not know, the word itself.
///
/// "A and B" is read as people usually mean it: roles joined are alternatives ("AI
/// researchers and scientists" are researchers or scientists, working in AI), while what
/// they work on is a conjunction ("AI founders building developer tools" need both AI and
/// developer tools). Modifiers joined before the role ("AI and crypto investors") and
/// anything joined by "or" are alternatives.
struct SegmentStructure {
  std::vector<std::string> roles;                // any of them
  std::vector<std::vector<std::string>> topics;  // every group, by any of its members
  /// "company": a founder of a lab, a podcast or a community does not count, nor a past
  /// or aspiring one (those are medium at most for any segment).
  std::vector<std::string> qualifiers;
  std::vector<std::string> excluded;  // any of them in a profile: no match
};

/// The structure of a segment: parsed from its description when its keywords are the ones
/// derived from it, else from its keywords, each keyword read as a phrase of its own ("AI
/// or ML" is one group; "role:phd" makes a word a role). excludeKeywords, words after "not",
/// "except" or "excluding", and concepts contradicting one named ("growth stage" for
/// "early stage") are excluded.
SegmentStructure parse_segment_structure(const SegmentTerms& segment);

}  // namespace leadstream::domain
