#include "support/fake_x.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <thread>
#include <utility>

#include "adapters/sources/synthetic_source.hpp"
#include "domain/rules/text.hpp"
#include "support/answer_log.hpp"

namespace leadstream::support {
namespace {

api::Response json(int status, const boost::json::value& body) {
  return api::Response{.status = status, .body = boost::json::serialize(body)};
}

/// A t.co link for `target`, as X shortens every link of a profile.
std::string shortened(const std::string& target) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  auto hash = std::hash<std::string>{}(target);
  std::string code;
  for (int i = 0; i < 10; ++i, hash /= kAlphabet.size()) code += kAlphabet[hash % kAlphabet.size()];
  return "https://t.co/" + code;
}

/// `text` with its links shortened, and the `urls` entities that say what they stand for.
std::pair<std::string, boost::json::array> shortened_links(const std::string& text) {
  std::string out;
  boost::json::array urls;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto found = std::min(text.find("https://", at), text.find("http://", at));
    if (found == std::string::npos) break;
    const auto end = std::min(text.find_first_of(" \n", found), text.size());
    out += text.substr(at, found - at);
    const auto target = text.substr(found, end - found);
    const auto link = shortened(target);
    const auto start = out.size();
    out += link;
    auto display = target.substr(target.find("//") + 2);
    urls.push_back(
        {{"start", start}, {"end", out.size()}, {"url", link}, {"expanded_url", target}, {"display_url", display}});
    at = end;
  }
  out += text.substr(std::min(at, text.size()));
  return {std::move(out), std::move(urls)};
}

boost::json::object user_json(const domain::FollowerProfile& p) {
  auto [url, url_links] = shortened_links(p.url);
  auto [bio, bio_links] = shortened_links(p.bio);
  boost::json::object entities;
  if (!url_links.empty()) entities["url"] = {{"urls", std::move(url_links)}};
  if (!bio_links.empty()) entities["description"] = {{"urls", std::move(bio_links)}};
  boost::json::object user{
      {"id", p.x_user_id},
      {"username", p.handle},
      {"name", p.display_name},
      {"description", std::move(bio)},
      {"location", p.location},
      {"url", std::move(url)},
      {"profile_image_url", p.profile_image_url.empty()
                                ? "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
                                : p.profile_image_url},
      {"protected", p.is_protected},
      {"verified", p.verified},
      {"public_metrics",
       {{"followers_count", p.followers_count},
        {"following_count", p.following_count},
        {"tweet_count", p.tweet_count},
        {"listed_count", 0}}}};
  if (!entities.empty()) user["entities"] = std::move(entities);
  return user;
}

std::uint64_t seed_of(const std::string& id) { return std::stoull(id) % 1'000'000'000ULL + 1; }

}  // namespace

FakeX::FakeX(std::string bearer_token)
    : bearer_token_(std::move(bearer_token)), server_([this](const api::Request& request) {
        auto response = handle(request);
        note_exchange("x", request, response);
        return response;
      }) {}

void FakeX::add_account(const std::string& username, const std::string& id, int followers, bool is_protected) {
  std::lock_guard lock(mutex_);
  accounts_[domain::lower(username)] = Account{username, id, followers, is_protected};
}

void FakeX::gain_followers(const std::string& username, int count) {
  std::lock_guard lock(mutex_);
  accounts_.at(domain::lower(username)).followers += count;
  rendered_.clear();
}

void FakeX::render_pages_ahead(int max_results) {
  std::lock_guard lock(mutex_);
  rendered_.clear();
  rendered_max_results_ = max_results;
  for (const auto& [name, account] : accounts_) {
    for (int offset = 0; offset < account.followers; offset += max_results) {
      rendered_.emplace(std::pair{account.id, offset}, page_body(account, offset, max_results));
    }
  }
}

void FakeX::fail_next(int status, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) {
    const auto title = status == 429 ? "Too Many Requests" : status == 404 ? "Not Found Error" : "Service Unavailable";
    auto response = json(status, {{"title", title}, {"detail", title}, {"type", "about:blank"}, {"status", status}});
    if (status == 429) response.headers.emplace_back("x-rate-limit-remaining", "0");  // and a reset, when answered
    failures_.push_back(std::move(response));
  }
}

