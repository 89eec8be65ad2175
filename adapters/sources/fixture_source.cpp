#include "adapters/sources/fixture_source.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <sstream>

#include "adapters/x/x_user.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::adapters::sources {
namespace {

domain::Error not_found(std::string_view handle) {
  return domain::Error{domain::ErrorCode::kHandleNotFound,
                       "@" + std::string(handle) + " is not in the fixture directory."};
}

}  // namespace

FixtureFollowerSource::FixtureFollowerSource(std::filesystem::path directory) : directory_(std::move(directory)) {}

domain::Result<domain::ResolvedHandle> FixtureFollowerSource::resolve(std::string_view handle) {
  const auto wanted = domain::lower(handle);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
    const auto& path = entry.path();
    if (path.extension() != ".json" || domain::lower(path.stem().string()) != wanted) continue;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code parse_error;
    const auto user = x::parse_x_user(boost::json::parse(text.str(), parse_error));
    if (parse_error || !user) {
      return domain::Error{domain::ErrorCode::kUnavailable, path.string() + " is not an X user object."};
    }
    if (user->is_protected) {
      return domain::Error{domain::ErrorCode::kHandleProtected, "@" + user->handle + " is protected."};
    }
    std::lock_guard lock(mutex_);
    followers_of_[user->x_user_id] = std::filesystem::path(path).replace_extension(".jsonl");
    return domain::ResolvedHandle{user->handle,          user->x_user_id,   user->profile_image_url,
                                  user->followers_count, user->tweet_count, user};
  }
  if (ec) {
    return domain::Error{domain::ErrorCode::kUnavailable, "cannot read the fixture directory: " + ec.message()};
  }
  return not_found(handle);
}

std::optional<std::filesystem::path> FixtureFollowerSource::followers_file(const std::string& x_user_id) {
  std::lock_guard lock(mutex_);
  if (!followers_of_.contains(x_user_id)) {
    // Not resolved by this process (a run after a restart): index the whole directory.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      boost::system::error_code parse_error;
      const auto user = x::parse_x_user(boost::json::parse(text.str(), parse_error));
      if (!parse_error && user)
        followers_of_[user->x_user_id] = std::filesystem::path(entry.path()).replace_extension(".jsonl");
    }
  }
  const auto found = followers_of_.find(x_user_id);
  if (found == followers_of_.end()) return std::nullopt;
  return found->second;
}

domain::Result<domain::FollowerPage> FixtureFollowerSource::followers(const std::string& x_user_id,
                                                                      const std::optional<std::string>& cursor,
                                                                      int max_results) {
  const auto file = followers_file(x_user_id);
  if (!file) {
    return domain::Error{domain::ErrorCode::kHandleNotFound,
                         "X user " + x_user_id + " is not in the fixture directory."};
  }
  std::ifstream in(*file);
  if (!in) return domain::FollowerPage{};  // an account without followers
  std::streamoff offset = 0;
  if (cursor && std::from_chars(cursor->data(), cursor->data() + cursor->size(), offset).ec != std::errc{}) {
    return domain::Error{domain::ErrorCode::kUpstream, "invalid pagination cursor"};
  }
  in.seekg(offset);
  domain::FollowerPage page;
  std::string line;
  while (static_cast<int>(page.followers.size()) < max_results && std::getline(in, line)) {
    if (domain::trim(line).empty()) continue;
    boost::system::error_code parse_error;
    auto user = x::parse_x_user(boost::json::parse(line, parse_error));
    if (!parse_error && user) page.followers.push_back(std::move(*user));  // a malformed line is skipped
  }
  in.peek();  // sets eof when nothing follows
  if (in.good()) page.next_cursor = std::to_string(static_cast<std::int64_t>(in.tellg()));
  return page;
}

}  // namespace leadstream::adapters::sources
