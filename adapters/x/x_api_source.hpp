#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "domain/ports/clock.hpp"
#include "domain/ports/follower_source.hpp"

namespace leadstream::adapters::x {

struct XApiOptions {
  std::string base_url = "https://api.x.com";
  std::string bearer_token;
  int max_attempts = 3;  // per call, for 5xx and timeouts; the run retries beyond that
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds timeout{20'000};
  std::function<void(std::chrono::milliseconds)> sleep;  // default: this thread sleeps
};

/// X API v2 through libcurl: GET /2/users/by/username/:username to resolve a handle,
/// GET /2/users/:id/followers (max_results up to 1000, pagination_token) for followers,
/// with a bearer token. A used-up rate limit window (429, or x-rate-limit-remaining: 0)
/// is reported with the time of x-rate-limit-reset, never slept through here: the run
/// waits in the queue, where a restart does not lose it. Thread-safe.
class XApiFollowerSource final : public domain::FollowerSource {
 public:
  XApiFollowerSource(XApiOptions options, const domain::Clock& clock);

  // domain::HandleResolver
  domain::Result<domain::ResolvedHandle> resolve(std::string_view handle) override;
  // domain::FollowerSource
  domain::Result<domain::FollowerPage> followers(const std::string& x_user_id, const std::optional<std::string>& cursor,
                                                 int max_results) override;

 private:
  XApiOptions options_;
  const domain::Clock& clock_;
};

}  // namespace leadstream::adapters::x
