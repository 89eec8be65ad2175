#include "domain/rules/bot_filter.hpp"

#include "domain/rules/text.hpp"

namespace leadstream::domain {

bool passes_bot_filter(const FollowerProfile& profile) {
  if (trim(profile.bio).empty()) return false;  // nothing to classify, and the commonest bot trait
  if (profile.default_profile_image && profile.tweet_count == 0) return false;
  // Follow-for-follow farms follow thousands and are followed by almost no one.
  if (profile.following_count >= 2'000 && profile.followers_count * 50 < profile.following_count) return false;
  return true;
}

}  // namespace leadstream::domain
