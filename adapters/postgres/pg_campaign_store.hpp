#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/campaign_store.hpp"

namespace leadstream::adapters::postgres {

/// Each unit of work on one pooled connection, in one READ COMMITTED transaction; team
/// rows are locked (CampaignStore::lock_team) where quantities change.
class PgCampaignTransactions final : public domain::CampaignTransactions {
 public:
  explicit PgCampaignTransactions(ConnectionPool& pool) : pool_(pool) {}

  // domain::CampaignTransactions
  domain::Result<void> transact(const std::function<domain::Result<void>(domain::CampaignStore&)>& work) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
