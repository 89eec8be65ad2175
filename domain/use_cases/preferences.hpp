#pragma once

#include <string>
#include <vector>

#include "domain/model/preferences.hpp"
#include "domain/ports/preferences_store.hpp"
#include "domain/result.hpp"
#include "domain/rules/quotas.hpp"

namespace leadstream::domain {

Result<std::vector<DmTemplate>> list_templates(PreferencesStore& store, TeamId team);
Result<DmTemplate> get_template(PreferencesStore& store, TeamId team, DmTemplateId id);
/// kInvalidRequest for lengths out of range, kConflict for a name the team already uses.
/// kQuotaExceeded when the team keeps `max_templates` already.
Result<DmTemplate> create_template(PreferencesStore& store, TeamId team, std::string name, std::string body,
                                   int max_templates = kMaxDmTemplatesPerTeam);
Result<DmTemplate> update_template(PreferencesStore& store, TeamId team, DmTemplateId id, std::string name,
                                   std::string body);
Result<void> delete_template(PreferencesStore& store, TeamId team, DmTemplateId id);

/// The saved settings, or the defaults (summaries off, no channels).
Result<NotificationSettings> get_notification_settings(PreferencesStore& store, TeamId team);
/// kInvalidRequest with a detail per bad field.
Result<NotificationSettings> save_notification_settings(PreferencesStore& store, TeamId team,
                                                        NotificationSettings settings);

}  // namespace leadstream::domain
