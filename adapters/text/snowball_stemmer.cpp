#include "adapters/text/snowball_stemmer.hpp"

#include <libstemmer.h>

#include <new>
#include <string>

namespace leadstream::adapters::text {

SnowballStemmer::SnowballStemmer() : stemmer_(sb_stemmer_new("english", nullptr)) {
  if (stemmer_ == nullptr) throw std::bad_alloc();  // the only way it fails for a known language
}

SnowballStemmer::~SnowballStemmer() { sb_stemmer_delete(stemmer_); }

std::string SnowballStemmer::stem(std::string_view word) {
  const auto* stemmed =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (stemmed == nullptr) return std::string(word);  // out of memory: the word itself still matches itself
  return std::string(reinterpret_cast<const char*>(stemmed), static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace leadstream::adapters::text
