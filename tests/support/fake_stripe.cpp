#include "support/fake_stripe.hpp"

#include <charconv>

namespace leadstream::support {
namespace {

// The current period of the fake's one subscription, in Unix seconds.
constexpr std::int64_t kPeriodStart = 1'890'777'600;
constexpr std::int64_t kPeriodEnd = 1'893'456'000;

api::Response stripe_error(int status, std::string_view type, std::string_view message,
                           std::string_view code = "resource_missing") {
  return api::Response{.status = status,
                       .body = R"({"error":{"type":")" + std::string(type) + R"(","code":")" + std::string(code) +
                               R"(","message":")" + std::string(message) + R"("}})"};
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

/// A subscription's items (`period`: each item's current period, as from API version
/// 2025-03-31), or a phase's.
std::string items_json(const std::map<std::string, int>& quantities, bool with_ids, const std::string& period = {}) {
  std::string out;
  for (const auto& [key, quantity] : quantities) {
    if (!out.empty()) out += ',';
    out += with_ids ? R"({"object":"subscription_item","id":")" + key + R"(","price":{"id":")" + price_of(key) +
                          R"(","object":"price"},"quantity":)" + std::to_string(quantity) + period + "}"
                    : R"({"price":")" + key + R"(","quantity":)" + std::to_string(quantity) + "}";
  }
  return "[" + out + "]";
}

std::string period_json() {
  return R"(,"current_period_start":)" + std::to_string(kPeriodStart) + R"(,"current_period_end":)" +
         std::to_string(kPeriodEnd);
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
  const auto schedule = attached_schedule_ ? "\"" + *attached_schedule_ + "\"" : std::string("null");
  const bool on_items = period_on_items_only_;
  return api::Response{.body = R"({"object":"subscription","id":"sub_1","status":")" + status_ + "\"" +
                               (on_items ? "" : period_json()) + R"(,"schedule":)" + schedule +
                               R"(,"items":{"object":"list","data":)" +
                               items_json(quantities_, true, on_items ? period_json() : "") + "}}"};
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
  std::string phases;
  for (std::size_t i = 0; i < schedule.phases.size(); ++i) {
    if (!phases.empty()) phases += ',';
    phases += R"({"items":)" + items_json(schedule.phases[i], false) + "}";
  }
  const auto current = schedule.status == "active" ? R"({"start_date":)" + std::to_string(kPeriodStart) +
                                                         R"(,"end_date":)" + std::to_string(kPeriodEnd) + "}"
                                                   : std::string("null");
  return api::Response{.body = R"({"object":"subscription_schedule","id":")" + id + R"(","status":")" +
                               schedule.status + R"(","current_phase":)" + current + R"(,"phases":[)" + phases + "]}"};
}

api::Response FakeStripe::handle(const api::Request& request) {
  std::lock_guard lock(mutex_);
  const int number = requests_++;
  if (!request.header("authorization").value_or("").starts_with("Bearer sk_test_")) {
    return stripe_error(401, "invalid_request_error", "Invalid API Key provided");
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
  if (fault == Fault::kServerError) return stripe_error(500, "api_error", "Something went wrong on Stripe's end.");
  if (fault == Fault::kConflict) {
    auto conflict = stripe_error(409, "idempotency_error",
                                 "There is currently another in-progress request using this Idempotent Key.");
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
      return stripe_error(400, "idempotency_error",
                          "Keys for idempotent requests can only be used with the same parameters.");
    }
    auto replay = stored->second.response;
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  auto answer = act(path, request.body);
  if (answer.status != 200) return answer;
  ++applications_[key];
  if (!key.empty()) by_key_[key] = Stored{params, answer};
  if (fault == Fault::kAppliedThenLost) return stripe_error(503, "api_error", "The response was lost.");
  return answer;
}

/// A POST that passed the checks: what it does, and Stripe's answer.
api::Response FakeStripe::act(const std::string& path, const std::string& form) {
  constexpr std::string_view kItems = "/v1/subscription_items/";
  if (path.starts_with(kItems)) {
    const auto item = path.substr(kItems.size());
    quantities_[item] = std::stoi(form_value(form, "quantity"));
    return api::Response{.body = R"({"object":"subscription_item","id":")" + item + R"(","quantity":)" +
                                 std::to_string(quantities_[item]) + "}"};
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
