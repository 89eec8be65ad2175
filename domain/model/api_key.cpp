#include "domain/model/api_key.hpp"

#include <algorithm>

namespace leadstream::domain {
namespace {

bool is_base62(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool is_well_formed_api_key(std::string_view key) {
  if (!key.starts_with(kApiKeyScheme)) return false;
  const auto secret = key.substr(kApiKeyScheme.size());
  return secret.size() == kApiKeySecretLength && std::ranges::all_of(secret, is_base62);
}

std::string to_hex(const KeyDigest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const auto byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string api_key_prefix(std::string_view key) {
  return std::string(key.substr(kApiKeyScheme.size(), kApiKeyPrefixLength));
}

}  // namespace leadstream::domain
