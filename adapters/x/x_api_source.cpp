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
#include "domain/rules/text.hpp"

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

/// What X says went wrong: a problem object (RFC 7807, the body of a 4xx) or the first
/// of the `errors[]` that a 200 can carry instead of `data`.
struct Problem {
  std::string type;  // the last segment of the type URI: "not-authorized-for-resource", "usage-capped"...
  std::string title;
  std::string detail;                   // `detail`, else `title`, else `message`
  std::string reason;                   // client-forbidden's "client-not-enrolled"
  std::string period;                   // usage-capped's "Daily" or "Monthly"
  bool names_pagination_token = false;  // an invalid-request that rejected our pagination_token
};

std::string text_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

Problem problem_from(const boost::json::object& object) {
  Problem problem;
  problem.type = text_at(object, "type");
  problem.type.erase(0, problem.type.find_last_of('/') + 1);
  problem.title = text_at(object, "title");
  for (const auto* key : {"detail", "title", "message"}) {
    if (problem.detail.empty()) problem.detail = text_at(object, key);
  }
  problem.reason = text_at(object, "reason");
  problem.period = text_at(object, "period");
  const auto* parameters = object.if_contains("parameters");
  problem.names_pagination_token =
      parameters && parameters->is_object() && parameters->get_object().contains("pagination_token");
  return problem;
}

/// The problem a body states: its own (a problem object), else its first `errors[]`
/// entry's, keeping the outer type when the entry has none (an invalid-request lists the
/// parameters it rejected in `errors[]`). nullopt when it states none.
std::optional<Problem> problem_of(const boost::json::object& body) {
  std::optional<Problem> problem;
  if (body.contains("type") || body.contains("title")) problem = problem_from(body);
  const auto* errors = body.if_contains("errors");
  const auto* first =
      errors && errors->is_array() && !errors->get_array().empty() ? errors->get_array()[0].if_object() : nullptr;
  if (first == nullptr) return problem;
  auto entry = problem_from(*first);
  if (problem) {
    if (entry.type.empty()) entry.type = problem->type;
    if (entry.detail.empty()) entry.detail = problem->detail;
  }
  return entry;
}

std::optional<Problem> problem_of(const http::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object()) return std::nullopt;
  return problem_of(body.get_object());
}

/// X's words for a problem, or the status when it gave none.
std::string x_message(const std::optional<Problem>& problem, int status) {
  if (problem && !problem->detail.empty()) return problem->detail;
  return "X answered HTTP " + std::to_string(status);
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

/// How long until `response`'s window reopens (x-rate-limit-reset), at least a second;
/// `otherwise` when X did not say.
std::chrono::seconds wait_for_reset(const http::HttpResponse& response, const domain::Clock& clock,
                                    std::chrono::seconds otherwise) {
  const auto reset = window_reset(response);
  if (!reset) return otherwise;
  return std::max(std::chrono::ceil<std::chrono::seconds>(*reset - clock.now()), std::chrono::seconds{1});
}

/// A 429: the rate limit window (waited out in the queue, no attempt spent), or a usage
/// cap, which no window reopens: a daily one is waited for at a cost of an attempt (so a
/// run gives up after a few days), a monthly one fails the run at once.
Error too_many_requests(const http::HttpResponse& response, const domain::Clock& clock) {
  const auto problem = problem_of(response);
  if (!problem || problem->type != "usage-capped") {
    return Error{.code = ErrorCode::kRateLimited,
                 .message = "X's rate limit is used up (HTTP 429)",
                 .retry_after = wait_for_reset(response, clock, std::chrono::seconds{60})};
  }
  const auto period = problem->period.empty() ? std::string("Monthly") : problem->period;
  spdlog::error("X: this app's {} usage cap is used up: {}", period, problem->detail);
  const auto message = "X's " + domain::lower(period) +
                       " usage cap for this installation's app is used up (usage-capped): X answers no more calls "
                       "until it resets, or until its operator's X plan allows more.";
  if (period == "Daily") {
    return Error{.code = ErrorCode::kUnavailable,
                 .message = message,
                 .retry_after = wait_for_reset(response, clock, std::chrono::hours{1})};
  }
  return Error{ErrorCode::kUpstream, message};
}

/// A 403 that is about this installation's app, not the account asked for: its X plan
/// lacks the endpoint (client-forbidden). nullopt for any other 403.
std::optional<Error> app_forbidden(const http::HttpResponse& response) {
  const auto problem = problem_of(response);
  if (!problem || problem->type != "client-forbidden") return std::nullopt;
  const auto reason = problem->reason.empty() ? std::string() : ", " + problem->reason;
  spdlog::error("X: this app's plan does not include an endpoint it calls (client-forbidden{}): {}", reason,
                problem->detail);
  return Error{ErrorCode::kUpstream, "X does not let this installation's app use this endpoint (client-forbidden" +
                                         reason +
                                         "): its operator's X developer plan must include it; nothing is wrong with "
                                         "the account."};
}

/// GET with the bearer token; 5xx and network failures are tried again. 401 and the app's
/// own 403 are kUpstream (retrying will not help), 429 as too_many_requests() says.
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
    if (status == 403) {
      if (auto forbidden = app_forbidden(*response)) return std::move(*forbidden);
    }
    if (status == 429) return too_many_requests(*response, clock);
    return std::move(*response);
  }
  return last;
}

