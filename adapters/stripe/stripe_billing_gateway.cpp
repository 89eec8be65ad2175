#include "adapters/stripe/stripe_billing_gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <random>
#include <thread>

#include "adapters/crypto/openssl_secrets.hpp"
#include "adapters/http/curl_client.hpp"
#include "adapters/http/percent_encoding.hpp"
#include "domain/rules/deadline.hpp"
#include "domain/rules/retry.hpp"

namespace leadstream::adapters::stripe {
namespace {

using domain::Error;
using domain::ErrorCode;

bool is_stripe_id(std::string_view id) {
  return !id.empty() && id.size() <= 255 &&
         std::ranges::all_of(id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

/// Logs a Stripe error answer with Stripe's own words, and returns what a tenant may read
/// of it: the status and Stripe's machine codes. The prose can name our account, a
/// customer or a masked key, so it goes to the log only.
std::string refusal_message(const http::HttpRequest& request, const http::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  const auto* object = ec ? nullptr : body.if_object();
  const auto* error = object ? object->if_contains("error") : nullptr;
  const auto field = [&](std::string_view name) {
    const auto* value = error && error->is_object() ? error->get_object().if_contains(name) : nullptr;
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  spdlog::warn("stripe: {} {} answered HTTP {}: {}", request.method, request.url, response.status, field("message"));
  std::string codes;
  for (const auto* name : {"type", "code", "decline_code"}) {
    const auto value = field(name);
    if (!value.empty()) codes += (codes.empty() ? "" : ", ") + value;
  }
  return "Stripe answered HTTP " + std::to_string(response.status) + (codes.empty() ? "" : " (" + codes + ")") + ".";
}

bool is_transient_status(int status) { return status == 409 || status == 429 || status >= 500; }

/// Whether to try again: Stripe-Should-Retry decides when present.
bool should_retry(const http::HttpResponse& response) {
  const auto header = response.header("stripe-should-retry");
  if (header == "true") return true;
  if (header == "false") return false;
  return is_transient_status(response.status);
}

/// An application/x-www-form-urlencoded body, field by field.
class Form {
 public:
  Form& add(std::string_view name, std::string_view value) {
    if (!body_.empty()) body_ += '&';
    body_ += http::percent_encoded(name) + '=' + http::percent_encoded(value);
    return *this;
  }
  const std::string& body() const { return body_; }

 private:
  std::string body_;
};

const boost::json::object* object_at_key(const boost::json::object& object, std::string_view key) {
  const auto* found = object.if_contains(key);
  return found != nullptr && found->is_object() ? &found->as_object() : nullptr;
}

const boost::json::object* object_at(const boost::json::value* value, std::string_view key) {
  if (value == nullptr || !value->is_object()) return nullptr;
  return object_at_key(value->as_object(), key);
}

std::optional<std::string> string_at(const boost::json::object* object, std::string_view key) {
  const auto* found = object ? object->if_contains(key) : nullptr;
  if (found == nullptr || !found->is_string()) return std::nullopt;
  return std::string(found->get_string());
}

std::optional<std::int64_t> integer_at(const boost::json::object* object, std::string_view key) {
  const auto* found = object ? object->if_contains(key) : nullptr;
  if (found == nullptr || !found->is_int64()) return std::nullopt;
  return found->get_int64();
}

/// A 400 idempotency_error: the key was used before with other parameters. (A 409 of
/// that type is a request still in progress under the key, and is retried.)
bool is_idempotency_refusal(const http::HttpResponse& response) {
  if (response.status != 400) return false;
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  const auto* error = ec ? nullptr : object_at(&body, "error");
  return string_at(error, "type") == "idempotency_error";
}

/// One item of a subscription as a schedule's phase names it: by price, with its quantity
/// (none for a metered price).
struct PhaseItem {
  std::string item;
  std::string price;
  std::optional<std::int64_t> quantity;
};

/// What a schedule needs of a subscription: every item (ours and any other, such as an
/// add-on sold by hand: a phase lists the items the subscription will have, so one left
/// out is removed), the schedule it follows, and its current period.
struct SubscriptionView {
  std::vector<PhaseItem> items;
  std::optional<std::string> schedule_id;
  std::optional<std::int64_t> period_start;
  std::optional<std::int64_t> period_end;
};

/// The subscription's period bound `key`: its own field, or (from API version 2025-03-31,
/// where the period moved to the items) the earliest of its items'.
std::optional<std::int64_t> period_bound(const boost::json::object* subscription, std::string_view key) {
  if (auto own = integer_at(subscription, key)) return own;
  const auto* items = subscription ? object_at_key(*subscription, "items") : nullptr;
  const auto* data = items ? items->if_contains("data") : nullptr;
  std::optional<std::int64_t> earliest;
  if (data == nullptr || !data->is_array()) return earliest;
  for (const auto& item : data->as_array()) {
    const auto bound = integer_at(item.if_object(), key);
    if (bound && (!earliest || *bound < *earliest)) earliest = bound;
  }
  return earliest;
}

std::optional<SubscriptionView> subscription_view(const std::string& body) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  const auto* subscription = ec ? nullptr : parsed.if_object();
  if (subscription == nullptr) return std::nullopt;
  SubscriptionView view;
  const auto* items = object_at_key(*subscription, "items");
  const auto* data = items ? items->if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) return std::nullopt;
  for (const auto& entry : data->as_array()) {
    const auto* item = entry.if_object();
    const auto id = string_at(item, "id");
    const auto price = string_at(item ? object_at_key(*item, "price") : nullptr, "id");
    if (id && price) view.items.push_back(PhaseItem{*id, *price, integer_at(item, "quantity")});
  }
  // `schedule` is an id, or the schedule itself when expanded.
  view.schedule_id = string_at(subscription, "schedule");
  if (!view.schedule_id) view.schedule_id = string_at(object_at_key(*subscription, "schedule"), "id");
  view.period_start = period_bound(subscription, "current_period_start");
  view.period_end = period_bound(subscription, "current_period_end");
  return view;
}

/// Whether Stripe still applies a schedule's phases (else it was released or ended).
bool is_live_schedule(const boost::json::value& schedule) {
  const auto status = string_at(schedule.if_object(), "status");
  return status == "active" || status == "not_started";
}

std::optional<std::chrono::milliseconds> retry_after(const http::HttpResponse& response) {
  const auto header = response.header("retry-after");
  int seconds = 0;
  const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc{} || seconds < 0) return std::nullopt;
  return std::chrono::seconds{std::min(seconds, 60)};
}

/// The schedule's phases: this period with every item as it is, then the next with our
/// items at their `next` quantities and every other item as it is, after which the
/// subscription is released to go on as the last phase left it. No proration anywhere:
/// rewriting the phases must not charge the current period, and the change is at its edge.
std::string phases_form(const std::vector<PhaseItem>& items, const std::map<std::string, int>& next, std::int64_t start,
                        std::int64_t end) {
  Form form;
  form.add("end_behavior", "release").add("proration_behavior", "none");
  const auto add_phase = [&](int phase, bool changed) {
    const auto at = "phases[" + std::to_string(phase) + "]";
    int index = 0;
    for (const auto& item : items) {
      const auto entry = at + "[items][" + std::to_string(index++) + "]";
      form.add(entry + "[price]", item.price);
      const auto wanted = next.find(item.item);
      if (changed && wanted != next.end()) {
        form.add(entry + "[quantity]", std::to_string(wanted->second));
      } else if (item.quantity) {
        form.add(entry + "[quantity]", std::to_string(*item.quantity));
      }
    }
    form.add(at + "[proration_behavior]", "none");
  };
  add_phase(0, false);
  form.add("phases[0][start_date]", std::to_string(start)).add("phases[0][end_date]", std::to_string(end));
  add_phase(1, true);
  form.add("phases[1][iterations]", "1");
  return form.body();
}

}  // namespace

StripeBillingGateway::StripeBillingGateway(StripeOptions options) : options_(std::move(options)) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { (void)http::pause_unless_aborted(d); };
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
  auto response = post("/v1/subscription_items/" + update.subscription_item,
                       Form()
                           .add("quantity", std::to_string(update.quantity))
                           .add("proration_behavior", update.prorate ? "create_prorations" : "none")
                           .body(),
                       update.idempotency_key);
  if (!response) return response.error();
  return {};
}

