#include "domain/use_cases/api_keys.hpp"

namespace leadstream::domain {

Result<IssuedApiKey> issue_api_key(ApiKeyRepository& keys, Secrets& secrets, TeamId team, std::string name) {
  if (name.size() > kMaxApiKeyNameLength) {
    return Error{ErrorCode::kInvalidRequest, "key name is longer than 100 characters", {{"name", "too_long"}}};
  }
  std::string plaintext = std::string(kApiKeyScheme) + secrets.random_base62(kApiKeySecretLength);
  auto stored = keys.create(NewApiKey{team, std::move(name), api_key_prefix(plaintext), secrets.sha256(plaintext)});
  if (!stored) return stored.error();
  return IssuedApiKey{std::move(*stored), std::move(plaintext)};
}

Result<void> revoke_own_api_key(ApiKeyRepository& keys, Authenticator& authenticator, const Principal& caller,
                                ApiKeyId id) {
  if (id != caller.key_id) return Error{ErrorCode::kNotFound, "API key not found"};
  if (auto revoked = keys.revoke(id); !revoked) return revoked;
  authenticator.forget(id);
  return {};
}

}  // namespace leadstream::domain
