#include "domain/rules/gazetteer.hpp"

#include <algorithm>

#include "domain/rules/concept_lexicon.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

/// The words of a name, lower case: letters and digits; anything else ("@", "_", "&",
/// spaces) separates them, as it does in a bio.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : name) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (letter) word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (!letter && !word.empty()) words.push_back(std::exchange(word, {}));
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

}  // namespace

Result<Gazetteer> parse_gazetteer(std::string_view text, Gazetteer base) {
  int number = 0;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const auto line = trim(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const auto gap = line.find_first_of(" \t");
    const auto sector = line.substr(0, gap);
    const auto name = gap == std::string_view::npos ? std::string_view() : trim(line.substr(gap));
    const auto where = "line " + std::to_string(number) + ": ";
    const auto* known = find_concept(sector);
    if (!known || known->is_role) {
      return Error{ErrorCode::kInvalidRequest, where + "'" + std::string(sector) + "' is not a sector"};
    }
    const auto words = name_words(name);
    if (words.empty() || words.size() > 2) {
      return Error{ErrorCode::kInvalidRequest, where + "expected a name of one or two words after the sector"};
    }
    auto joined = words.front() + (words.size() == 2 ? " " + words.back() : "");
    auto& names = base.by_sector[std::string(sector)];
    if (std::ranges::find(names, joined) == names.end()) names.push_back(std::move(joined));
  }
  return base;
}

const Gazetteer& builtin_gazetteer() {
  static const Gazetteer kBuiltin = [] {
    auto parsed = parse_gazetteer(builtin_organisations_text());
    // The file is ours and tested: a bad line is a bug of the build, not an input.
    return parsed ? std::move(*parsed) : Gazetteer{};
  }();
  return kBuiltin;
}

}  // namespace leadstream::domain
