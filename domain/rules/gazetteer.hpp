#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace leadstream::domain {

/// Well-known organisations per sector: a bio naming one ("Research scientist @DeepMind")
/// says the sector without its words.
struct Gazetteer {
  /// A concept of the lexicon ("ai") -> names as words, lower case ("hugging face",
  /// "allen ai" for @allen_ai).
  std::map<std::string, std::vector<std::string>, std::less<>> by_sector;
};

/// Adds the lines of `text` to `base`: "sector name" or "sector @handle" per line, blank
/// lines and #-comments skipped. kInvalidRequest naming the line for an unknown sector or a
/// name of more than two words.
Result<Gazetteer> parse_gazetteer(std::string_view text, Gazetteer base = {});

/// The organisations of data/organisations.txt, embedded at build time.
const Gazetteer& builtin_gazetteer();

/// data/organisations.txt as it was built in (generated).
std::string_view builtin_organisations_text();

}  // namespace leadstream::domain
