#include "domain/use_cases/webhooks.hpp"

#include <algorithm>

#include "domain/model/time.hpp"

namespace leadstream::domain {
namespace {

Error webhook_not_found() { return Error{ErrorCode::kNotFound, "Webhook subscription not found."}; }

/// What one attempt's answer means for the delivery.
DeliveryAttempt judge(DeliveryDeps deps, const DeliverySettings& settings, const Delivery& delivery,
                      const Result<WebhookResponse>& sent) {
  DeliveryAttempt attempt{.id = delivery.id};
  if (sent) {
    attempt.status_code = sent->status_code;
    attempt.latency_ms = sent->latency_ms;
    attempt.response_excerpt = sent->excerpt;
    if (sent->status_code >= 200 && sent->status_code < 300) {
      attempt.outcome = DeliveryAttempt::Outcome::kDelivered;
      return attempt;
    }
    if (sent->status_code == 410) {
      attempt.outcome = DeliveryAttempt::Outcome::kUnsubscribed;
      attempt.error = "The receiver answered 410 Gone: unsubscribed.";
      return attempt;
    }
    attempt.error = "The receiver answered " + std::to_string(sent->status_code) +
                    (sent->status_code >= 300 && sent->status_code < 400 ? " (redirects are not followed)" : "");
  } else {
    attempt.error = sent.error().message;
  }
  if (delivery.attempts + 1 >= settings.max_attempts) {
    attempt.outcome = DeliveryAttempt::Outcome::kFailed;
    attempt.error += "; gave up after " + std::to_string(settings.max_attempts) + " attempts";
    return attempt;
  }
  attempt.outcome = DeliveryAttempt::Outcome::kRetry;
  attempt.next_attempt_at = deps.clock.now() + std::chrono::duration_cast<std::chrono::microseconds>(
                                                   delivery_backoff(delivery.attempts + 1, deps.unit_random()));
  return attempt;
}

}  // namespace

Result<Subscribed> subscribe_webhook(WebhookDeps deps, TeamId team, const std::string& url,
                                     const WebhookFilter& filter) {
  const auto secret = deps.secrets.webhook_secret();
  auto subscribed = deps.store.subscribe(team, url, filter, deps.secrets.seal(secret));
  if (!subscribed) return subscribed.error();
  if (subscribed->created) subscribed->secret = secret;  // shown this once; stored sealed
  return subscribed;
}

Result<void> unsubscribe_webhook(WebhookDeps deps, TeamId team, WebhookId id) {
  auto removed = deps.store.unsubscribe(team, id);
  if (!removed) return removed.error();
  if (!*removed) return webhook_not_found();
  return {};
}

Result<DeliveryId> test_webhook(WebhookDeps deps, TeamId team, WebhookId id) {
  auto subscription = deps.store.subscription(team, id);
  if (!subscription) return subscription.error();
  if (!*subscription) return webhook_not_found();
  const auto at = format_rfc3339(deps.clock.now());
  return deps.store.queue_test(
      team, id,
      R"({"type":"webhook.test","timestamp":")" + at + R"(","data":{"webhookId":)" + std::to_string(id.value) + "}}");
}

Result<int> deliver_due(DeliveryDeps deps, const DeliverySettings& settings) {
  auto claimed = deps.store.claim(settings.owner, settings.lease, settings.batch);
  if (!claimed) return claimed.error();
  if (claimed->empty()) return 0;
  const auto now = deps.clock.now();
  std::vector<DeliveryAttempt> attempts(claimed->size());
  std::vector<WebhookMessage> messages;
  std::vector<std::size_t> sent;  // the index in `claimed` of each message
  for (std::size_t i = 0; i < claimed->size(); ++i) {
    const auto& delivery = (*claimed)[i];
    std::optional<std::string> rendered;
    if (!delivery.body) {
      auto body = deps.payloads.render(delivery, now);
      if (!body) {
        attempts[i] = judge(deps, settings, delivery, body.error());
        continue;
      }
      rendered = std::move(*body);
    }
    auto secret = deps.secrets.unseal(delivery.secret);
    if (!secret) {
      attempts[i] = judge(deps, settings, delivery, secret.error());
      continue;
    }
    attempts[i].body = rendered;  // kept with the outcome, so that retries send the same bytes
    messages.push_back({delivery.target_url, std::move(*secret), delivery.message_id, now,
                        rendered ? std::move(*rendered) : std::string(*delivery.body)});
    sent.push_back(i);
  }
  const auto responses = messages.empty() ? std::vector<Result<WebhookResponse>>{} : deps.sender.send(messages);
  for (std::size_t k = 0; k < sent.size(); ++k) {
    auto body = std::move(attempts[sent[k]].body);
    attempts[sent[k]] = judge(deps, settings, (*claimed)[sent[k]], responses.at(k));
    attempts[sent[k]].body = std::move(body);
  }
  if (auto recorded = deps.store.record(settings.owner, attempts); !recorded) return recorded.error();
  return static_cast<int>(attempts.size());
}

std::chrono::milliseconds delivery_backoff(int attempts, double unit_random) {
  constexpr std::chrono::milliseconds kFirst{5'000};
  constexpr std::chrono::milliseconds kCap{4 * 3'600'000};
  const int doublings = std::clamp(attempts - 1, 0, 20);
  const std::chrono::milliseconds delay =
      std::min<std::chrono::milliseconds>(kCap, kFirst * (std::int64_t{1} << doublings));
  const double jittered = static_cast<double>(delay.count()) * (0.75 + 0.5 * unit_random);
  return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(jittered)};
}

}  // namespace leadstream::domain
