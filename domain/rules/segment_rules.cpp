#include "domain/rules/segment_rules.hpp"

#include <algorithm>
#include <cctype>

#include "domain/rules/segment_vocabulary.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

void check_labels(const std::vector<std::string>& values, const std::set<std::string, std::less<>>& known,
                  std::string_view field, std::vector<FieldProblem>& problems) {
  for (const auto& value : values) {
    if (!known.contains(value)) problems.push_back({std::string(field), "unknown value '" + value + "'"});
  }
}

void check_keywords(std::vector<std::string>& keywords, std::string_view field, std::vector<FieldProblem>& problems) {
  if (keywords.size() > kMaxKeywords) problems.push_back({std::string(field), "at most 50 keywords"});
  for (auto& keyword : keywords) {
    keyword = lower(trim(keyword));
    if (keyword.empty() || keyword.size() > kMaxKeywordLength) {
      problems.push_back({std::string(field), "keywords are 1 to 100 characters"});
      return;
    }
  }
}

void check_tiers(const std::vector<std::string>& tiers, std::vector<FieldProblem>& problems) {
  for (const auto& tier : tiers) {
    if (!find_follower_count_tier(tier)) problems.push_back({"followerCountTiers", "unknown value '" + tier + "'"});
  }
}

std::vector<std::string> orphan_labels(const std::map<std::string, std::vector<std::string>>& filters) {
  std::vector<std::string> orphans;
  for (const auto& [name, labels] : filters) {
    const auto* group = find_filter_group(name);
    for (const auto& label : labels) {
      if (!group || !find_filter_label(*group, label)) orphans.push_back(std::string(name).append(":").append(label));
    }
  }
  return orphans;
}

}  // namespace

const std::set<std::string, std::less<>>& known_gender_values() {
  static const std::set<std::string, std::less<>> kValues{"male", "female", "nonbinary", "unknown"};
  return kValues;
}

Result<SegmentDraft> validate_segment(SegmentDraft draft) {
  std::vector<FieldProblem> problems;
  draft.description = std::string(trim(draft.description));
  const auto length = utf8_length(draft.description);
  if (length < kMinDescriptionLength || length > kMaxDescriptionLength) {
    problems.push_back({"description", "must be 3 to 2000 characters"});
  }
  if (draft.name) {
    draft.name = std::string(trim(*draft.name));
    if (draft.name->empty())
      draft.name.reset();
    else if (utf8_length(*draft.name) > kMaxSegmentNameLength)
      problems.push_back({"name", "at most 200 characters"});
  }
  check_labels(draft.gender_values, known_gender_values(), "genderValues", problems);
  check_tiers(draft.follower_count_tiers, problems);
  check_keywords(draft.keywords, "keywords", problems);
  check_keywords(draft.exclude_keywords, "excludeKeywords", problems);
  if (!problems.empty()) return Error{ErrorCode::kInvalidRequest, "The segment is not valid.", std::move(problems)};

  if (auto orphans = orphan_labels(draft.applied_search_filters); !orphans.empty()) {
    return Error{.code = ErrorCode::kOrphanLabel,
                 .message = "Some search-filter labels belong to no filter group.",
                 .orphans = std::move(orphans)};
  }
  if (draft.keywords.empty()) draft.keywords = derive_keywords(draft.description);
  return draft;
}

std::vector<std::string> derive_keywords(std::string_view description) {
  std::vector<std::string> keywords;
  for (const auto& word : words(description)) {
    if (word.size() < 2 || is_stop_word(word)) continue;
    if (std::ranges::find(keywords, word) == keywords.end()) keywords.push_back(word);
    if (keywords.size() == kMaxKeywords) break;
  }
  return keywords;
}

}  // namespace leadstream::domain
