#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leadstream::domain {

/// FNV-1a, 64 bits: a stable hash (the same in every process and release) for keys that
/// outlive a process: a held-out split, a hashed feature, a cache key.
class Fnv1a {
 public:
  Fnv1a& add(std::string_view bytes) {
    for (const char c : bytes) add_byte(static_cast<unsigned char>(c));
    return *this;
  }
  Fnv1a& add_byte(unsigned char byte) {
    hash_ = (hash_ ^ byte) * 1099511628211ULL;
    return *this;
  }
  std::uint64_t value() const { return hash_; }
  /// The value as 16 lower-case hex digits.
  std::string hex() const {
    static constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) out[15 - i] = kDigits[(hash_ >> (4 * i)) & 0xFU];
    return out;
  }

 private:
  std::uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace leadstream::domain
