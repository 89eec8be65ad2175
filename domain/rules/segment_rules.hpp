#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model/campaign.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

inline constexpr std::size_t kMinDescriptionLength = 3;
inline constexpr std::size_t kMaxDescriptionLength = 2000;
inline constexpr std::size_t kMaxSegmentNameLength = 200;
inline constexpr std::size_t kMaxKeywords = 50;
inline constexpr std::size_t kMaxKeywordLength = 100;

const std::set<std::string, std::less<>>& known_gender_values();

/// The draft trimmed and checked: kInvalidRequest with details for bad fields, or with
/// kOrphanLabel and the orphans for filter labels no group knows. Derives the
/// keywords from the description when none were given.
Result<SegmentDraft> validate_segment(SegmentDraft draft);

/// Lower-cased words of the description minus stop words, in order, without repeats.
/// (The sync engine's classifier refines these with stems and a concept lexicon.)
std::vector<std::string> derive_keywords(std::string_view description);

}  // namespace leadstream::domain
