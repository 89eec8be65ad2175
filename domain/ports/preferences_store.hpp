#pragma once

#include <optional>
#include <vector>

#include "domain/model/preferences.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// A team's DM templates and notification settings. Blocking; thread-safe.
class PreferencesStore {
 public:
  virtual ~PreferencesStore() = default;
  virtual Result<std::vector<DmTemplate>> templates(TeamId team) = 0;
  virtual Result<std::optional<DmTemplate>> template_by_id(TeamId team, DmTemplateId id) = 0;
  /// kConflict when the team has a template of that name; nullopt when it keeps `cap`
  /// already (counted and inserted atomically, so concurrent inserts never pass the cap).
  virtual Result<std::optional<DmTemplate>> insert_template(TeamId team, const std::string& name,
                                                            const std::string& body, int cap) = 0;
  /// kConflict as insert; nullopt when there is no such template of the team.
  virtual Result<std::optional<DmTemplate>> update_template(TeamId team, DmTemplateId id, const std::string& name,
                                                            const std::string& body) = 0;
  /// false when there is no such template of the team.
  virtual Result<bool> delete_template(TeamId team, DmTemplateId id) = 0;

  /// nullopt until the team saves some.
  virtual Result<std::optional<NotificationSettings>> notification_settings(TeamId team) = 0;
  virtual Result<void> save_notification_settings(TeamId team, const NotificationSettings& settings) = 0;
};

}  // namespace leadstream::domain
