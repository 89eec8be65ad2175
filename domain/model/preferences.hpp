#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"

namespace leadstream::domain {

using DmTemplateId = Id<struct DmTemplateTag>;

struct DmTemplate {
  DmTemplateId id;
  TeamId team_id;
  std::string name;          // 1..100 characters, unique per team
  std::string message_body;  // 1..2000 characters
  Timestamp created_at;
  Timestamp updated_at;
};

struct NotificationSettings {
  std::string summary_frequency = "off";  // off | after_every_sync | daily | weekly
  std::vector<std::string> emails;
  std::optional<std::string> slack_webhook_url;
  std::optional<std::string> telegram_chat_id;
};

}  // namespace leadstream::domain
