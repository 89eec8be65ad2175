#include "adapters/x/x_user.hpp"

#include <boost/json.hpp>
#include <utility>
#include <vector>

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

const boost::json::object* object_of(const boost::json::object* object, std::string_view key) {
  const auto* value = object != nullptr ? object->if_contains(key) : nullptr;
  return value != nullptr ? value->if_object() : nullptr;
}

/// The links of one `entities` field (`url` or `description`): t.co link -> expanded target.
std::vector<std::pair<std::string, std::string>> links_of(const boost::json::object* entities, std::string_view field) {
  std::vector<std::pair<std::string, std::string>> links;
  const auto* field_object = object_of(entities, field);
  const auto* array = field_object != nullptr ? field_object->if_contains("urls") : nullptr;
  if (array == nullptr || !array->is_array()) return links;
  for (const auto& entry : array->as_array()) {
    const auto* link = entry.if_object();
    if (link == nullptr) continue;
    auto shortened = string_of(*link, "url");
    auto expanded = string_of(*link, "expanded_url");
    if (!shortened.empty() && !expanded.empty()) links.emplace_back(std::move(shortened), std::move(expanded));
  }
  return links;
}

/// `text` with each t.co link replaced by the link's target.
std::string expanded(std::string text, const std::vector<std::pair<std::string, std::string>>& links) {
  for (const auto& [shortened, target] : links) {
    for (auto at = text.find(shortened); at != std::string::npos; at = text.find(shortened, at + target.size())) {
      text.replace(at, shortened.size(), target);
    }
  }
  return text;
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
  // X shortens every link to t.co; the targets (a LinkedIn profile, a company's domain)
  // are what the classifier and enrichment need, so they are kept in place of the links.
  const auto* entities = object_of(object, "entities");
  profile.bio = expanded(string_of(*object, "description"), links_of(entities, "description"));
  profile.location = string_of(*object, "location");
  profile.url = expanded(string_of(*object, "url"), links_of(entities, "url"));
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
