#include <boost/json.hpp>

#include "api/errors.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/body_reader.hpp"
#include "domain/model/time.hpp"
#include "domain/use_cases/preferences.hpp"

namespace leadstream::api::handlers {
namespace {

boost::json::value template_json(const domain::DmTemplate& t) {
  return {{"id", t.id.value},
          {"name", t.name},
          {"messageBody", t.message_body},
          {"createdAt", domain::format_rfc3339(t.created_at)},
          {"updatedAt", domain::format_rfc3339(t.updated_at)}};
}

boost::json::value settings_json(const domain::NotificationSettings& s) {
  boost::json::value slack = nullptr;
  if (s.slack_webhook_url) slack = *s.slack_webhook_url;
  boost::json::value telegram = nullptr;
  if (s.telegram_chat_id) telegram = *s.telegram_chat_id;
  return {{"summaryFrequency", s.summary_frequency},
          {"channels",
           {{"email", boost::json::value_from(s.emails)}, {"slackWebhookUrl", slack}, {"telegramChatId", telegram}}}};
}

struct TemplateBody {
  std::string name;
  std::string message_body;
};

domain::Result<TemplateBody> parse_template(const boost::json::value& body) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(body, problems);
  TemplateBody parsed{reader.string("name", true).value_or(""), reader.string("messageBody", true).value_or("")};
  if (auto ok = json::verdict(std::move(problems), "The DM template is not valid."); !ok) return ok.error();
  return parsed;
}

domain::Result<domain::NotificationSettings> parse_settings(const boost::json::value& body) {
  std::vector<domain::FieldProblem> problems;
  json::BodyReader reader(body, problems);
  domain::NotificationSettings settings;
  settings.summary_frequency = reader.string("summaryFrequency", true).value_or("");
  if (const auto* channels = reader.value("channels"); channels && !channels->is_null()) {
    json::BodyReader channel_reader(*channels, problems, "channels.");
    settings.emails = channel_reader.strings("email").value_or(std::vector<std::string>{});
    settings.slack_webhook_url = channel_reader.outbound_url("slackWebhookUrl");
    settings.telegram_chat_id = channel_reader.string("telegramChatId");
  }
  if (auto ok = json::verdict(std::move(problems), "The notification settings are not valid."); !ok) return ok.error();
  return settings;
}

Response template_not_found() { return error_response({domain::ErrorCode::kNotFound, "DM template not found"}); }

}  // namespace

Response list_templates(ApiDeps& deps, const Call& call) {
  auto templates = domain::list_templates(deps.preferences, call.caller.team_id);
  if (!templates) return error_response(templates.error());
  boost::json::array out;
  for (const auto& t : *templates) out.push_back(template_json(t));
  return json_response(200, {{"templates", std::move(out)}});
}

Response create_template(ApiDeps& deps, const Call& call) {
  auto body = parse_template(call.body);
  if (!body) return error_response(body.error());
  auto created = domain::create_template(deps.preferences, call.caller.team_id, body->name, body->message_body,
                                         deps.campaigns.quotas.dm_templates);
  if (!created) return error_response(created.error());
  return json_response(201, {{"template", template_json(*created)}});
}

Response get_template(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::DmTemplateId>(call);
  if (!id) return template_not_found();
  auto found = domain::get_template(deps.preferences, call.caller.team_id, *id);
  if (!found) return error_response(found.error());
  return json_response(200, {{"template", template_json(*found)}});
}

Response update_template(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::DmTemplateId>(call);
  if (!id) return template_not_found();
  auto body = parse_template(call.body);
  if (!body) return error_response(body.error());
  auto updated = domain::update_template(deps.preferences, call.caller.team_id, *id, body->name, body->message_body);
  if (!updated) return error_response(updated.error());
  return json_response(200, {{"template", template_json(*updated)}});
}

Response delete_template(ApiDeps& deps, const Call& call) {
  const auto id = path_id<domain::DmTemplateId>(call);
  if (!id) return template_not_found();
  if (auto deleted = domain::delete_template(deps.preferences, call.caller.team_id, *id); !deleted) {
    return error_response(deleted.error());
  }
  return json_response(200, {{"ok", true}});
}

Response get_notification_settings(ApiDeps& deps, const Call& call) {
  auto settings = domain::get_notification_settings(deps.preferences, call.caller.team_id);
  if (!settings) return error_response(settings.error());
  return json_response(200, {{"settings", settings_json(*settings)}});
}

Response put_notification_settings(ApiDeps& deps, const Call& call) {
  auto parsed = parse_settings(call.body);
  if (!parsed) return error_response(parsed.error());
  auto saved = domain::save_notification_settings(deps.preferences, call.caller.team_id, std::move(*parsed));
  if (!saved) return error_response(saved.error());
  return json_response(200, {{"settings", settings_json(*saved)}});
}

}  // namespace leadstream::api::handlers
