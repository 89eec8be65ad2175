#include "adapters/stripe/stripe_billing_gateway.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <random>
#include <thread>

#include "adapters/http/curl_client.hpp"
#include "domain/rules/retry.hpp"

namespace leadstream::adapters::stripe {
namespace {

using domain::Error;
using domain::ErrorCode;

bool is_stripe_id(std::string_view id) {
  return !id.empty() && id.size() <= 255 &&
         std::ranges::all_of(id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

/// Stripe's own words from an error body, or the status when the body has none.
std::string error_message(const http::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    const auto* error = body.as_object().if_contains("error");
    if (error && error->is_object()) {
      if (const auto* message = error->as_object().if_contains("message"); message && message->is_string()) {
        return std::string(message->get_string());
      }
    }
  }
  return "Stripe answered HTTP " + std::to_string(response.status);
}

bool is_transient_status(int status) { return status == 409 || status == 429 || status >= 500; }

/// Whether to try again: Stripe-Should-Retry decides when present.
bool should_retry(const http::HttpResponse& response) {
  const auto header = response.header("stripe-should-retry");
  if (header == "true") return true;
  if (header == "false") return false;
  return is_transient_status(response.status);
}

std::optional<std::chrono::milliseconds> retry_after(const http::HttpResponse& response) {
  const auto header = response.header("retry-after");
  int seconds = 0;
  const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc{} || seconds < 0) return std::nullopt;
  return std::chrono::seconds{std::min(seconds, 60)};
}

}  // namespace

StripeBillingGateway::StripeBillingGateway(StripeOptions options)
    : options_(std::move(options)), client_(std::make_unique<http::CurlHttpClient>()) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options_.unit_random) {
    options_.unit_random = [generator = std::mt19937_64{std::random_device{}()}]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
    };
  }
}

StripeBillingGateway::~StripeBillingGateway() = default;

domain::Result<void> StripeBillingGateway::set_quantity(const domain::QuantityUpdate& update) {
  if (!is_stripe_id(update.subscription_item)) {
    return Error{ErrorCode::kUpstream, "'" + update.subscription_item + "' is not a Stripe subscription item id"};
  }
  auto response = send_with_retries(http::HttpRequest{
      .method = "POST",
      .url = options_.base_url + "/v1/subscription_items/" + update.subscription_item,
      .headers = {{"Authorization", "Bearer " + options_.api_key},
                  {"Stripe-Version", options_.api_version},
                  {"Idempotency-Key", update.idempotency_key},
                  {"Content-Type", "application/x-www-form-urlencoded"}},
      .body = "quantity=" + std::to_string(update.quantity) +
              "&proration_behavior=" + (update.prorate ? "create_prorations" : "none"),
      .timeout = options_.timeout,
  });
  if (!response) return response.error();
  return {};
}

domain::Result<domain::SubscriptionState> StripeBillingGateway::subscription(const std::string& subscription_id) {
  if (!is_stripe_id(subscription_id)) {
    return Error{ErrorCode::kUpstream, "'" + subscription_id + "' is not a Stripe subscription id"};
  }
  auto response = send_with_retries(http::HttpRequest{
      .method = "GET",
      .url = options_.base_url + "/v1/subscriptions/" + subscription_id,
      .headers = {{"Authorization", "Bearer " + options_.api_key}, {"Stripe-Version", options_.api_version}},
      .timeout = options_.timeout,
  });
  if (!response) return response.error();
  boost::system::error_code ec;
  const auto body = boost::json::parse(response->body, ec);
  const auto* object = !ec ? body.if_object() : nullptr;
  const auto* status = object ? object->if_contains("status") : nullptr;
  const auto* items = object ? object->if_contains("items") : nullptr;
  const auto* data = items && items->is_object() ? items->as_object().if_contains("data") : nullptr;
  if (!status || !status->is_string() || !data || !data->is_array()) {
    return Error{ErrorCode::kUnavailable, "Stripe's subscription was not readable"};
  }
  domain::SubscriptionState state{std::string(status->get_string()), {}, std::nullopt};
  if (const auto* end = object->if_contains("current_period_end"); end && end->is_int64()) {
    state.current_period_end = domain::Timestamp{std::chrono::seconds{end->get_int64()}};
  }
  auto& quantities = state.quantities;
  for (const auto& item : data->as_array()) {
    const auto* id = item.is_object() ? item.as_object().if_contains("id") : nullptr;
    const auto* quantity = item.is_object() ? item.as_object().if_contains("quantity") : nullptr;
    if (id && id->is_string() && quantity && quantity->is_int64()) {
      quantities[std::string(id->get_string())] = static_cast<int>(quantity->get_int64());
    }
  }
  return state;
}

domain::Result<http::HttpResponse> StripeBillingGateway::send_with_retries(const http::HttpRequest& request) {
  std::lock_guard lock(mutex_);
  Error last{ErrorCode::kUnavailable, "Stripe was not reached"};
  std::optional<std::chrono::milliseconds> asked_wait;  // Retry-After of the last answer
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      options_.sleep(asked_wait.value_or(
          domain::backoff_delay(attempt, options_.unit_random(), options_.base_delay, options_.max_delay)));
    }
    auto response = client_->send(request);
    if (!response) {
      last = Error{ErrorCode::kUnavailable, "Stripe unreachable: " + response.error().message};
      continue;
    }
    if (response->status >= 200 && response->status < 300) return std::move(*response);
    const auto message = error_message(*response);
    if (!should_retry(*response)) {
      const auto code = is_transient_status(response->status) ? ErrorCode::kUnavailable : ErrorCode::kUpstream;
      return Error{code, message};
    }
    last = Error{ErrorCode::kUnavailable, message};
    asked_wait = retry_after(*response);
  }
  return last;
}

}  // namespace leadstream::adapters::stripe
