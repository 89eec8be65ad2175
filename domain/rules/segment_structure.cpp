#include "domain/rules/segment_structure.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/segment_rules.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

/// Lower-cased words, with the joiners that matter to the structure kept as words of their
/// own: "&" and "+" are "and", "/" is "or", and a comma is ",".
std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) tokens.push_back(std::move(word));
    word.clear();
  };
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else {
      flush();
      if (c == '&' || c == '+') tokens.emplace_back("and");
      if (c == '/') tokens.emplace_back("or");
      if (c == ',') tokens.emplace_back(",");
    }
  }
  flush();
  return tokens;
}

bool is_joiner(std::string_view token) { return token == "and" || token == "or" || token == ","; }

bool is_negation(std::string_view token) {
  return token == "not" || token == "except" || token == "excluding" || token == "without" || token == "no" ||
         token == "non";
}

/// Words that say the people wanted run a company: a founder of anything else is not one.
bool is_company_word(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kWords{"company",  "companies",  "startup",        "startups",
                                                          "business", "businesses", "venture-backed", "firm"};
  return std::ranges::find(kWords, word) != kWords.end();
}

/// The concept a lexicon term names, trying the word as written, then without a plural.
const Concept* concept_of(std::string_view term) {
  const auto lookup = [](std::string_view text) -> const Concept* {
    for (const auto& known : concept_lexicon()) {
      if (std::ranges::find(known.terms, text) != known.terms.end()) return &known;
    }
    return nullptr;
  };
  if (const auto* known = lookup(term)) return known;
  if (term.size() > 3 && term.ends_with("s")) return lookup(term.substr(0, term.size() - 1));
  return nullptr;
}

enum class Kind { kRole, kTopic, kQualifier, kJoiner, kNegation };

struct Item {
  Kind kind;
  std::string name;  // a concept's name, a word, or the joiner itself
};

/// The phrase's items in order: concepts (two-word phrases first), unknown words, joiners
/// and negations; stop and filler words dropped.
std::vector<Item> items_of(std::string_view phrase) {
  auto tokens = tokens_of(phrase);
  bool forced_role = false;
  if (tokens.size() > 1 && tokens.front() == "role" && phrase.find(':') != std::string_view::npos) {
    forced_role = true;
    tokens.erase(tokens.begin());
  }
  std::vector<Item> items;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& token = tokens[i];
    if (is_joiner(token)) {
      items.push_back({Kind::kJoiner, token});
      continue;
    }
    if (is_negation(token)) {
      items.push_back({Kind::kNegation, token});
      continue;
    }
    const Concept* known = i + 1 < tokens.size() ? concept_of(token + " " + tokens[i + 1]) : nullptr;
    if (known) {
      ++i;  // the phrase took both words
    } else if (is_company_word(token)) {
      items.push_back({Kind::kQualifier, "company"});
      continue;
    } else if (token.size() < 2 || is_stop_word(token) || is_filler_word(token)) {
      continue;
    } else {
      known = concept_of(token);
    }
    const bool role = forced_role || (known && known->is_role);
    items.push_back({role ? Kind::kRole : Kind::kTopic, known ? std::string(known->name) : token});
  }
  return items;
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (std::ranges::find(names, name) == names.end()) names.push_back(name);
}

bool named_already(const SegmentStructure& structure, const std::string& name) {
  return std::ranges::find(structure.roles, name) != structure.roles.end() ||
         std::ranges::any_of(structure.topics,
                             [&](const auto& group) { return std::ranges::find(group, name) != group.end(); });
}

/// Adds one phrase's items to the structure.
void read_phrase(SegmentStructure& structure, std::string_view phrase) {
  const auto items = items_of(phrase);
  const auto first_role = std::ranges::find(items, Kind::kRole, &Item::kind);
  bool negated = false;
  std::optional<std::string> joiner;  // between the last topic and this item
  bool last_was_topic = false;
  for (auto item = items.begin(); item != items.end(); ++item) {
    switch (item->kind) {
      case Kind::kNegation:
        negated = true;
        last_was_topic = false;
        continue;
      case Kind::kJoiner:
        if (item->name != ",") joiner = item->name;
        continue;
      case Kind::kQualifier:
        add_unique(structure.qualifiers, item->name);
        last_was_topic = false;
        joiner.reset();
        continue;
      case Kind::kRole:
        if (negated) {
          add_unique(structure.excluded, item->name);
        } else {
          add_unique(structure.roles, item->name);
        }
        last_was_topic = false;
        joiner.reset();
        continue;
      case Kind::kTopic:
        break;
    }
    if (negated) {
      add_unique(structure.excluded, item->name);
    } else if (!named_already(structure, item->name)) {
      // Modifiers joined before the role, and anything joined by "or", are alternatives.
      const bool before_role = item < first_role;
      const bool alternative = last_was_topic && joiner && (*joiner == "or" || before_role);
      if (alternative && !structure.topics.empty()) {
        structure.topics.back().push_back(item->name);
      } else {
        structure.topics.push_back({item->name});
      }
    }
    last_was_topic = true;
    joiner.reset();
  }
}

}  // namespace

SegmentStructure parse_segment_structure(const SegmentTerms& segment) {
  SegmentStructure structure;
  if (segment.keywords.empty() || segment.keywords == derive_keywords(segment.description)) {
    read_phrase(structure, segment.description);
  } else {
    for (const auto& keyword : segment.keywords) read_phrase(structure, keyword);
  }
  for (const auto& keyword : segment.exclude_keywords) add_unique(structure.excluded, lower(keyword));
  for (const auto& group : structure.topics) {
    for (const auto& name : group) {
      const auto* known = find_concept(name);
      if (!known) continue;
      for (const auto contradicting : known->contradicted_by)
        add_unique(structure.excluded, std::string(contradicting));
    }
  }
  return structure;
}

}  // namespace leadstream::domain
