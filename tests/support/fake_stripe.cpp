#include "support/fake_stripe.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "support/answer_log.hpp"

namespace leadstream::support {
namespace {

// The current period of the fake's one subscription, in Unix seconds, and when it began.
constexpr std::int64_t kPeriodStart = 1'890'777'600;
constexpr std::int64_t kPeriodEnd = 1'893'456'000;
constexpr std::int64_t kNextPeriodEnd = 1'896'134'400;
constexpr std::int64_t kCreated = 1'885'420'800;

/// Stripe's error object; `code` omitted when empty, as Stripe omits it.
api::Response stripe_error(int status, std::string_view type, std::string_view message,
                           std::string_view code = "resource_missing") {
  boost::json::object error{{"type", type}, {"message", message}};
  if (!code.empty()) error["code"] = code;
  return api::Response{.status = status, .body = boost::json::serialize(boost::json::object{{"error", error}})};
}

api::Response json_response(const boost::json::object& body) {
  return api::Response{.body = boost::json::serialize(body)};
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      int byte = 0;
      std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16);
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// The form's fields, names and values decoded, in order.
std::vector<std::pair<std::string, std::string>> form_fields(std::string_view form) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!form.empty()) {
    const auto end = std::min(form.find('&'), form.size());
    const auto pair = form.substr(0, end);
    form.remove_prefix(std::min(end + 1, form.size()));
    const auto equals = std::min(pair.find('='), pair.size());
    fields.emplace_back(percent_decoded(pair.substr(0, equals)),
                        percent_decoded(pair.substr(std::min(equals + 1, pair.size()))));
  }
  return fields;
}

std::string form_value(std::string_view form, std::string_view name) {
  for (const auto& [field, value] : form_fields(form)) {
    if (field == name) return value;
  }
  return {};
}

std::string price_of(const std::string& item) { return "price_" + item; }

boost::json::object price_json(const std::string& item) {
  return {{"id", price_of(item)},      {"object", "price"},  {"active", true},    {"billing_scheme", "per_unit"},
          {"created", kCreated},       {"currency", "usd"},  {"livemode", false}, {"metadata", boost::json::object{}},
          {"product", "prod_" + item}, {"type", "recurring"}};
}

/// A subscription item; with its own period as from API version 2025-03-31 when `period`.
boost::json::object item_json(const std::string& item, int quantity, bool period) {
  boost::json::object out{{"id", item},
                          {"object", "subscription_item"},
                          {"created", kCreated},
                          {"discounts", boost::json::array{}},
                          {"metadata", boost::json::object{}},
                          {"price", price_json(item)},
                          {"quantity", quantity},
                          {"subscription", "sub_1"}};
  if (period) {
    out["current_period_start"] = kPeriodStart;
    out["current_period_end"] = kPeriodEnd;
  }
  return out;
}

/// A schedule's phase: its items by price, from `start` to `end`.
boost::json::object phase_json(const std::map<std::string, int>& quantities, std::int64_t start, std::int64_t end) {
  boost::json::array items;
  for (const auto& [price, quantity] : quantities) {
    items.push_back({{"discounts", boost::json::array{}}, {"price", price}, {"quantity", quantity}});
  }
  return {{"add_invoice_items", boost::json::array{}},
          {"currency", "usd"},
          {"discounts", boost::json::array{}},
          {"end_date", end},
          {"items", std::move(items)},
          {"proration_behavior", "none"},
          {"start_date", start}};
}

}  // namespace

FakeStripe::FakeStripe(FaultPlan plan)
    : plan_(std::move(plan)), server_([this](const api::Request& request) {
        auto response = handle(request);
        // Answers shaped as a later API version are not the pinned version's, which the
        // published contract checks.
        if (!period_on_items_only_) note_exchange("stripe", request, response);
        return response;
      }) {}

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

std::optional<int> FakeStripe::scheduled_quantity(const std::string& item) const {
  std::lock_guard lock(mutex_);
  if (!attached_schedule_) return std::nullopt;
  const auto& phases = schedules_.at(*attached_schedule_).phases;
  if (phases.size() < 2) return std::nullopt;
  const auto found = phases[1].find(price_of(item));
  return found == phases[1].end() ? 0 : found->second;
}

void FakeStripe::end_period() {
  std::lock_guard lock(mutex_);
  if (!attached_schedule_) return;
  auto& schedule = schedules_.at(*attached_schedule_);
  if (schedule.phases.size() >= 2) {
    for (auto& [item, quantity] : quantities_) {
      const auto found = schedule.phases[1].find(price_of(item));
      quantity = found == schedule.phases[1].end() ? 0 : found->second;
    }
  }
  schedule.status = "released";  // its last phase began, with end_behavior release
  attached_schedule_.reset();
}

std::map<std::string, std::string> FakeStripe::last_form(const std::string& path) const {
  std::map<std::string, std::string> fields;
  for (const auto& request : server_.requests()) {
    if (request.method != "POST" || request.path() != path) continue;
    fields.clear();
    for (auto& [name, value] : form_fields(request.body)) fields[name] = std::move(value);
  }
  return fields;
}

