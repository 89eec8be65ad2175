#pragma once

#include <string>

#include "domain/model/webhook.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct WebhookResponse {
  int status_code = 0;
  int latency_ms = 0;
  std::string excerpt;  // the start of the body
};

/// POSTs one signed webhook (Standard Webhooks: webhook-id, webhook-timestamp,
/// webhook-signature). kForbidden when the URL's host resolves to an address we refuse;
/// kUnavailable when no response came. Blocking; one instance per thread.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual Result<WebhookResponse> send(const std::string& url, const std::string& secret, const std::string& message_id,
                                       Timestamp at, const std::string& body) = 0;
};

/// Renders the bodies of deliveries whose body was not rendered yet (leads.created).
class WebhookPayloads {
 public:
  virtual ~WebhookPayloads() = default;
  virtual Result<std::string> render(const Delivery& delivery, Timestamp at) = 0;
};

}  // namespace leadstream::domain
