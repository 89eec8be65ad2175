#include "domain/use_cases/authenticator.hpp"

#include <algorithm>

namespace leadstream::domain {
namespace {

Error malformed_key() { return Error{ErrorCode::kInvalidApiKey, std::string(kMalformedKeyMessage)}; }
Error unknown_key() { return Error{ErrorCode::kInvalidApiKey, std::string(kUnknownKeyMessage)}; }

std::string cache_key(const KeyDigest& digest) { return std::string(digest.begin(), digest.end()); }

}  // namespace

Result<Principal> Authenticator::authenticate(std::string_view key) {
  if (!is_well_formed_api_key(key)) return malformed_key();
  const auto hashed = secrets_.sha256(key);
  const auto digest = cache_key(hashed);
  const auto now = clock_.steady_now();
  if (auto principal = cache_.get(digest, now)) return *principal;
  if (unknown_.get(digest, now)) return unknown_key();

  auto principal = look_up(key, hashed);
  if (principal) {
    cache_.put(digest, *principal, now);
    recently_valid_.put(digest, true, now);
  } else if (principal.error().code == ErrorCode::kInvalidApiKey) {
    unknown_.put(digest, true, now);
  }
  return principal;
}

Result<std::optional<Principal>> Authenticator::authenticate_cached(std::string_view key) {
  if (!is_well_formed_api_key(key)) return malformed_key();
  const auto digest = cache_key(secrets_.sha256(key));
  const auto now = clock_.steady_now();
  if (unknown_.get(digest, now)) return unknown_key();
  return cache_.get(digest, now);
}

bool Authenticator::recently_valid(std::string_view key) {
  if (!is_well_formed_api_key(key)) return false;
  return recently_valid_.get(cache_key(secrets_.sha256(key)), clock_.steady_now()).has_value();
}

void Authenticator::forget(ApiKeyId id) {
  cache_.erase_if([&](const std::string&, const Principal& principal) { return principal.key_id == id; });
}

// The prefix narrows the search; the digest comparison that decides is constant-time.
Result<Principal> Authenticator::look_up(std::string_view key, const KeyDigest& digest) {
  auto candidates = keys_.find_active_by_prefix(api_key_prefix(key));
  if (!candidates) return candidates.error();
  const auto match =
      std::ranges::find_if(*candidates, [&](const ApiKey& stored) { return secrets_.equal(stored.digest, digest); });
  if (match == candidates->end()) return unknown_key();
  return Principal{match->team_id, match->id, match->name, match->prefix};
}

}  // namespace leadstream::domain