/// What an account-level problem of a followers call means for the run.
Error account_problem(const std::optional<Problem>& problem, int status) {
  const auto type = problem ? problem->type : std::string();
  const auto said = x_message(problem, status);
  if (type == "not-authorized-for-resource" || (status == 403 && type.empty())) {
    return Error{ErrorCode::kHandleProtected, "X refused the followers of this account: it is protected (" +
                                                  (type.empty() ? "HTTP 403" : type) + "). X said: " + said};
  }
  if (type == "resource-not-found") {
    return Error{ErrorCode::kHandleNotFound, "The X account no longer exists or is suspended. X said: " + said};
  }
  if (status == 403) return Error{ErrorCode::kUpstream, "X refused the followers (" + type + "). X said: " + said};
  return Error{ErrorCode::kUnavailable,
               "X answered the followers call with an error" + (type.empty() ? "" : " (" + type + ")") + ": " + said};
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
  const auto problem = object ? problem_of(*object) : std::nullopt;
  // An unknown or suspended user is a resource-not-found (older answers say so in the
  // title only, and a suspension in the detail).
  const bool missing = problem && (problem->type == "resource-not-found" || problem->title == "Not Found Error" ||
                                   problem->detail.find("suspended") != std::string::npos);
  if (response->status == 404 || (!user && missing)) {
    return Error{ErrorCode::kHandleNotFound, "@" + std::string(handle) + " does not exist on X or is suspended."};
  }
  if (response->status != 200 || !user) {
    return lookup_failed(Error{ErrorCode::kUnavailable, x_message(problem, response->status)});
  }
  if (user->is_protected) {
    return Error{ErrorCode::kHandleProtected, "@" + user->handle + " is protected: its followers are not visible."};
  }
  std::optional<std::string> image;
  if (!user->profile_image_url.empty()) image = user->profile_image_url;
  return domain::ResolvedHandle{user->handle, user->x_user_id, image, user->followers_count, user->tweet_count, user};
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
  if (response->status == 404) return Error{ErrorCode::kHandleNotFound, "The X account no longer exists."};
  if (response->status != 200) {
    const auto problem = problem_of(*response);
    // Pagination tokens expire (X's pagination guide): the walk starts again from the top.
    if (response->status == 400 && cursor && problem && problem->names_pagination_token) {
      return Error{ErrorCode::kGone, "X no longer accepts the saved pagination token: " + problem->detail};
    }
    if (response->status == 403) return account_problem(problem, 403);
    return Error{ErrorCode::kUpstream, x_message(problem, response->status)};
  }
  boost::system::error_code ec;
  // The page's document lives only until its profiles are copied out: one arena for its
  // thousands of strings and objects instead of a malloc each.
  boost::json::monotonic_resource arena;
  const auto body = boost::json::parse(response->body, ec, &arena);
  const auto* object = !ec ? body.if_object() : nullptr;
  if (!object) return Error{ErrorCode::kUnavailable, "X's followers page was not JSON"};
  const auto* data = object->if_contains("data");
  if (!data || !data->is_array()) {
    // X documents 200s that carry only `errors[]` (the account turned protected, was
    // suspended or deleted mid-walk): never read one as the end of the list.
    if (const auto problem = problem_of(*object)) return account_problem(problem, 200);
    if (!object->contains("meta")) return Error{ErrorCode::kUnavailable, "X's followers page had no data and no meta"};
  }
  domain::FollowerPage page;
  if (data && data->is_array()) {
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
