#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model/ids.hpp"
#include "domain/model/team.hpp"

namespace leadstream::domain {

using WebhookId = Id<struct WebhookTag>;
using DeliveryId = Id<struct DeliveryTag>;

/// `filterConfig` of POST /webhooks/subscribe: every key set must match.
struct WebhookFilter {
  std::optional<StreamId> stream_id;
  std::optional<AccountId> account_id;
  std::optional<std::string> source_type;       // follower | liker
  std::optional<std::string> feedback_status;   // good | bad
  std::optional<std::string> match_confidence;  // high | medium
};

struct WebhookSubscription {
  WebhookId id;
  std::string target_url;
  WebhookFilter filter;
  bool active = true;
  std::optional<std::string> disabled_reason;
  Timestamp created_at;
  int delivered = 0;  // deliveries by state
  int pending = 0;
  int failed = 0;
  std::optional<StreamId> owner_stream_id;  // a stream's own webhook
};

/// What subscribing answered: the secret only when the subscription is new.
struct Subscribed {
  WebhookId id;
  bool created = false;
  std::optional<std::string> secret;
};

/// One POST to make, as a delivery worker claimed it.
struct Delivery {
  DeliveryId id;
  TeamId team_id;
  std::string target_url;
  std::string secret;               // sealed (Secrets::seal); the whsec_… secret once unsealed
  std::string message_id;           // webhook-id: the same on every attempt
  std::string event_type;           // leads.created | lead.feedback | webhook.test
  std::optional<std::string> body;  // rendered at the first attempt, then kept
  std::optional<StreamId> stream_id;
  std::optional<RunId> run_id;
  std::vector<LeadId> lead_ids;
  int attempts = 0;  // before this one
  Timestamp created_at;
};

/// How one attempt went.
struct DeliveryAttempt {
  DeliveryId id;
  std::optional<std::string> body;  // to keep, when rendered by this attempt
  int status_code = 0;              // 0: no response
  std::string error;                // why, when not delivered
  int latency_ms = 0;
  std::string response_excerpt;
  enum class Outcome { kDelivered, kRetry, kFailed, kUnsubscribed } outcome = Outcome::kRetry;
  Timestamp next_attempt_at;  // for kRetry
};

/// One attempt as GET /webhooks/{id}/deliveries shows it.
struct DeliveryRecord {
  DeliveryId id;
  std::string message_id;
  std::string event_type;
  std::string status;  // pending | delivered | failed
  int attempts = 0;
  std::optional<int> last_status_code;
  std::optional<std::string> last_error;
  std::optional<int> last_latency_ms;
  std::optional<std::string> last_response;
  Timestamp created_at;
  std::optional<Timestamp> next_attempt_at;
  std::optional<Timestamp> delivered_at;
};

}  // namespace leadstream::domain
