#pragma once

#include <memory>

#include "domain/ports/classifier.hpp"

struct sb_stemmer;

namespace leadstream::adapters::text {

/// The Snowball English stemmer of libstemmer. Not thread-safe: one per thread.
class SnowballStemmer final : public domain::Stemmer {
 public:
  SnowballStemmer();
  ~SnowballStemmer() override;
  SnowballStemmer(const SnowballStemmer&) = delete;
  SnowballStemmer& operator=(const SnowballStemmer&) = delete;

  // domain::Stemmer
  std::string stem(std::string_view word) override;

  static std::unique_ptr<domain::Stemmer> make() { return std::make_unique<SnowballStemmer>(); }

 private:
  sb_stemmer* stemmer_;
};

}  // namespace leadstream::adapters::text
