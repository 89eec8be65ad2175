#include "daemon/app.hpp"

#include "adapters/enrichment/run_poll_enricher.hpp"
#include "adapters/postgres/migrations.hpp"
#include "adapters/sources/fixture_source.hpp"
#include "adapters/sources/synthetic_source.hpp"
#include "adapters/stripe/stripe_billing_gateway.hpp"
#include "adapters/text/snowball_stemmer.hpp"
#include "adapters/x/x_api_source.hpp"
#include "daemon/secret_key.hpp"

#include <charconv>
#include <stdexcept>

#include <random>

namespace leadstream::daemon {
namespace {

std::unique_ptr<domain::BillingGateway> make_billing_gateway(const Config& config) {
  if (config.stripe_api_key.empty()) return std::make_unique<adapters::stripe::UnconfiguredBillingGateway>();
  return std::make_unique<adapters::stripe::StripeBillingGateway>(
      adapters::stripe::StripeOptions{.base_url = config.stripe_base_url, .api_key = config.stripe_api_key});
}

/// The provider LEADSTREAM_ENRICH_BASE_URL names; none when unset.
std::unique_ptr<domain::Enricher> make_enricher(const Config& config) {
  if (config.enrich_base_url.empty()) return nullptr;
  return std::make_unique<adapters::enrichment::RunPollEnricher>(config.enrich_base_url, config.enrich_api_key,
                                                                 config.enrich_settings);
}

/// The model LEADSTREAM_CLASSIFIER=openai asks, the local scorer answering what it fails
/// on; none for the local classifier alone.
std::unique_ptr<domain::Classifier> make_remote_classifier(const Config& config, const domain::Classifier& local,
                                                           domain::ClassifierCache& answers) {
  if (config.classifier != "openai") return nullptr;
  return std::make_unique<adapters::classifier::OpenAiClassifier>(config.openai, local, answers);
}

/// The source LEADSTREAM_FOLLOWER_SOURCE names (already checked by the config parser).
std::unique_ptr<domain::FollowerSource> make_follower_source(const Config& config, const domain::Clock& clock) {
  const auto& spec = config.follower_source;
  if (spec == "xapi") {
    return std::make_unique<adapters::x::XApiFollowerSource>(
        adapters::x::XApiOptions{.base_url = config.x_base_url, .bearer_token = config.x_bearer_token}, clock);
  }
  if (spec == "synthetic") return std::make_unique<adapters::sources::SyntheticFollowerSource>();
  if (spec.starts_with("synthetic:")) {
    int count = 0;
    std::from_chars(spec.data() + 10, spec.data() + spec.size(), count);
    return std::make_unique<adapters::sources::SyntheticFollowerSource>(count);
  }
  if (spec.starts_with("fixture:")) return std::make_unique<adapters::sources::FixtureFollowerSource>(spec.substr(8));
  throw std::logic_error("LEADSTREAM_FOLLOWER_SOURCE=" + spec + " passed the configuration check");
}

double unit_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

App::App(const Config& config)
    : config_(config),
      secrets_([config] { return load_secret_key(config); }),
      // One connection per HTTP worker, run worker and delivery worker, one for the billing worker, one for
      // the scheduler, and one spare for the command line and probes.
      pool_(config.database_url, config.workers + kRunWorkerThreads + kDeliveryWorkerThreads + 3),
      teams_(pool_),
      api_keys_(pool_),
      credits_(pool_),
      readiness_(pool_, adapters::postgres::embedded_migrations().back().version),
      cached_readiness_(readiness_, std::chrono::seconds{1}),
      campaign_transactions_(pool_),
      follower_source_(make_follower_source(config, clock_)),
      handles_(*follower_source_),
      local_classifier_(adapters::text::SnowballStemmer::make, config.gazetteer),
      classifier_answers_(pool_),
      remote_classifier_(make_remote_classifier(config, local_classifier_, classifier_answers_)),
      classifier_(remote_classifier_ ? *remote_classifier_ : local_classifier_, adapters::text::SnowballStemmer::make),
      run_queue_(pool_),
      follower_cache_(pool_),
      run_reader_(pool_),
      lead_store_(pool_),
      lookup_store_(pool_),
      webhook_store_(pool_),
      webhook_payloads_(run_reader_),
      scheduler_store_(pool_),
      me_(domain::DescribeMeDeps{teams_, credits_, campaign_transactions_, clock_}, kReadCacheTtl),
      idempotency_(pool_),
      preferences_(pool_),
      billing_outbox_(pool_),
      billing_gateway_(make_billing_gateway(config)),
      enricher_(make_enricher(config)),
      enrichment_budget_(campaign_transactions_, clock_),
      authenticator_(api_keys_, secrets_, clock_, kReadCacheTtl),
      rate_limiter_(config.rate_limit_per_minute),
      failed_auth_(config.auth_failures_per_minute),
      router_(api::ApiDeps{authenticator_, rate_limiter_, failed_auth_, api_keys_, me_, campaigns(), run_requests(),
                           run_queries(), leads(), enrich(), lookups(), webhooks(), preferences_, idempotency_,
                           billing(), secrets_, cached_readiness_, clock_, config_.trusted_proxies}) {}

domain::ReconcileDeps App::billing() {
  return domain::ReconcileDeps{billing_outbox_, *billing_gateway_, clock_, unit_random};
}

domain::EngineDeps App::engine() {
  return domain::EngineDeps{run_queue_, follower_cache_, *follower_source_, classifier_, clock_, unit_random, enrich()};
}

}  // namespace leadstream::daemon