void FakeX::answer_next(api::Response response) {
  std::lock_guard lock(mutex_);
  failures_.push_back(std::move(response));
}

api::Response FakeX::errors_only(const std::string& type, const std::string& user_id) {
  const bool hidden = type == "not-authorized-for-resource";
  return json(200, {{"errors",
                     {{{"value", user_id},
                       {"detail", hidden ? "Sorry, you are not authorized to see the user with id: [" + user_id + "]."
                                         : "Could not find user with id: [" + user_id + "]."},
                       {"title", hidden ? "Authorization Error" : "Not Found Error"},
                       {"resource_type", "user"},
                       {"parameter", "id"},
                       {"resource_id", user_id},
                       {"section", "data"},
                       {"type", "https://api.twitter.com/2/problems/" + type}}}}});
}

api::Response FakeX::client_forbidden() {
  return json(403, {{"client_id", "29999999"},
                    {"detail",
                     "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from "
                     "a Twitter developer App that is attached to a Project. You can create a project via the "
                     "developer portal."},
                    {"registration_url", "https://developer.twitter.com/en/docs/projects/overview"},
                    {"title", "Client Forbidden"},
                    {"required_enrollment", "Appropriate Level of API Access"},
                    {"reason", "client-not-enrolled"},
                    {"type", "https://api.twitter.com/2/problems/client-forbidden"}});
}

api::Response FakeX::usage_capped(const std::string& period) {
  return json(429, {{"title", "UsageCapExceeded"},
                    {"detail", "Usage cap exceeded: " + period + " product cap"},
                    {"type", "https://api.twitter.com/2/problems/usage-capped"},
                    {"period", period},
                    {"scope", "Product"}});
}

void FakeX::expire_pagination_tokens() {
  std::lock_guard lock(mutex_);
  ++token_generation_;
  rendered_.clear();
}

void FakeX::refollow(const std::string& username, int count) {
  std::lock_guard lock(mutex_);
  auto& account = accounts_.at(domain::lower(username));
  for (int index = 0; index < count; ++index) account.refollowed.insert(account.refollowed.begin(), index);
  rendered_.clear();
}

void FakeX::add_follower(const std::string& username, domain::FollowerProfile profile) {
  std::lock_guard lock(mutex_);
  auto& account = accounts_.at(domain::lower(username));
  account.given[account.followers++] = std::move(profile);
  rendered_.clear();
}

int FakeX::index_at(const Account& account, int position) {
  const auto& first = account.refollowed;
  if (position < static_cast<int>(first.size())) return first[static_cast<std::size_t>(position)];
  // The rest newest first, without the re-followers: step over each one at or above.
  int index = account.followers - 1 - (position - static_cast<int>(first.size()));
  auto skipped = first;
  std::ranges::sort(skipped, std::greater<>());
  for (const int taken : skipped) {
    if (taken >= index) --index;
  }
  return index;
}

void FakeX::delay_next_page(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  next_page_delay_ = delay;
}

void FakeX::exhaust_window_on_each_page(bool exhaust) {
  std::lock_guard lock(mutex_);
  exhaust_window_ = exhaust;
}

int FakeX::follower_calls() const {
  std::lock_guard lock(mutex_);
  return follower_calls_;
}

api::Response FakeX::handle(const api::Request& request) {
  if (request.header("authorization") != "Bearer " + bearer_token_) {
    return json(401, {{"title", "Unauthorized"}, {"type", "about:blank"}, {"status", 401}, {"detail", "Unauthorized"}});
  }
  const auto path = std::string(request.path());
  constexpr std::string_view kByUsername = "/2/users/by/username/";
  if (path.starts_with(kByUsername)) {
    std::lock_guard lock(mutex_);
    return user_by_username(domain::lower(path.substr(kByUsername.size())));
  }
  // /2/users/:id/followers
  constexpr std::string_view kUsers = "/2/users/";
  if (path.starts_with(kUsers) && path.ends_with("/followers")) {
    const auto id = path.substr(kUsers.size(), path.size() - kUsers.size() - std::string_view("/followers").size());
    std::unique_lock lock(mutex_);
    ++follower_calls_;
    if (!failures_.empty()) {
      auto response = std::move(failures_.front());
      failures_.pop_front();
      const auto reset =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
              .count() +
          reset_in_seconds;
      response.headers.emplace_back("x-rate-limit-reset", std::to_string(reset));
      return response;
    }
    for (const auto& [name, account] : accounts_) {
      if (account.id != id) continue;
      const auto copy = account;
      const auto delay = std::exchange(next_page_delay_, std::chrono::milliseconds{0});
      lock.unlock();
      std::this_thread::sleep_for(delay);
      return followers_page(copy, request);
    }
    return errors_only("resource-not-found", id);
  }
  return json(404, {{"title", "Not Found"}, {"detail", "Not Found"}, {"type", "about:blank"}, {"status", 404}});
}

