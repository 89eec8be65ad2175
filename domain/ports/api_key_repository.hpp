#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/model/api_key.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct NewApiKey {
  TeamId team_id;
  std::string name;
  std::string prefix;
  KeyDigest digest{};
};

/// API keys, stored as digest + visible prefix only. Blocking; thread-safe.
/// kUnavailable when the store is unreachable.
class ApiKeyRepository {
 public:
  virtual ~ApiKeyRepository() = default;
  virtual Result<ApiKey> create(const NewApiKey& key) = 0;
  /// Unrevoked keys with this visible prefix (almost always zero or one).
  virtual Result<std::vector<ApiKey>> find_active_by_prefix(std::string_view prefix) = 0;
  virtual Result<std::optional<ApiKey>> find(ApiKeyId id) = 0;
  virtual Result<std::vector<ApiKey>> list(TeamId team) = 0;
  /// kNotFound when no such unrevoked key exists.
  virtual Result<void> revoke(ApiKeyId id) = 0;
};

}  // namespace leadstream::domain
