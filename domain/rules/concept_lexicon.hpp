#pragma once

#include <string_view>
#include <vector>

namespace leadstream::domain {

/// A family of words that say the same thing in a bio: a segment that names one of them
/// ("founders") matches a profile that uses any ("CEO", "co-founder").
struct Concept {
  std::string_view name;
  /// A role is who the person is (founder, investor): a profile without it never fits,
  /// however well it matches the rest.
  bool is_role;
  /// Words and two-word phrases, lower case, unstemmed.
  std::vector<std::string_view> terms;
  /// Concepts whose words in a profile contradict this one ("growth stage" for "early stage").
  std::vector<std::string_view> contradicted_by = {};
};

/// The curated lexicon: roles, technologies, audiences, sectors and stages.
const std::vector<Concept>& concept_lexicon();
/// The concept of that name, or nullptr.
const Concept* find_concept(std::string_view name);

/// Words that describe no one in a segment description ("building", "tools", "companies").
bool is_filler_word(std::string_view word);

}  // namespace leadstream::domain