std::string FakeX::token_for(int offset, int generation) {
  auto digits = std::to_string(offset);
  auto token = "t" + std::string(15 - std::min<std::size_t>(digits.size(), 15), '0') + digits;
  if (generation > 0) token += "." + std::to_string(generation);
  return token;
}

api::Response FakeX::user_by_username(const std::string& username) const {
  const auto found = accounts_.find(username);
  if (found == accounts_.end()) {
    return json(200, {{"errors",
                       {{{"value", username},
                         {"detail", "Could not find user with username: [" + username + "]."},
                         {"title", "Not Found Error"},
                         {"resource_type", "user"},
                         {"parameter", "username"},
                         {"resource_id", username},
                         {"type", "https://api.twitter.com/2/problems/resource-not-found"}}}}});
  }
  const auto& account = found->second;
  domain::FollowerProfile profile{.x_user_id = account.id,
                                  .handle = account.username,
                                  .display_name = account.username,
                                  .bio = "An account on the fake X",
                                  .profile_image_url = "https://pbs.example/a.jpg",
                                  .followers_count = account.followers,
                                  .is_protected = account.is_protected};
  return json(200, {{"data", user_json(profile)}});
}

api::Response FakeX::followers_page(const Account& account, const api::Request& request) const {
  const int max_results = std::clamp(std::stoi(request.query_param("max_results").value_or("100")), 1, 1000);
  int offset = 0;  // followers listed already, newest first
  if (const auto token = request.query_param("pagination_token")) {
    // See token_for(): a token of an earlier generation expired.
    offset = std::stoi(token->substr(1, 15));
    if (token->size() < 16 || std::stoi(token->substr(16).empty() ? "0" : token->substr(17)) < token_generation_) {
      return json(400, {{"errors",
                         {{{"parameters", {{"pagination_token", {*token}}}},
                           {"message", "The `pagination_token` query parameter value [" + *token + "] is not valid"}}}},
                        {"title", "Invalid Request"},
                        {"detail", "One or more parameters to your request was invalid."},
                        {"type", "https://api.twitter.com/2/problems/invalid-request"}});
    }
  }
  api::Response response{.status = 200};
  bool exhaust = false;
  {
    std::lock_guard lock(mutex_);
    exhaust = exhaust_window_;
    if (max_results == rendered_max_results_) {
      if (const auto found = rendered_.find({account.id, offset}); found != rendered_.end())
        response.body = found->second;
    }
  }
  if (response.body.empty()) response.body = page_body(account, offset, max_results);
  const auto reset =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
      reset_in_seconds;
  response.headers.emplace_back("x-rate-limit-remaining", exhaust ? "0" : "14");
  response.headers.emplace_back("x-rate-limit-reset", std::to_string(reset));
  return response;
}

std::string FakeX::page_body(const Account& account, int offset, int max_results) const {
  boost::json::array data;
  const int end = std::min(account.followers, offset + max_results);
  for (int position = offset; position < end; ++position) {
    const int index = index_at(account, position);
    const auto given = account.given.find(index);
    data.push_back(user_json(given != account.given.end()
                                 ? given->second
                                 : adapters::sources::SyntheticFollowerSource::follower(seed_of(account.id), index)));
  }
  boost::json::object meta{{"result_count", end - offset}};
  if (end < account.followers) meta["next_token"] = token_for(end, token_generation_);
  return boost::json::serialize(boost::json::object{{"data", std::move(data)}, {"meta", std::move(meta)}});
}

}  // namespace leadstream::support
