#pragma once

#include "adapters/crypto/openssl_secrets.hpp"
#include "adapters/postgres/connection_pool.hpp"
#include "adapters/postgres/pg_api_key_repository.hpp"
#include "adapters/postgres/pg_billing_outbox.hpp"
#include "adapters/postgres/pg_campaign_store.hpp"
#include "adapters/postgres/pg_classifier_cache.hpp"
#include "adapters/postgres/pg_credit_ledger.hpp"
#include "adapters/postgres/pg_follower_cache.hpp"
#include "adapters/postgres/pg_idempotency_store.hpp"
#include "adapters/postgres/pg_lead_store.hpp"
#include "adapters/postgres/pg_lookup_store.hpp"
#include "adapters/postgres/pg_preferences_store.hpp"
#include "adapters/postgres/pg_readiness.hpp"
#include "adapters/postgres/pg_run_queue.hpp"
#include "adapters/postgres/pg_run_reader.hpp"
#include "adapters/postgres/pg_scheduler_store.hpp"
#include "adapters/postgres/pg_team_repository.hpp"
#include "adapters/postgres/pg_webhook_store.hpp"
#include "adapters/system/system_time_zones.hpp"
#include "api/json/webhook_json.hpp"
#include "api/router.hpp"
#include "daemon/config.hpp"

#include <memory>
#include "domain/ports/clock.hpp"
#include "domain/ports/follower_source.hpp"
#include "domain/rules/learning_classifier.hpp"
#include "domain/rules/local_classifier.hpp"
#include "domain/rules/rate_limiter.hpp"
#include "domain/use_cases/authenticator.hpp"
#include "domain/use_cases/cached_handles.hpp"
#include "domain/use_cases/cached_readiness.hpp"
#include "domain/use_cases/enrichment_budget.hpp"
#include "domain/use_cases/reconcile_billing.hpp"
#include "domain/use_cases/request_runs.hpp"
#include "domain/use_cases/run_engine.hpp"
#include "domain/use_cases/run_queries.hpp"
#include "domain/use_cases/schedule_runs.hpp"

namespace leadstream::daemon {

/// The composition root: every adapter built once and wired into the domain and the API.
/// The command line, `serve` and the end-to-end tests all start from here.
class App {
 public:
  /// A revoked key stays usable through another process's cache at most this long, and
  /// /me may show a team's credits this much out of date.
  static constexpr std::chrono::milliseconds kReadCacheTtl{500};

  /// Threads claiming sync runs in each process.
  static constexpr int kRunWorkerThreads = 2;
  /// Threads delivering webhooks in each process.
  static constexpr int kDeliveryWorkerThreads = 2;

  explicit App(const Config& config);

  api::Router& router() { return router_; }
  domain::TeamRepository& teams() { return teams_; }
  domain::ApiKeyRepository& api_keys() { return api_keys_; }
  domain::CreditLedger& credits() { return credits_; }
  domain::Secrets& secrets() { return secrets_; }
  const Config& config() const { return config_; }
  adapters::postgres::ConnectionPool& pool() { return pool_; }
  /// The reconciler's dependencies: the outbox, the configured gateway, the clock.
  domain::ReconcileDeps billing();
  domain::CampaignDeps campaigns() { return {campaign_transactions_, handles_, time_zones_, clock_, config_.quotas}; }
  /// The run engine's dependencies: queue, follower cache, source, classifier.
  domain::EngineDeps engine();
  /// What asking for runs needs: streams, queue, clock.
  domain::RequestRunDeps run_requests() { return {campaign_transactions_, run_queue_, clock_}; }
  /// What reading runs and leads needs.
  domain::QueryDeps run_queries() { return {campaign_transactions_, run_reader_}; }
  /// What feedback and export need.
  domain::LeadDeps leads() { return {lead_store_, run_reader_, clock_}; }
  /// What enrichment needs: leads, credits, and the provider when LEADSTREAM_ENRICH_BASE_URL
  /// names one (else the profile's own contacts only).
  domain::EnrichDeps enrich() {
    return {run_reader_, lead_store_, credits_, enricher_.get(), clock_, {}, &enrichment_budget_};
  }
  domain::LookupDeps lookups() { return {enrich(), handles_, lookup_store_}; }
  domain::WebhookDeps webhooks() { return {webhook_store_, secrets_, clock_}; }
  domain::WebhookStore& webhook_store() { return webhook_store_; }
  domain::WebhookPayloads& webhook_payloads() { return webhook_payloads_; }
  const domain::Clock& clock() const { return clock_; }
  domain::SchedulerDeps scheduler() { return {scheduler_store_, time_zones_, clock_}; }

 private:
  Config config_;
  domain::SystemClock clock_;
  adapters::crypto::OpenSslSecrets secrets_;
  adapters::postgres::ConnectionPool pool_;
  adapters::postgres::PgTeamRepository teams_;
  adapters::postgres::PgApiKeyRepository api_keys_;
  adapters::postgres::PgCreditLedger credits_;
  adapters::postgres::PgReadiness readiness_;
  domain::CachedReadiness cached_readiness_;
  adapters::postgres::PgCampaignTransactions campaign_transactions_;
  adapters::system::SystemTimeZones time_zones_;
  std::unique_ptr<domain::FollowerSource> follower_source_;
  domain::CachedHandleResolver handles_;  // over follower_source_
  domain::LocalClassifier local_classifier_;
  adapters::postgres::PgClassifierCache classifier_answers_;
  std::unique_ptr<domain::Classifier> remote_classifier_;  // LEADSTREAM_CLASSIFIER=openai, over the local one
  domain::LearningClassifier classifier_;                  // the remote or local one, moved by each segment's feedback
  adapters::postgres::PgRunQueue run_queue_;
  adapters::postgres::PgFollowerCache follower_cache_;
  adapters::postgres::PgRunReader run_reader_;
  adapters::postgres::PgLeadStore lead_store_;
  adapters::postgres::PgLookupStore lookup_store_;
  adapters::postgres::PgWebhookStore webhook_store_;
  api::json::LeadPayloads webhook_payloads_;
  adapters::postgres::PgSchedulerStore scheduler_store_;
  domain::CachedMe me_;
  adapters::postgres::PgIdempotencyStore idempotency_;
  adapters::postgres::PgPreferencesStore preferences_;
  adapters::postgres::PgBillingOutbox billing_outbox_;
  std::unique_ptr<domain::BillingGateway> billing_gateway_;
  std::unique_ptr<domain::Enricher> enricher_;  // null: no provider configured
  domain::TierEnrichmentBudget enrichment_budget_;
  domain::Authenticator authenticator_;

  domain::RateLimiter rate_limiter_;
  domain::FailedAuthLimiter failed_auth_;
  api::Router router_;
};

}  // namespace leadstream::daemon
