#include "daemon/app.hpp"

#include "adapters/postgres/migrations.hpp"

namespace leadstream::daemon {

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
      authenticator_(api_keys_, secrets_, clock_, kReadCacheTtl),
      rate_limiter_(config.rate_limit_per_minute),
      router_(api::ApiDeps{authenticator_, rate_limiter_, api_keys_, me_,
                           domain::CampaignDeps{campaign_transactions_, handle_resolver_, time_zones_}, preferences_, idempotency_,
                           secrets_, readiness_, clock_}) {}

}  // namespace leadstream::daemon
