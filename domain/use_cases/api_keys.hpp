#pragma once

#include <string>

#include "domain/model/api_key.hpp"
#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/secrets.hpp"
#include "domain/result.hpp"
#include "domain/use_cases/authenticator.hpp"

namespace leadstream::domain {

struct IssuedApiKey {
  ApiKey key;
  std::string plaintext;  // shown once, never stored
};

inline constexpr std::size_t kMaxApiKeyNameLength = 100;

/// kInvalidRequest for an over-long name.
Result<IssuedApiKey> issue_api_key(ApiKeyRepository& keys, Secrets& secrets, TeamId team, std::string name);

/// A caller may revoke only the key it is calling with: any other id, even one of its own
/// team, is kNotFound, so a key cannot learn which other ids exist.
Result<void> revoke_own_api_key(ApiKeyRepository& keys, Authenticator& authenticator, const Principal& caller,
                                ApiKeyId id);

}  // namespace leadstream::domain
