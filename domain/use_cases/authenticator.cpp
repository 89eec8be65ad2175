#include "domain/use_cases/authenticator.hpp"

#include <algorithm>

namespace leadstream::domain {
namespace {

Error malformed_key() { return Error{ErrorCode::kInvalidApiKey, std::string(kMalformedKeyMessage)}; }

std::string cache_key(const KeyDigest& digest) { return std::string(digest.begin(), digest.end()); }

}  // namespace

Result<Principal> Authenticator::authenticate(std::string_view key) {
  if (!is_well_formed_api_key(key)) return malformed_key();
  const auto digest = secrets_.sha256(key);
  if (auto principal = cache_.get(cache_key(digest), clock_.steady_now())) return *principal;

  auto principal = look_up(key, digest);
  if (principal) cache_.put(cache_key(digest), *principal, clock_.steady_now());
  return principal;
}

Result<std::optional<Principal>> Authenticator::authenticate_cached(std::string_view key) {
  if (!is_well_formed_api_key(key)) return malformed_key();
  return cache_.get(cache_key(secrets_.sha256(key)), clock_.steady_now());
}

void Authenticator::forget(ApiKeyId id) {
  cache_.erase_if([&](const std::string&, const Principal& principal) { return principal.key_id == id; });
}

// The prefix narrows the search; the digest comparison that decides is constant-time.
Result<Principal> Authenticator::look_up(std::string_view key, const KeyDigest& digest) {
  auto candidates = keys_.find_active_by_prefix(api_key_prefix(key));
  if (!candidates) return candidates.error();
  const auto match = std::ranges::find_if(*candidates, [&](const ApiKey& stored) {
    return secrets_.equal(stored.digest, digest);
  });
  if (match == candidates->end()) return Error{ErrorCode::kInvalidApiKey, std::string(kUnknownKeyMessage)};
  return Principal{match->team_id, match->id, match->name, match->prefix};
}

}  // namespace leadstream::domain
