#pragma once

#include <string>
#include <vector>

#include "domain/model/webhook.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct WebhookResponse {
  int status_code = 0;
  int latency_ms = 0;
  std::string excerpt;  // the start of the body
};

/// One signed webhook to POST (Standard Webhooks: webhook-id, webhook-timestamp,
/// webhook-signature over `message_id.at.body`).
struct WebhookMessage {
  std::string url;
  std::string secret;  // whsec_..., unsealed
  std::string message_id;
  Timestamp at;
  std::string body;
};

/// POSTs webhooks, a batch at a time and concurrently, so that one slow receiver holds up
/// a batch by at most one timeout rather than one per message. An answer per message, in
/// order: kForbidden when the URL's host resolves to an address we refuse; kUnavailable
/// when no response came. Blocking; one instance per thread.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual std::vector<Result<WebhookResponse>> send(const std::vector<WebhookMessage>& messages) = 0;
};

/// Renders the bodies of deliveries whose body was not rendered yet (leads.created).
class WebhookPayloads {
 public:
  virtual ~WebhookPayloads() = default;
  virtual Result<std::string> render(const Delivery& delivery, Timestamp at) = 0;
};

}  // namespace leadstream::domain
