#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct ResolvedHandle {
  std::string handle;  // as X spells it
  std::optional<std::string> x_user_id;
  std::optional<std::string> profile_image_url;
  std::optional<std::int64_t> follower_count;
  std::optional<std::int64_t> tweet_count;
  /// The user's profile (name, bio, expanded url), when the source read it: what a lookup
  /// of the handle's contacts reads.
  std::optional<FollowerProfile> profile;
};

/// Looks up an X handle before it is tracked. Blocking; thread-safe.
class HandleResolver {
 public:
  virtual ~HandleResolver() = default;
  /// Errors: kHandleNotFound, kHandleProtected, or kUnavailable, kUpstream (a refused
  /// token) and kRateLimited for a lookup that could not be made.
  virtual Result<ResolvedHandle> resolve(std::string_view handle) = 0;
};

/// Until the sync engine brings X lookups: every syntactically valid handle exists.
class AcceptingHandleResolver final : public HandleResolver {
 public:
  // domain::HandleResolver
  Result<ResolvedHandle> resolve(std::string_view handle) override { return ResolvedHandle{std::string(handle)}; }
};

}  // namespace leadstream::domain
