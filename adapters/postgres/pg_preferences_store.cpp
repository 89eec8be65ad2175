#include "adapters/postgres/pg_preferences_store.hpp"

#include <boost/json.hpp>

#include "adapters/postgres/pool_internal.hpp"

namespace leadstream::adapters::postgres {
namespace {

using domain::Result;

constexpr const char* kTemplateColumns =
    "id, team_id, name, message_body, (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint";

domain::DmTemplate to_template(const pqxx::row& row) {
  return domain::DmTemplate{domain::DmTemplateId{row[0].as<std::int64_t>()},
                            domain::TeamId{row[1].as<std::int64_t>()},
                            row[2].as<std::string>(),
                            row[3].as<std::string>(),
                            from_epoch_us(row[4].as<std::int64_t>()),
                            from_epoch_us(row[5].as<std::int64_t>())};
}

std::optional<domain::DmTemplate> first_template(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return to_template(rows[0]);
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

}  // namespace

Result<std::vector<domain::DmTemplate>> PgPreferencesStore::templates(domain::TeamId team) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::vector<domain::DmTemplate>> {
    pqxx::nontransaction tx(c);
    std::vector<domain::DmTemplate> out;
    for (const auto& row :
         tx.exec_params(std::string("SELECT ") + kTemplateColumns + " FROM dm_templates WHERE team_id = $1 ORDER BY id",
                        team.value)) {
      out.push_back(to_template(row));
    }
    return out;
  });
}

Result<std::optional<domain::DmTemplate>> PgPreferencesStore::template_by_id(domain::TeamId team,
                                                                             domain::DmTemplateId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::DmTemplate>> {
    pqxx::nontransaction tx(c);
    return first_template(
        tx.exec_params(std::string("SELECT ") + kTemplateColumns + " FROM dm_templates WHERE team_id = $1 AND id = $2",
                       team.value, id.value));
  });
}

Result<std::optional<domain::DmTemplate>> PgPreferencesStore::insert_template(domain::TeamId team,
                                                                              const std::string& name,
                                                                              const std::string& body, int cap) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::DmTemplate>> {
    pqxx::work tx(c);
    // The team's row lock orders concurrent inserts, so that each counts the others.
    lock_team_row(tx, team);
    const auto kept = tx.exec_params("SELECT count(*) FROM dm_templates WHERE team_id = $1", team.value);
    if (kept[0][0].as<int>() >= cap) return std::optional<domain::DmTemplate>{};
    const auto rows = tx.exec_params(std::string("INSERT INTO dm_templates (team_id, name, message_body)"
                                                 " VALUES ($1, $2, $3) RETURNING ") +
                                         kTemplateColumns,
                                     team.value, name, body);
    commit(tx);
    return std::optional(to_template(rows[0]));
  });
}

Result<std::optional<domain::DmTemplate>> PgPreferencesStore::update_template(domain::TeamId team,
                                                                              domain::DmTemplateId id,
                                                                              const std::string& name,
                                                                              const std::string& body) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::DmTemplate>> {
    pqxx::work tx(c);
    const auto rows = tx.exec_params(std::string("UPDATE dm_templates SET name = $3, message_body = $4,"
                                                 " updated_at = now() WHERE team_id = $1 AND id = $2 RETURNING ") +
                                         kTemplateColumns,
                                     team.value, id.value, name, body);
    commit(tx);
    return first_template(rows);
  });
}

Result<bool> PgPreferencesStore::delete_template(domain::TeamId team, domain::DmTemplateId id) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<bool> {
    pqxx::work tx(c);
    const auto rows = tx.exec_params("DELETE FROM dm_templates WHERE team_id = $1 AND id = $2", team.value, id.value);
    commit(tx);
    return rows.affected_rows() > 0;
  });
}

Result<std::optional<domain::NotificationSettings>> PgPreferencesStore::notification_settings(domain::TeamId team) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<std::optional<domain::NotificationSettings>> {
    pqxx::nontransaction tx(c);
    const auto rows =
        tx.exec_params("SELECT summary_frequency, to_jsonb(emails)::text, slack_webhook_url, telegram_chat_id"
                       " FROM notification_settings WHERE team_id = $1",
                       team.value);
    if (rows.empty()) return std::optional<domain::NotificationSettings>{};
    return std::optional{domain::NotificationSettings{
        rows[0][0].as<std::string>(),
        boost::json::value_to<std::vector<std::string>>(boost::json::parse(rows[0][1].c_str())),
        optional_text(rows[0][2]), optional_text(rows[0][3])}};
  });
}

Result<void> PgPreferencesStore::save_notification_settings(domain::TeamId team,
                                                            const domain::NotificationSettings& s) {
  return with_connection(pool_, [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO notification_settings (team_id, summary_frequency, emails, slack_webhook_url, telegram_chat_id)"
        " VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4, $5)"
        " ON CONFLICT (team_id) DO UPDATE SET summary_frequency = excluded.summary_frequency,"
        " emails = excluded.emails, slack_webhook_url = excluded.slack_webhook_url,"
        " telegram_chat_id = excluded.telegram_chat_id, updated_at = now()",
        team.value, s.summary_frequency, boost::json::serialize(boost::json::value_from(s.emails)), s.slack_webhook_url,
        s.telegram_chat_id);
    commit(tx);
    return {};
  });
}

}  // namespace leadstream::adapters::postgres