api::Response FakeStripe::subscription_json() const {
  const bool on_items = period_on_items_only_;
  boost::json::array items;
  for (const auto& [item, quantity] : quantities_) items.push_back(item_json(item, quantity, on_items));
  boost::json::object subscription{
      {"id", "sub_1"},
      {"object", "subscription"},
      {"automatic_tax", {{"enabled", false}}},
      {"billing_cycle_anchor", kCreated},
      {"cancel_at_period_end", false},
      {"collection_method", "charge_automatically"},
      {"created", kCreated},
      {"currency", "usd"},
      {"customer", "cus_1"},
      {"discounts", boost::json::array{}},
      {"invoice_settings", {{"issuer", {{"type", "self"}}}}},
      {"items",
       {{"object", "list"}, {"data", std::move(items)}, {"has_more", false}, {"url", "/v1/subscription_items"}}},
      {"livemode", false},
      {"metadata", boost::json::object{}},
      {"start_date", kCreated},
      {"status", status_}};
  subscription["schedule"] = attached_schedule_ ? boost::json::value(*attached_schedule_) : boost::json::value(nullptr);
  if (!on_items) {
    subscription["current_period_start"] = kPeriodStart;
    subscription["current_period_end"] = kPeriodEnd;
  }
  return json_response(subscription);
}

std::string FakeStripe::attach_schedule(const std::string& status) {
  std::lock_guard lock(mutex_);
  const auto id = "sub_sched_" + std::to_string(schedules_.size() + 1);
  Schedule schedule;
  schedule.status = status;
  schedule.phases.emplace_back();
  for (const auto& [item, quantity] : quantities_) schedule.phases[0][price_of(item)] = quantity;
  schedules_[id] = schedule;
  attached_schedule_ = id;
  return id;
}

api::Response FakeStripe::schedule_json(const std::string& id) const {
  const auto found = schedules_.find(id);
  if (found == schedules_.end()) return stripe_error(404, "invalid_request_error", "No such subscription_schedule");
  const auto& schedule = found->second;
  boost::json::array phases;
  for (std::size_t i = 0; i < schedule.phases.size(); ++i) {
    phases.push_back(i == 0 ? phase_json(schedule.phases[i], kPeriodStart, kPeriodEnd)
                            : phase_json(schedule.phases[i], kPeriodEnd, kNextPeriodEnd));
  }
  const bool attached = attached_schedule_ == id;
  boost::json::object body{
      {"id", id},
      {"object", "subscription_schedule"},
      {"created", kPeriodStart},
      {"customer", "cus_1"},
      {"default_settings",
       {{"billing_cycle_anchor", "automatic"}, {"invoice_settings", {{"issuer", {{"type", "self"}}}}}}},
      {"end_behavior", "release"},
      {"livemode", false},
      {"phases", std::move(phases)},
      {"status", schedule.status},
      {"subscription", attached ? boost::json::value("sub_1") : boost::json::value(nullptr)}};
  body["current_phase"] = schedule.status == "active"
                              ? boost::json::value{{"start_date", kPeriodStart}, {"end_date", kPeriodEnd}}
                              : boost::json::value(nullptr);
  if (schedule.status == "released") {
    body["released_at"] = kPeriodStart;
    body["released_subscription"] = "sub_1";
  }
  return json_response(body);
}

