#include "adapters/x/x_user.hpp"

#include <boost/json.hpp>

namespace leadstream::adapters::x {
namespace {

std::string string_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->as_string());
}

std::int64_t count_of(const boost::json::object* metrics, std::string_view key) {
  if (metrics == nullptr) return 0;
  const auto* value = metrics->if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  return 0;
}

bool flag_of(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

}  // namespace

std::optional<domain::FollowerProfile> parse_x_user(const boost::json::value& user) {
  const auto* object = user.if_object();
  if (object == nullptr) return std::nullopt;
  domain::FollowerProfile profile;
  profile.x_user_id = string_of(*object, "id");
  profile.handle = string_of(*object, "username");
  if (profile.x_user_id.empty() || profile.handle.empty()) return std::nullopt;
  profile.display_name = string_of(*object, "name");
  profile.bio = string_of(*object, "description");
  profile.location = string_of(*object, "location");
  profile.url = string_of(*object, "url");
  profile.profile_image_url = string_of(*object, "profile_image_url");
  // X serves this picture to accounts that never set one.
  profile.default_profile_image = profile.profile_image_url.find("default_profile_images") != std::string::npos;
  const auto* metrics_value = object->if_contains("public_metrics");
  const auto* metrics = metrics_value != nullptr ? metrics_value->if_object() : nullptr;
  profile.followers_count = count_of(metrics, "followers_count");
  profile.following_count = count_of(metrics, "following_count");
  profile.tweet_count = count_of(metrics, "tweet_count");
  profile.verified = flag_of(*object, "verified");
  profile.is_protected = flag_of(*object, "protected");
  return profile;
}

}  // namespace leadstream::adapters::x
