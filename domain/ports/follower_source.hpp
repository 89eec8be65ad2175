#pragma once

#include <optional>
#include <string>

#include "domain/model/sync.hpp"
#include "domain/ports/handle_resolver.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Where followers come from: a fixture directory, a synthetic generator or the X API.
/// It also resolves handles when a stream starts tracking them. Blocking; thread-safe.
class FollowerSource : public HandleResolver {
 public:
  /// Up to `max_results` followers of the X user, newest first, from `cursor` (nullopt:
  /// the newest). Errors: kHandleNotFound / kHandleProtected when the account is gone or
  /// protected, kGone when `cursor` is no longer accepted (pagination tokens expire: walk
  /// again from the top), kRateLimited with `retry_after` for a window that reopens,
  /// kUnavailable when a retry may succeed (after `retry_after` when set), kUpstream when
  /// it will not. Never an empty last page in place of an error.
  virtual Result<FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                         int max_results) = 0;
};

}  // namespace leadstream::domain