api::Response FakeStripe::handle(const api::Request& request) {
  std::lock_guard lock(mutex_);
  const int number = requests_++;
  if (!request.header("authorization").value_or("").starts_with("Bearer sk_test_")) {
    return stripe_error(401, "invalid_request_error", "Invalid API Key provided", "");
  }
  const auto path = std::string(request.path());
  if (request.method == "GET" && path.starts_with("/v1/subscriptions/")) return subscription_json();
  constexpr std::string_view kSchedules = "/v1/subscription_schedules";
  if (request.method == "GET" && path.starts_with(std::string(kSchedules) + "/")) {
    return schedule_json(path.substr(kSchedules.size() + 1));
  }
  if (request.method != "POST" || !(path.starts_with("/v1/subscription_items/") || path.starts_with(kSchedules))) {
    return stripe_error(404, "invalid_request_error", "Unrecognized request URL");
  }
  if (request.header("content-type") != "application/x-www-form-urlencoded" || !request.header("stripe-version")) {
    return stripe_error(400, "invalid_request_error", "Expected a form-encoded body and a Stripe-Version");
  }
  const auto key = std::string(request.header("idempotency-key").value_or(""));
  const auto params = path + "?" + request.body;
  const auto fault = plan_(number);
  if (fault == Fault::kRefused) {
    const auto object = path.substr(path.find_last_of('/') + 1);
    const auto kind = path.starts_with("/v1/subscription_items/") ? "subscription item" : "subscription schedule";
    auto refused = stripe_error(400, "invalid_request_error", "No such " + std::string(kind) + ": '" + object + "'");
    refused.headers.emplace_back("Stripe-Should-Retry", "false");
    return refused;
  }
  if (fault == Fault::kServerError) return stripe_error(500, "api_error", "Something went wrong on Stripe's end.", "");
  if (fault == Fault::kConflict) {
    auto conflict = stripe_error(409, "idempotency_error",
                                 "There is currently another in-progress request using this Idempotent Key.",
                                 "idempotency_key_in_use");
    conflict.headers.emplace_back("Stripe-Should-Retry", "true");
    return conflict;
  }
  if (fault == Fault::kRateLimited) {
    auto limited = stripe_error(429, "invalid_request_error", "Request rate limit exceeded.", "rate_limit");
    limited.headers.emplace_back("Retry-After", "0");
    return limited;
  }
  if (const auto stored = by_key_.find(key); !key.empty() && stored != by_key_.end()) {
    if (stored->second.params != params) {
      return stripe_error(400, "idempotency_error",
                          "Keys for idempotent requests can only be used with the same parameters.", "");
    }
    auto replay = stored->second.response;
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  auto answer = act(path, request.body);
  if (answer.status != 200) return answer;
  ++applications_[key];
  if (!key.empty()) by_key_[key] = Stored{params, answer};
  if (fault == Fault::kAppliedThenLost) return stripe_error(503, "api_error", "The response was lost.", "");
  return answer;
}

/// A POST that passed the checks: what it does, and Stripe's answer.
api::Response FakeStripe::act(const std::string& path, const std::string& form) {
  constexpr std::string_view kItems = "/v1/subscription_items/";
  if (path.starts_with(kItems)) {
    const auto item = path.substr(kItems.size());
    quantities_[item] = std::stoi(form_value(form, "quantity"));
    return json_response(item_json(item, quantities_[item], period_on_items_only_));
  }
  constexpr std::string_view kSchedules = "/v1/subscription_schedules";
  if (path == kSchedules) {
    if (form_value(form, "from_subscription").empty()) {
      return stripe_error(400, "invalid_request_error", "Missing required param: from_subscription.");
    }
    if (attached_schedule_) {
      return stripe_error(400, "invalid_request_error", "The subscription is already attached to a schedule.");
    }
    const auto id = "sub_sched_" + std::to_string(schedules_.size() + 1);
    Schedule schedule;
    schedule.phases.emplace_back();
    for (const auto& [item, quantity] : quantities_) schedule.phases[0][price_of(item)] = quantity;
    schedules_[id] = schedule;
    attached_schedule_ = id;
    return schedule_json(id);
  }
  auto id = path.substr(kSchedules.size() + 1);
  const bool release = id.ends_with("/release");
  if (release) id.resize(id.size() - std::string_view("/release").size());
  const auto found = schedules_.find(id);
  if (found == schedules_.end()) return stripe_error(404, "invalid_request_error", "No such subscription_schedule");
  auto& schedule = found->second;
  if (schedule.status != "active" && schedule.status != "not_started") {
    return stripe_error(400, "invalid_request_error",
                        "You cannot update a subscription schedule that is " + schedule.status + ".");
  }
  if (release) {
    schedule.status = "released";
    attached_schedule_.reset();
    return schedule_json(id);
  }
  // phases[P][items][I][price|quantity], phases[P][start_date], ...
  std::vector<std::map<std::string, std::string>> items_of;  // per phase: "I.price" -> value
  std::vector<std::map<std::string, int>> phases;
  std::string start;
  for (const auto& [name, value] : form_fields(form)) {
    int phase = 0;
    if (!name.starts_with("phases[")) continue;
    std::from_chars(name.data() + 7, name.data() + name.size(), phase);
    if (phase < 0 || phase > 10) return stripe_error(400, "invalid_request_error", "Invalid phases.");
    if (static_cast<int>(items_of.size()) <= phase) items_of.resize(phase + 1);
    const auto rest = name.substr(name.find(']') + 1);
    if (rest == "[start_date]" && phase == 0) start = value;
    if (rest.starts_with("[items][")) items_of[phase][rest.substr(8)] = value;
  }
  if (start != std::to_string(kPeriodStart)) {
    return stripe_error(400, "invalid_request_error", "You can not modify the start date of the current phase.");
  }
  for (std::size_t index = 0; index < items_of.size(); ++index) {
    const auto& entries = items_of[index];
    if (entries.empty()) {
      return stripe_error(400, "invalid_request_error",
                          "Missing required param: phases[" + std::to_string(index) + "][items].", "parameter_missing");
    }
    std::map<std::string, int> phase;
    for (const auto& [slot, price] : entries) {
      if (!slot.ends_with("][price]")) continue;
      const auto slot_index = slot.substr(0, slot.find(']'));
      const auto quantity = entries.find(slot_index + "][quantity]");
      if (!price.starts_with("price_") || !quantities_.contains(price.substr(6))) {
        return stripe_error(400, "invalid_request_error", "No such price: '" + price + "'");
      }
      phase[price] = quantity == entries.end() ? 1 : std::stoi(quantity->second);
    }
    phases.push_back(std::move(phase));
  }
  schedule.phases = std::move(phases);
  return schedule_json(id);
}

}  // namespace leadstream::support
