#pragma once

#include <memory>

#include "adapters/http/curl_client.hpp"
#include "domain/ports/webhook_sender.hpp"

namespace leadstream::adapters::webhooks {

struct WebhookSenderOptions {
  /// LEADSTREAM_WEBHOOK_ALLOW_PRIVATE: also send to loopback, private and link-local hosts.
  bool allow_private = false;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds timeout{15'000};
  /// Connections to one receiver at a time. A batch of 100 to a receiver that answers in
  /// 1 s takes about 7 s (100 / 16 rounds); to one slower than about 2 s, the last of a
  /// batch time out (a request waiting for a connection spends its own timeout) and are
  /// retried later.
  std::size_t connections_per_host = 16;
};

/// Standard Webhooks over libcurl. The host is resolved here and refused when any of its
/// addresses is loopback, private, link-local, multicast, unspecified or an IPv4-mapped
/// one of those; curl then connects to the checked address only, so a DNS answer that
/// changes in between (rebinding) cannot send it elsewhere. http and https only, no
/// redirects, at most 64 KiB of an answer read. A batch goes out at once over libcurl's multi
/// interface, its connections kept alive between batches. One instance per thread.
class CurlWebhookSender final : public domain::WebhookSender {
 public:
  explicit CurlWebhookSender(WebhookSenderOptions options) : options_(options) {}

  // domain::WebhookSender
  std::vector<domain::Result<domain::WebhookResponse>> send(
      const std::vector<domain::WebhookMessage>& messages) override;

 private:
  WebhookSenderOptions options_;
  http::CurlHttpClient client_;
};

/// The Standard Webhooks signature header value of `id.timestamp.body` under a whsec_
/// secret: "v1," and the base64 HMAC-SHA256.
std::string standard_webhook_signature(const std::string& secret, const std::string& message_id, std::int64_t timestamp,
                                       const std::string& body);

/// Whether an address (IPv4 or IPv6 text) is one no user-given URL may reach.
bool is_refused_address(const std::string& address);

}  // namespace leadstream::adapters::webhooks
