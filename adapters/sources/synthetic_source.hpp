#pragma once

#include "domain/ports/follower_source.hpp"

namespace leadstream::adapters::sources {

/// Deterministic followers for any handle: `followers_per_account` of them, with varied,
/// realistic bios (founders, engineers, marketers, investors, near misses and bots), so
/// that demos and benchmarks give classification real work. The same handle always has
/// the same followers in the same order. Thread-safe.
class SyntheticFollowerSource final : public domain::FollowerSource {
 public:
  explicit SyntheticFollowerSource(int followers_per_account = 5'000) : followers_per_account_(followers_per_account) {}

  // domain::HandleResolver
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override;
  // domain::FollowerSource
  domain::Result<domain::FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                                 int max_results) override;

  /// The `index`th follower (0 the oldest) of the X user.
  static domain::FollowerProfile follower(std::uint64_t account_seed, int index);

 private:
  int followers_per_account_;
};

}  // namespace leadstream::adapters::sources
