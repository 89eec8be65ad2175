#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/sync.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// Followers of the account's cache, in a stable order, for a re-test.
struct CachedPage {
  std::vector<FollowerProfile> followers;
  std::optional<std::string> next_cursor;  // nullopt: the last page
};

/// The followers the account's walks at the source saw (runs write it through
/// RunQueue::save_page), read back by re-tests and by streams that reuse a recent walk.
/// Blocking; thread-safe.
class FollowerCache {
 public:
  virtual ~FollowerCache() = default;

  /// Up to `limit` cached followers of the account after `cursor`; with `seen_since`, only
  /// those a walk saw at or after that time.
  virtual Result<CachedPage> cached_followers(AccountId account, const std::optional<std::string>& cursor, int limit,
                                              std::optional<Timestamp> seen_since = std::nullopt) = 0;
  /// When the latest successful walk of the account's followers at the source by another
  /// stream than `stream` started, if one started at or after `since`.
  virtual Result<std::optional<Timestamp>> recent_walk(AccountId account, StreamId stream, Timestamp since) = 0;
};

}  // namespace leadstream::domain
