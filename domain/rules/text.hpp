#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadstream::domain {

std::string_view trim(std::string_view text);
/// ASCII lower case; other bytes unchanged.
std::string lower(std::string_view text);
/// Code points, for limits stated in characters.
std::size_t utf8_length(std::string_view text);
/// The first `count` code points.
std::string truncate_characters(std::string_view text, std::size_t count);
/// Lower-cased runs of letters, digits and non-ASCII bytes.
std::vector<std::string> words(std::string_view text);
bool is_stop_word(std::string_view word);
/// Something@somewhere.tld: a plausibility check, not a deliverability one.
bool looks_like_email(std::string_view email);

}  // namespace leadstream::domain
