#pragma once

// Only for adapters: X API v2 user objects, as the fixture source and the X API adapter
// both read them.

#include <boost/json/value.hpp>
#include <optional>

#include "domain/model/sync.hpp"

namespace leadstream::adapters::x {

/// The fields we keep of an X API v2 user object (id, username, name, description,
/// location, url, profile_image_url, public_metrics, verified, protected), with the t.co
/// links of `url` and `description` replaced by their targets from `entities`; nullopt
/// when it has no id or username.
std::optional<domain::FollowerProfile> parse_x_user(const boost::json::value& user);

/// The `user.fields` to ask X for, so that parse_x_user finds them.
inline constexpr const char* kUserFields =
    "created_at,description,entities,location,profile_image_url,protected,public_metrics,url,verified";

}  // namespace leadstream::adapters::x
