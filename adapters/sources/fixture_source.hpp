#pragma once

#include <filesystem>
#include <map>
#include <mutex>

#include "domain/ports/follower_source.hpp"

namespace leadstream::adapters::sources {

/// Followers from files: DIR/<handle>.json is the account (an X API v2 user object) and
/// DIR/<handle>.jsonl its followers, one X API v2 user object a line, newest first.
/// Handles are matched without regard to case. Cursors are byte offsets into the .jsonl,
/// so a page costs what it reads, however deep. Thread-safe.
class FixtureFollowerSource final : public domain::FollowerSource {
 public:
  explicit FixtureFollowerSource(std::filesystem::path directory);

  // domain::HandleResolver
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override;
  // domain::FollowerSource
  domain::Result<domain::FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                                 int max_results) override;

 private:
  /// The followers file of the X user, indexing the directory when the user is new to us.
  std::optional<std::filesystem::path> followers_file(const std::string& x_user_id);

  std::filesystem::path directory_;
  std::mutex mutex_;
  std::map<std::string, std::filesystem::path> followers_of_;  // X user id -> .jsonl, filled by resolve
};

}  // namespace leadstream::adapters::sources
