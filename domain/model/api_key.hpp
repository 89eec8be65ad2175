#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"

namespace leadstream::domain {

/// Keys read `ls_live_` followed by 32 base62 characters. The first 8 of those are the
/// visible prefix: stored in clear to find the key and to show it in listings.
inline constexpr std::string_view kApiKeyScheme = "ls_live_";
inline constexpr std::size_t kApiKeySecretLength = 32;
inline constexpr std::size_t kApiKeyPrefixLength = 8;

using KeyDigest = std::array<std::uint8_t, 32>;  // SHA-256

bool is_well_formed_api_key(std::string_view key);

/// Lower-case hexadecimal, 64 characters.
std::string to_hex(const KeyDigest& digest);

/// The visible prefix of a well-formed key.
std::string api_key_prefix(std::string_view key);

struct ApiKey {
  ApiKeyId id;
  TeamId team_id;
  std::string name;
  std::string prefix;
  KeyDigest digest{};
  Timestamp created_at;
  std::optional<Timestamp> revoked_at;
  std::optional<Timestamp> last_used_at;
};

/// Who is calling: the key that authenticated the request and the team that owns it.
struct Principal {
  TeamId team_id;
  ApiKeyId key_id;
  std::string key_name;
  std::string key_prefix;
};

}  // namespace leadstream::domain
