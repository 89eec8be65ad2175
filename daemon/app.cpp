#include "daemon/app.hpp"

#include "adapters/postgres/migrations.hpp"
#include "adapters/stripe/stripe_billing_gateway.hpp"

#include <random>

namespace leadstream::daemon {
namespace {

std::unique_ptr<domain::BillingGateway> make_billing_gateway(const Config& config) {
  if (config.stripe_api_key.empty()) return std::make_unique<adapters::stripe::UnconfiguredBillingGateway>();
  return std::make_unique<adapters::stripe::StripeBillingGateway>(
      adapters::stripe::StripeOptions{.base_url = config.stripe_base_url, .api_key = config.stripe_api_key});
}

}  // namespace

App::App(const Config& config)
    : config_(config),
      // One connection per worker, and one spare for the command line and probes.
      pool_(config.database_url, config.workers + 1),
      teams_(pool_),
      api_keys_(pool_),
      credits_(pool_),
      readiness_(pool_, adapters::postgres::embedded_migrations().back().version),
      campaign_transactions_(pool_),
      me_(domain::DescribeMeDeps{teams_, credits_, campaign_transactions_, clock_}, kReadCacheTtl),
      idempotency_(pool_),
      preferences_(pool_),
      billing_outbox_(pool_),
      billing_gateway_(make_billing_gateway(config)),
      authenticator_(api_keys_, secrets_, clock_, kReadCacheTtl),
      rate_limiter_(config.rate_limit_per_minute),
      router_(api::ApiDeps{authenticator_, rate_limiter_, api_keys_, me_,
                           campaigns(), preferences_, idempotency_,
                           billing(), secrets_, readiness_, clock_}) {}

domain::ReconcileDeps App::billing() {
  return domain::ReconcileDeps{billing_outbox_, *billing_gateway_, clock_, [] {
                                 thread_local std::mt19937_64 generator{std::random_device{}()};
                                 return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
                               }};
}

}  // namespace leadstream::daemon
