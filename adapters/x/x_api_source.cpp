#include "adapters/x/x_api_source.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "adapters/http/percent_encoding.hpp"
#include "adapters/x/x_user.hpp"
#include "domain/rules/deadline.hpp"
#include "domain/rules/retry.hpp"

namespace leadstream::adapters::x {
namespace {

using domain::Error;
using domain::ErrorCode;

/// One client per thread: curl handles are not shared, and each keeps its connection.
http::CurlHttpClient& client() {
  thread_local http::CurlHttpClient instance;
  return instance;
}

std::optional<std::int64_t> header_number(const http::HttpResponse& response, std::string_view name) {
  const auto text = response.header(name);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// When the rate limit window reopens (x-rate-limit-reset, in epoch seconds).
std::optional<domain::Timestamp> window_reset(const http::HttpResponse& response) {
  const auto reset = header_number(response, "x-rate-limit-reset");
  if (!reset) return std::nullopt;
  return domain::Timestamp{std::chrono::seconds{*reset}};
}

/// The `detail` or `title` of X's first error, or the status when the body has none.
std::string x_message(const http::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  const auto* object = !ec ? body.if_object() : nullptr;
  for (const auto* key : {"detail", "title"}) {
    if (const auto* value = object ? object->if_contains(key) : nullptr; value && value->is_string()) {
      return std::string(value->get_string());
    }
  }
  return "X answered HTTP " + std::to_string(response.status);
}

/// Whether a body's `errors` say the user does not exist or is suspended.
bool reports_missing_user(const boost::json::object& body) {
  const auto* errors = body.if_contains("errors");
  if (!errors || !errors->is_array()) return false;
  for (const auto& error : errors->as_array()) {
    const auto* object = error.if_object();
    const auto* title = object ? object->if_contains("title") : nullptr;
    if (title && title->is_string() &&
        (title->get_string() == "Not Found Error" || title->get_string() == "Forbidden")) {
      return true;
    }
  }
  return false;
}

bool is_safe_path_part(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         std::ranges::all_of(text, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

XApiFollowerSource::XApiFollowerSource(XApiOptions options, const domain::Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { (void)http::pause_unless_aborted(d); };
}

namespace {

/// GET with the bearer token; 5xx and network failures are tried again. 401 is kUpstream
/// (the token is wrong: retrying will not help), 429 kRateLimited with the window's end.
domain::Result<http::HttpResponse> get(const XApiOptions& options, const domain::Clock& clock, const std::string& url) {
  Error last{ErrorCode::kUnavailable, "X was not reached"};
  for (int attempt = 0; attempt < options.max_attempts; ++attempt) {
    if (attempt > 0) {
      const auto delay = domain::backoff_delay(attempt, 0.5, options.base_delay, std::chrono::seconds{8});
      if (!domain::RequestDeadline::allows(delay)) break;  // the caller's answer is due first
      options.sleep(delay);
    }
    auto response = client().send(http::HttpRequest{.method = "GET",
                                                    .url = url,
                                                    .headers = {{"Authorization", "Bearer " + options.bearer_token}},
                                                    .timeout = options.timeout});
    if (!response) {
      last = Error{ErrorCode::kUnavailable, "X unreachable: " + response.error().message};
      continue;
    }
    const int status = response->status;
    if (status >= 500) {
      last = Error{ErrorCode::kUnavailable, "X answered HTTP " + std::to_string(status)};
      continue;
    }
    if (status == 401) {
      // The operator can act on the setting's name; a tenant only needs to know it is not theirs to fix.
      spdlog::error("X rejected the bearer token (HTTP 401): check LEADSTREAM_X_BEARER_TOKEN");
      return Error{ErrorCode::kUpstream,
                   "X refused this installation's credentials (HTTP 401): its operator must renew them; nothing is "
                   "wrong with the request."};
    }
    if (status == 429) {
      const auto reset = window_reset(*response);
      const auto wait =
          reset ? std::max(std::chrono::ceil<std::chrono::seconds>(*reset - clock.now()), std::chrono::seconds{1})
                : std::chrono::seconds{60};
      return Error{
          .code = ErrorCode::kRateLimited, .message = "X's rate limit is used up (HTTP 429)", .retry_after = wait};
    }
    return std::move(*response);
  }
  return last;
}

}  // namespace

domain::Result<domain::ResolvedHandle> XApiFollowerSource::resolve(std::string_view handle) {
  // A refused token stays kUpstream (retrying will not help); anything else may pass.
  const auto lookup_failed = [](Error error) {
    if (error.code != ErrorCode::kUpstream && error.code != ErrorCode::kRateLimited)
      error.code = ErrorCode::kUnavailable;
    return error;
  };
  if (!is_safe_path_part(handle)) {
    return Error{ErrorCode::kHandleNotFound, "@" + std::string(handle) + " does not exist on X."};
  }
  auto response =
      get(options_, clock_,
          options_.base_url + "/2/users/by/username/" + std::string(handle) + "?user.fields=" + kUserFields);
  if (!response) return lookup_failed(response.error());
  boost::system::error_code ec;
  const auto body = boost::json::parse(response->body, ec);
  const auto* object = !ec ? body.if_object() : nullptr;
  const auto* data = object ? object->if_contains("data") : nullptr;
  const auto user = data ? parse_x_user(*data) : std::nullopt;
  if (response->status == 404 || (object && !user && reports_missing_user(*object))) {
    return Error{ErrorCode::kHandleNotFound, "@" + std::string(handle) + " does not exist on X or is suspended."};
  }
  if (response->status != 200 || !user) return lookup_failed(Error{ErrorCode::kUnavailable, x_message(*response)});
  if (user->is_protected) {
    return Error{ErrorCode::kHandleProtected, "@" + user->handle + " is protected: its followers are not visible."};
  }
  std::optional<std::string> image;
  if (!user->profile_image_url.empty()) image = user->profile_image_url;
  return domain::ResolvedHandle{user->handle, user->x_user_id, image, user->followers_count, user->tweet_count};
}

domain::Result<domain::FollowerPage> XApiFollowerSource::followers(const std::string& x_user_id,
                                                                   const std::optional<std::string>& cursor,
                                                                   int max_results) {
  if (!is_safe_path_part(x_user_id)) return Error{ErrorCode::kHandleNotFound, "invalid X user id " + x_user_id};
  std::string url = options_.base_url + "/2/users/" + x_user_id +
                    "/followers?max_results=" + std::to_string(std::clamp(max_results, 1, 1000)) +
                    "&user.fields=" + kUserFields;
  if (cursor) url += "&pagination_token=" + http::percent_encoded(*cursor);
  auto response = get(options_, clock_, url);
  if (!response) return response.error();
  if (response->status == 404) {
    return Error{ErrorCode::kHandleNotFound, "The X account no longer exists."};
  }
  if (response->status == 403) {
    return Error{ErrorCode::kHandleProtected, "X refused the followers of this account: " + x_message(*response)};
  }
  if (response->status != 200) return Error{ErrorCode::kUpstream, x_message(*response)};
  boost::system::error_code ec;
  // The page's document lives only until its profiles are copied out: one arena for its
  // thousands of strings and objects instead of a malloc each.
  boost::json::monotonic_resource arena;
  const auto body = boost::json::parse(response->body, ec, &arena);
  const auto* object = !ec ? body.if_object() : nullptr;
  if (!object) return Error{ErrorCode::kUnavailable, "X's followers page was not JSON"};
  domain::FollowerPage page;
  if (const auto* data = object->if_contains("data"); data && data->is_array()) {
    page.followers.reserve(data->as_array().size());
    for (const auto& user : data->as_array()) {
      if (auto profile = parse_x_user(user)) page.followers.push_back(std::move(*profile));
    }
  }
  if (const auto* meta = object->if_contains("meta"); meta && meta->is_object()) {
    if (const auto* next = meta->as_object().if_contains("next_token"); next && next->is_string()) {
      page.next_cursor = std::string(next->get_string());
    }
  }
  if (header_number(*response, "x-rate-limit-remaining") == 0) page.resume_at = window_reset(*response);
  return page;
}

}  // namespace leadstream::adapters::x
