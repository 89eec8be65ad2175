#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/ports/billing.hpp"

namespace leadstream::adapters::http {
class CurlHttpClient;
struct HttpRequest;
struct HttpResponse;
}  // namespace leadstream::adapters::http

namespace leadstream::adapters::stripe {

struct StripeOptions {
  std::string base_url = "https://api.stripe.com";
  std::string api_key;
  std::string api_version = "2024-06-20";  // pinned: responses keep the shape we parse
  int max_attempts = 4;                    // per call; the outbox retries beyond that
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{8'000};
  std::chrono::milliseconds timeout{15'000};
  std::function<void(std::chrono::milliseconds)> sleep;  // default: this thread sleeps
  std::function<double()> unit_random;                   // default: a seeded generator
};

/// Sets subscription item quantities through Stripe's API (form-encoded POSTs, pinned
/// version, one Idempotency-Key per change reused by every retry), and schedules
/// period-end changes through subscription schedules. Retries network
/// errors, 409, 429 and 5xx with capped exponential backoff and jitter, honouring
/// Retry-After and Stripe-Should-Retry. Thread-safe: each call borrows a curl handle of
/// its own, so no lock is held while Stripe answers or while a retry waits. A refusal's
/// prose goes to the log; callers (and so tenants) get its status and Stripe's codes.
class StripeBillingGateway final : public domain::BillingGateway {
 public:
  explicit StripeBillingGateway(StripeOptions options);
  ~StripeBillingGateway() override;

  // domain::BillingGateway
  domain::Result<void> set_quantity(const domain::QuantityUpdate& update) override;
  domain::Result<domain::SubscriptionState> subscription(const std::string& subscription_id) override;
  domain::Result<std::string> schedule_period_end(const domain::PeriodEndChange& change) override;
  domain::Result<void> release_schedule(const std::string& schedule_id, const std::string& idempotency_key) override;

 private:
  /// A form-encoded POST to `path` with the key, version and idempotency key; when Stripe
  /// says the key went with other parameters before, once more under a key derived from
  /// these.
  domain::Result<http::HttpResponse> post(const std::string& path, const std::string& form,
                                          const std::string& idempotency_key);
  /// One POST with its retries: kConflict for an idempotency_error.
  domain::Result<http::HttpResponse> send_post(const std::string& path, const std::string& form,
                                               const std::string& idempotency_key);
  /// A GET of `path`: the body of Stripe's 2xx answer.
  domain::Result<std::string> get(const std::string& path);

  /// Sends with the retry policy; the final answer, or why none came.
  domain::Result<http::HttpResponse> send_with_retries(const http::HttpRequest& request);

  std::unique_ptr<http::CurlHttpClient> borrow_client();
  void return_client(std::unique_ptr<http::CurlHttpClient> client);
  double unit_random();

  StripeOptions options_;
  std::mutex mutex_;  // guards idle_clients_ and options_.unit_random, never held across a call
  std::vector<std::unique_ptr<http::CurlHttpClient>> idle_clients_;
};

/// When no Stripe key is configured: teams mapped to a subscription fail visibly.
class UnconfiguredBillingGateway final : public domain::BillingGateway {
 public:
  // domain::BillingGateway
  domain::Result<void> set_quantity(const domain::QuantityUpdate&) override { return unconfigured(); }
  domain::Result<domain::SubscriptionState> subscription(const std::string&) override { return unconfigured(); }
  domain::Result<std::string> schedule_period_end(const domain::PeriodEndChange&) override { return unconfigured(); }
  domain::Result<void> release_schedule(const std::string&, const std::string&) override { return unconfigured(); }

 private:
  /// The tenant is told billing is not set up; the operator, in the log, what to set.
  static domain::Error unconfigured();
};

}  // namespace leadstream::adapters::stripe
