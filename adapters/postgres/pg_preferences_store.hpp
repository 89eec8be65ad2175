#pragma once

#include "adapters/postgres/connection_pool.hpp"
#include "domain/ports/preferences_store.hpp"

namespace leadstream::adapters::postgres {

class PgPreferencesStore final : public domain::PreferencesStore {
 public:
  explicit PgPreferencesStore(ConnectionPool& pool) : pool_(pool) {}

  // domain::PreferencesStore
  domain::Result<std::vector<domain::DmTemplate>> templates(domain::TeamId team) override;
  domain::Result<std::optional<domain::DmTemplate>> template_by_id(domain::TeamId team,
                                                                   domain::DmTemplateId id) override;
  domain::Result<std::optional<domain::DmTemplate>> insert_template(domain::TeamId team, const std::string& name,
                                                                    const std::string& body, int cap) override;
  domain::Result<std::optional<domain::DmTemplate>> update_template(domain::TeamId team, domain::DmTemplateId id,
                                                                    const std::string& name,
                                                                    const std::string& body) override;
  domain::Result<bool> delete_template(domain::TeamId team, domain::DmTemplateId id) override;
  domain::Result<std::optional<domain::NotificationSettings>> notification_settings(domain::TeamId team) override;
  domain::Result<void> save_notification_settings(domain::TeamId team,
                                                  const domain::NotificationSettings& settings) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace leadstream::adapters::postgres
