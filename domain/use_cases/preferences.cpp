#include "domain/use_cases/preferences.hpp"

#include <algorithm>

#include "domain/rules/quotas.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::domain {
namespace {

Error template_not_found() { return Error{ErrorCode::kNotFound, "DM template not found"}; }

Result<void> check_template(std::string& name, const std::string& body) {
  name = std::string(trim(name));
  std::vector<FieldProblem> problems;
  if (name.empty() || utf8_length(name) > 100) problems.push_back({"name", "must be 1 to 100 characters"});
  if (body.empty() || utf8_length(body) > 2000) problems.push_back({"messageBody", "must be 1 to 2000 characters"});
  if (!problems.empty()) return Error{ErrorCode::kInvalidRequest, "The DM template is not valid.", std::move(problems)};
  return {};
}

Error duplicate_name(const std::string& name) {
  return Error{ErrorCode::kConflict, "A DM template named '" + name + "' already exists."};
}

}  // namespace

Result<std::vector<DmTemplate>> list_templates(PreferencesStore& store, TeamId team) { return store.templates(team); }

Result<DmTemplate> get_template(PreferencesStore& store, TeamId team, DmTemplateId id) {
  auto found = store.template_by_id(team, id);
  if (!found) return found.error();
  if (!*found) return template_not_found();
  return std::move(**found);
}

Result<DmTemplate> create_template(PreferencesStore& store, TeamId team, std::string name, std::string body,
                                   int max_templates) {
  if (auto valid = check_template(name, body); !valid) return valid.error();
  auto created = store.insert_template(team, name, body, max_templates);
  if (!created) return created.error().code == ErrorCode::kConflict ? duplicate_name(name) : created.error();
  if (!*created) return quota_exceeded("DM templates", max_templates);
  return std::move(**created);
}

Result<DmTemplate> update_template(PreferencesStore& store, TeamId team, DmTemplateId id, std::string name,
                                   std::string body) {
  if (auto valid = check_template(name, body); !valid) return valid.error();
  auto updated = store.update_template(team, id, name, body);
  if (!updated) return updated.error().code == ErrorCode::kConflict ? duplicate_name(name) : updated.error();
  if (!*updated) return template_not_found();
  return std::move(**updated);
}

Result<void> delete_template(PreferencesStore& store, TeamId team, DmTemplateId id) {
  auto deleted = store.delete_template(team, id);
  if (!deleted) return deleted.error();
  if (!*deleted) return template_not_found();
  return {};
}

Result<NotificationSettings> get_notification_settings(PreferencesStore& store, TeamId team) {
  auto saved = store.notification_settings(team);
  if (!saved) return saved.error();
  return saved->value_or(NotificationSettings{});
}

Result<NotificationSettings> save_notification_settings(PreferencesStore& store, TeamId team,
                                                        NotificationSettings settings) {
  static constexpr std::string_view kFrequencies[] = {"off", "after_every_sync", "daily", "weekly"};
  std::vector<FieldProblem> problems;
  if (std::ranges::find(kFrequencies, settings.summary_frequency) == std::end(kFrequencies)) {
    problems.push_back({"summaryFrequency", "must be off, after_every_sync, daily or weekly"});
  }
  if (settings.emails.size() > 20) problems.push_back({"channels.email", "at most 20 addresses"});
  for (const auto& email : settings.emails) {
    if (!looks_like_email(email)) problems.push_back({"channels.email", "'" + email + "' is not an email"});
  }
  if (settings.slack_webhook_url && !settings.slack_webhook_url->starts_with("https://")) {
    problems.push_back({"channels.slackWebhookUrl", "must be an https URL"});
  }
  if (settings.telegram_chat_id && (settings.telegram_chat_id->empty() || settings.telegram_chat_id->size() > 64)) {
    problems.push_back({"channels.telegramChatId", "must be 1 to 64 characters"});
  }
  if (!problems.empty()) {
    return Error{ErrorCode::kInvalidRequest, "The notification settings are not valid.", std::move(problems)};
  }
  if (auto saved = store.save_notification_settings(team, settings); !saved) return saved.error();
  return settings;
}

}  // namespace leadstream::domain
