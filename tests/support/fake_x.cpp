#include "support/fake_x.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <thread>
#include <utility>

#include "adapters/sources/synthetic_source.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::support {
namespace {

api::Response json(int status, const boost::json::value& body) {
  return api::Response{.status = status, .body = boost::json::serialize(body)};
}

boost::json::object user_json(const domain::FollowerProfile& p) {
  return {{"id", p.x_user_id},
          {"username", p.handle},
          {"name", p.display_name},
          {"description", p.bio},
          {"location", p.location},
          {"url", p.url},
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
}

std::uint64_t seed_of(const std::string& id) { return std::stoull(id) % 1'000'000'000ULL + 1; }

}  // namespace

FakeX::FakeX(std::string bearer_token)
    : bearer_token_(std::move(bearer_token)), server_([this](const api::Request& r) { return handle(r); }) {}

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
  for (int i = 0; i < times; ++i) failures_.push_back(status);
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
      const int status = failures_.front();
      failures_.pop_front();
      auto response = json(status, {{"title", status == 429 ? "Too Many Requests" : "Service Unavailable"}});
      const auto reset =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
              .count() +
          reset_in_seconds;
      response.headers.emplace_back("x-rate-limit-remaining", "0");
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
    return json(404, {{"title", "Not Found Error"}, {"detail", "Could not find user with id: [" + id + "]."}});
  }
  return json(404, {{"title", "Not Found"}});
}

api::Response FakeX::user_by_username(const std::string& username) const {
  const auto found = accounts_.find(username);
  if (found == accounts_.end()) {
    return json(200, {{"errors",
                       {{{"value", username},
                         {"detail", "Could not find user with username: [" + username + "]."},
                         {"title", "Not Found Error"},
                         {"resource_type", "user"}}}}});
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
  if (const auto token = request.query_param("pagination_token")) offset = std::stoi(token->substr(1));
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
    data.push_back(user_json(
        adapters::sources::SyntheticFollowerSource::follower(seed_of(account.id), account.followers - 1 - position)));
  }
  boost::json::object meta{{"result_count", end - offset}};
  if (end < account.followers) meta["next_token"] = "t" + std::to_string(end);
  return boost::json::serialize(boost::json::object{{"data", std::move(data)}, {"meta", std::move(meta)}});
}

}  // namespace leadstream::support
