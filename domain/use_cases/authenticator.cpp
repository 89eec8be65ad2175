#include "domain/use_cases/authenticator.hpp"

#include <algorithm>

namespace leadstream::domain {

Result<Principal> Authenticator::authenticate(std::string_view key) {
  if (!is_well_formed_api_key(key)) return Error{ErrorCode::kInvalidApiKey, std::string(kMalformedKeyMessage)};

  const auto digest = secrets_.sha256(key);
  const std::string digest_key(digest.begin(), digest.end());
  if (auto principal = cached(digest_key)) return *principal;

  auto principal = look_up(key, digest);
  if (!principal) return principal;
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCachedKeys) cache_.clear();
  cache_[digest_key] = Cached{*principal, clock_.steady_now()};
  return principal;
}

void Authenticator::forget(ApiKeyId id) {
  std::lock_guard lock(mutex_);
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.principal.key_id == id; });
}

std::optional<Principal> Authenticator::cached(const std::string& digest_key) {
  std::lock_guard lock(mutex_);
  const auto found = cache_.find(digest_key);
  if (found == cache_.end()) return std::nullopt;
  if (clock_.steady_now() - found->second.fetched_at >= cache_ttl_) {
    cache_.erase(found);
    return std::nullopt;
  }
  return found->second.principal;
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