domain::Result<domain::SubscriptionState> StripeBillingGateway::subscription(const std::string& subscription_id) {
  if (!is_stripe_id(subscription_id)) {
    return Error{ErrorCode::kUpstream, "'" + subscription_id + "' is not a Stripe subscription id"};
  }
  auto response = get("/v1/subscriptions/" + subscription_id);
  if (!response) return response.error();
  boost::system::error_code ec;
  const auto body = boost::json::parse(*response, ec);
  const auto* object = !ec ? body.if_object() : nullptr;
  const auto* status = object ? object->if_contains("status") : nullptr;
  const auto* items = object ? object->if_contains("items") : nullptr;
  const auto* data = items && items->is_object() ? items->as_object().if_contains("data") : nullptr;
  if (!status || !status->is_string() || !data || !data->is_array()) {
    return Error{ErrorCode::kUnavailable, "Stripe's subscription was not readable"};
  }
  domain::SubscriptionState state{std::string(status->get_string()), {}, std::nullopt};
  if (const auto end = period_bound(object, "current_period_end")) {
    state.current_period_end = domain::Timestamp{std::chrono::seconds{*end}};
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

domain::Result<http::HttpResponse> StripeBillingGateway::post(const std::string& path, const std::string& form,
                                                              const std::string& idempotency_key) {
  auto answer = send_post(path, form, idempotency_key);
  // Our key was used before with other parameters (the period moved, an item changed
  // while the change waited): not a refusal, but a new request, under a key of its own.
  if (!answer && answer.error().code == ErrorCode::kConflict) {
    const auto digest = domain::to_hex(crypto::OpenSslSecrets().sha256(path + '?' + form)).substr(0, 16);
    answer = send_post(path, form, idempotency_key + "-" + digest);
    if (!answer && answer.error().code == ErrorCode::kConflict)
      return Error{ErrorCode::kUpstream, answer.error().message};
  }
  return answer;
}

domain::Result<http::HttpResponse> StripeBillingGateway::send_post(const std::string& path, const std::string& form,
                                                                   const std::string& idempotency_key) {
  return send_with_retries(http::HttpRequest{
      .method = "POST",
      .url = options_.base_url + path,
      .headers = {{"Authorization", "Bearer " + options_.api_key},
                  {"Stripe-Version", options_.api_version},
                  {"Idempotency-Key", idempotency_key},
                  {"Content-Type", "application/x-www-form-urlencoded"}},
      .body = form,
      .timeout = options_.timeout,
  });
}

domain::Result<std::string> StripeBillingGateway::get(const std::string& path) {
  auto response = send_with_retries(http::HttpRequest{
      .method = "GET",
      .url = options_.base_url + path,
      .headers = {{"Authorization", "Bearer " + options_.api_key}, {"Stripe-Version", options_.api_version}},
      .timeout = options_.timeout,
  });
  if (!response) return response.error();
  return std::move(response->body);
}

domain::Result<std::string> StripeBillingGateway::schedule_period_end(const domain::PeriodEndChange& change) {
  const auto all_ids_valid = is_stripe_id(change.subscription_id) &&
                             (!change.schedule_id || is_stripe_id(*change.schedule_id)) &&
                             std::ranges::all_of(change.now, [](const auto& item) { return is_stripe_id(item.first); });
  if (!all_ids_valid) return Error{ErrorCode::kUpstream, "the subscription's ids are not Stripe ids"};
  auto subscription_body = get("/v1/subscriptions/" + change.subscription_id);
  if (!subscription_body) return subscription_body.error();
  const auto subscription = subscription_view(*subscription_body);
  if (!subscription) return Error{ErrorCode::kUnavailable, "Stripe's subscription was not readable"};
  // A phase with no items is refused, and asking again would not give it any.
  if (subscription->items.empty()) return Error{ErrorCode::kUpstream, "Stripe's subscription has no items"};

  // A schedule Stripe still applies, by id; nullopt for none, or one released or ended.
  const auto live_schedule =
      [this](const std::optional<std::string>& id) -> domain::Result<std::optional<boost::json::value>> {
    if (!id || !is_stripe_id(*id)) return std::optional<boost::json::value>();
    auto body = get("/v1/subscription_schedules/" + *id);
    // Refused (no such schedule any more): none. Whatever made it refuse shows in the next call.
    if (!body && body.error().code == ErrorCode::kUpstream) return std::optional<boost::json::value>();
    if (!body) return body.error();
    boost::system::error_code ec;
    auto found = boost::json::parse(*body, ec);
    if (ec || !is_live_schedule(found)) return std::optional<boost::json::value>();
    return std::optional<boost::json::value>(std::move(found));
  };
  // The schedule made before, while Stripe still follows it; else the one the subscription
  // follows now (made in the dashboard, or by us with its id lost: a subscription takes one
  // schedule, so making another would be refused for good); else a new one, made from the
  // subscription (its one phase: the current period, as it is).
  auto schedule = live_schedule(change.schedule_id);
  if (schedule && !*schedule && subscription->schedule_id != change.schedule_id) {
    schedule = live_schedule(subscription->schedule_id);
  }
  if (!schedule) return schedule.error();
  if (!*schedule) {
    auto made = post("/v1/subscription_schedules", Form().add("from_subscription", change.subscription_id).body(),
                     change.idempotency_key + "-schedule");
    if (!made) return made.error();
    boost::system::error_code ec;
    *schedule = boost::json::parse(made->body, ec);
    if (ec) return Error{ErrorCode::kUnavailable, "Stripe's subscription schedule was not readable"};
  }
  const auto schedule_id = string_at((*schedule)->if_object(), "id");
  // The current phase's dates, which an update must keep; a schedule that has not started
  // has none, and its first phase is then the subscription's period.
  const auto* current = object_at(&**schedule, "current_phase");
  const auto start = current ? integer_at(current, "start_date") : subscription->period_start;
  const auto end = current ? integer_at(current, "end_date") : subscription->period_end;
  if (!schedule_id || !start || !end) {
    return Error{ErrorCode::kUpstream, "Stripe's subscription schedule has no current phase and the subscription no "
                                       "period to start one from"};
  }
  auto updated = post("/v1/subscription_schedules/" + *schedule_id,
                      phases_form(subscription->items, change.next, *start, *end), change.idempotency_key + "-phases");
  if (!updated) return updated.error();
  return *schedule_id;
}

domain::Result<void> StripeBillingGateway::release_schedule(const std::string& schedule_id,
                                                            const std::string& idempotency_key) {
  if (!is_stripe_id(schedule_id))
    return Error{ErrorCode::kUpstream, "'" + schedule_id + "' is not a Stripe schedule id"};
  auto body = get("/v1/subscription_schedules/" + schedule_id);
  if (!body) return body.error();
  boost::system::error_code ec;
  if (const auto schedule = boost::json::parse(*body, ec); !ec && !is_live_schedule(schedule)) return {};
  auto released = post("/v1/subscription_schedules/" + schedule_id + "/release", "", idempotency_key + "-release");
  if (!released) return released.error();
  return {};
}

std::unique_ptr<http::CurlHttpClient> StripeBillingGateway::borrow_client() {
  std::lock_guard lock(mutex_);
  if (idle_clients_.empty()) return std::make_unique<http::CurlHttpClient>();
  auto client = std::move(idle_clients_.back());
  idle_clients_.pop_back();
  return client;
}

void StripeBillingGateway::return_client(std::unique_ptr<http::CurlHttpClient> client) {
  std::lock_guard lock(mutex_);
  idle_clients_.push_back(std::move(client));  // as many as calls ever ran at once: a handful
}

double StripeBillingGateway::unit_random() {
  std::lock_guard lock(mutex_);
  return options_.unit_random();
}

domain::Result<http::HttpResponse> StripeBillingGateway::send_with_retries(const http::HttpRequest& request) {
  struct Borrowed {
    StripeBillingGateway& gateway;
    std::unique_ptr<http::CurlHttpClient> client;
    ~Borrowed() { gateway.return_client(std::move(client)); }
  } borrowed{*this, borrow_client()};
  Error last{ErrorCode::kUnavailable, "Stripe was not reached"};
  std::optional<std::chrono::milliseconds> asked_wait;  // Retry-After of the last answer
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      const auto delay =
          asked_wait.value_or(domain::backoff_delay(attempt, unit_random(), options_.base_delay, options_.max_delay));
      if (!domain::RequestDeadline::allows(delay)) break;  // an API request waits: the outbox retries later
      options_.sleep(delay);
    }
    auto response = borrowed.client->send(request);
    if (!response) {
      last = Error{ErrorCode::kUnavailable, "Stripe unreachable: " + response.error().message};
      continue;
    }
    if (response->status >= 200 && response->status < 300) return std::move(*response);
    const auto message = refusal_message(request, *response);
    if (!should_retry(*response)) {
      auto code = is_transient_status(response->status) ? ErrorCode::kUnavailable : ErrorCode::kUpstream;
      if (is_idempotency_refusal(*response)) code = ErrorCode::kConflict;
      return Error{code, message};
    }
    last = Error{ErrorCode::kUnavailable, message};
    asked_wait = retry_after(*response);
  }
  return last;
}

domain::Error UnconfiguredBillingGateway::unconfigured() {
  spdlog::error("stripe: a team is billed through Stripe, but LEADSTREAM_STRIPE_API_KEY is not set");
  return Error{ErrorCode::kUpstream, "Billing through Stripe is not set up on this server: ask its operator."};
}

}  // namespace leadstream::adapters::stripe
