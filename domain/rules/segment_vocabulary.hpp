#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadstream::domain {

/// One label of a search-filter group ("Founder", "AI/ML"), and the words in a bio that
/// show it: the terms of a lexicon concept, its own terms, or both.
struct FilterLabel {
  std::string_view label;
  std::string_view concept_name = {};        // a concept of concept_lexicon(), or empty
  std::vector<std::string_view> terms = {};  // words and two-word phrases, lower case, unstemmed
};

/// A group of appliedSearchFilters. A segment that names labels of a group fits a profile
/// showing any one of them; each group it names must be shown.
struct FilterGroup {
  std::string_view name;
  /// The original API's groups (job_role, skill) are the primary vocabulary; ours (role,
  /// industry, company_stage, region) stay as documented extensions.
  bool is_extension;
  /// Who the person is: missing, the profile never fits, however well the rest matches.
  bool is_role;
  std::vector<FilterLabel> labels;
};

/// Every group, the original's first.
const std::vector<FilterGroup>& filter_groups();
const FilterGroup* find_filter_group(std::string_view name);
const FilterLabel* find_filter_label(const FilterGroup& group, std::string_view label);

/// The original's labels (job_role, skill) a description names, by group: what
/// `POST /lookups/segments/from-description` proposes. Words and two-word phrases are
/// compared as written and without a plural "s".
std::map<std::string, std::vector<std::string>> suggest_search_filters(std::string_view description);

/// A followerCountTiers value: followers from `min` up to, not including, `max`.
struct FollowerCountTier {
  std::string_view value;  // the original's spelling ("10k_to_100k")
  std::string_view alias;  // ours ("10k-100k"), accepted as an extension
  std::int64_t min;
  std::optional<std::int64_t> max;  // nullopt: no upper bound
};

const std::vector<FollowerCountTier>& follower_count_tiers();
/// The tier a value or its alias names, or nullptr.
const FollowerCountTier* find_follower_count_tier(std::string_view value);
/// Whether a follower count is in one of the tiers named (any count, when none is).
bool within_follower_count_tiers(const std::vector<std::string>& tiers, std::int64_t followers);

}  // namespace leadstream::domain
