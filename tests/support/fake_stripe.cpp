#include "support/fake_stripe.hpp"

namespace leadstream::support {
namespace {

api::Response stripe_error(int status, std::string_view type, std::string_view message) {
  return api::Response{.status = status,
                       .body = R"({"error":{"type":")" + std::string(type) + R"(","message":")" +
                               std::string(message) + R"("}})"};
}

std::string form_value(std::string_view form, std::string_view name) {
  while (!form.empty()) {
    const auto end = std::min(form.find('&'), form.size());
    const auto pair = form.substr(0, end);
    form.remove_prefix(std::min(end + 1, form.size()));
    if (pair.starts_with(std::string(name) + "=")) return std::string(pair.substr(name.size() + 1));
  }
  return {};
}

}  // namespace

FakeStripe::FakeStripe(FaultPlan plan)
    : plan_(std::move(plan)), server_([this](const api::Request& request) { return handle(request); }) {}

int FakeStripe::quantity(const std::string& item) const {
  std::lock_guard lock(mutex_);
  const auto found = quantities_.find(item);
  return found == quantities_.end() ? 0 : found->second;
}

std::map<std::string, int> FakeStripe::applications() const {
  std::lock_guard lock(mutex_);
  return applications_;
}

int FakeStripe::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeStripe::edit_quantity(const std::string& item, int quantity) {
  std::lock_guard lock(mutex_);
  quantities_[item] = quantity;
}

void FakeStripe::set_status(std::string status) {
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
}

api::Response FakeStripe::handle(const api::Request& request) {
  std::lock_guard lock(mutex_);
  const int number = requests_++;
  if (request.method == "GET" && request.path().starts_with("/v1/subscriptions/")) {
    std::string data;
    for (const auto& [item, quantity] : quantities_) {
      if (!data.empty()) data += ',';
      data += std::string(R"({"object":"subscription_item","id":")") + item +
              R"(","quantity":)" + std::to_string(quantity) + "}";
    }
    return api::Response{.body = R"({"object":"subscription","status":")" + status_ +
                                 R"(","current_period_end":1893456000,"items":{"object":"list","data":[)" + data + "]}}"};
  }
  constexpr std::string_view kPrefix = "/v1/subscription_items/";
  if (request.method != "POST" || !request.path().starts_with(kPrefix)) {
    return stripe_error(404, "invalid_request_error", "Unrecognized request URL");
  }
  if (!request.header("authorization").value_or("").starts_with("Bearer sk_test_")) {
    return stripe_error(401, "invalid_request_error", "Invalid API Key provided");
  }
  if (request.header("content-type") != "application/x-www-form-urlencoded" || !request.header("stripe-version")) {
    return stripe_error(400, "invalid_request_error", "Expected a form-encoded body and a Stripe-Version");
  }
  const auto key = std::string(request.header("idempotency-key").value_or(""));
  const auto item = std::string(request.path().substr(kPrefix.size()));
  const auto params = item + "?" + request.body;
  const auto fault = plan_(number);
  if (fault == Fault::kRefused) {
    auto refused = stripe_error(400, "invalid_request_error", "No such subscription item: '" + item + "'");
    refused.headers.emplace_back("Stripe-Should-Retry", "false");
    return refused;
  }
  if (fault == Fault::kServerError) return stripe_error(500, "api_error", "Something went wrong on Stripe's end.");
  if (fault == Fault::kConflict) {
    auto conflict = stripe_error(409, "idempotency_error", "There is currently another in-progress request using this Idempotent Key.");
    conflict.headers.emplace_back("Stripe-Should-Retry", "true");
    return conflict;
  }
  if (fault == Fault::kRateLimited) {
    auto limited = stripe_error(429, "rate_limit_error", "Too many requests.");
    limited.headers.emplace_back("Retry-After", "0");
    return limited;
  }
  if (const auto stored = by_key_.find(key); !key.empty() && stored != by_key_.end()) {
    if (stored->second.params != params) {
      return stripe_error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters.");
    }
    auto replay = stored->second.response;
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  quantities_[item] = std::stoi(form_value(request.body, "quantity"));
  ++applications_[key];
  const api::Response ok{.body = R"({"object":"subscription_item","id":")" + item + R"(","quantity":)" +
                                 std::to_string(quantities_[item]) + "}"};
  if (!key.empty()) by_key_[key] = Stored{params, ok};
  if (fault == Fault::kAppliedThenLost) return stripe_error(503, "api_error", "The response was lost.");
  return ok;
}

}  // namespace leadstream::support
