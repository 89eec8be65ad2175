#include "domain/rules/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace leadstream::domain {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(text, [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string truncate_characters(std::string_view text, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t seen = 0; end < text.size(); ++end) {
    if ((text[end] & 0xC0) != 0x80 && seen++ == count) break;
  }
  return std::string(text.substr(0, end));
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0x80) {
      current.push_back(static_cast<char>(std::tolower(byte)));
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool looks_like_email(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.back() != '.' && email.find(' ') == std::string_view::npos && email.size() <= 254;
}

bool is_stop_word(std::string_view word) {
  static constexpr std::array<std::string_view, 48> kStopWords{
      "a",     "about", "after", "all",  "also", "an",   "and",  "any",  "are",   "as",   "at",   "be",
      "been",  "but",   "by",    "can",  "do",   "for",  "from", "has",  "have",  "in",   "into", "is",
      "it",    "its",   "of",    "on",   "or",   "our",  "that", "the",  "their", "them", "they", "this",
      "those", "to",    "was",   "were", "who",  "whom", "will", "with", "you",   "your", "we",   "people"};
  return std::ranges::find(kStopWords, word) != kStopWords.end();
}

}  // namespace leadstream::domain
