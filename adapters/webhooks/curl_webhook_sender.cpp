#include "adapters/webhooks/curl_webhook_sender.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstring>

namespace leadstream::adapters::webhooks {
namespace {

constexpr std::size_t kMaxAnswer = std::size_t{64} * 1024;
constexpr std::size_t kExcerpt = 1024;

bool refused_v4(const std::uint8_t* a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xc0) == 64) ||
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
         (a[0] == 192 && a[1] == 0 && a[2] == 0) || a[0] >= 224;
}

bool refused_v6(const std::uint8_t* a) {
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a, kMapped, 12) == 0 || std::memcmp(a, kNat64, 12) == 0) return refused_v4(a + 12);
  bool zero_prefix = true;  // :: and ::1, and the old IPv4-compatible ::a.b.c.d
  for (int i = 0; i < 12; ++i) zero_prefix = zero_prefix && a[i] == 0;
  if (zero_prefix) return true;
  return (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff;
}

/// The address to connect to, or why not.
domain::Result<std::string> checked_address(const std::string& url, bool allow_private) {
  const auto target = http::origin_of(url);
  if (!target) return domain::Error{domain::ErrorCode::kInvalidRequest, "The webhook URL cannot be parsed."};
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int failed = getaddrinfo(target->host.c_str(), target->port.c_str(), &hints, &found); failed != 0) {
    return domain::Error{domain::ErrorCode::kUnavailable,
                         "Cannot resolve " + target->host + ": " + gai_strerror(failed)};
  }
  std::optional<std::string> first;
  bool refused = false;
  for (const auto* entry = found; entry != nullptr; entry = entry->ai_next) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (entry->ai_family == AF_INET) {
      const auto& in = reinterpret_cast<const sockaddr_in*>(entry->ai_addr)->sin_addr;
      refused = refused || refused_v4(reinterpret_cast<const std::uint8_t*>(&in));
      inet_ntop(AF_INET, &in, text.data(), text.size());
    } else if (entry->ai_family == AF_INET6) {
      const auto& in6 = reinterpret_cast<const sockaddr_in6*>(entry->ai_addr)->sin6_addr;
      refused = refused || refused_v6(reinterpret_cast<const std::uint8_t*>(&in6));
      inet_ntop(AF_INET6, &in6, text.data(), text.size());
    } else {
      continue;
    }
    if (!first) first = text.data();
  }
  freeaddrinfo(found);
  if (!first) return domain::Error{domain::ErrorCode::kUnavailable, "No address for " + target->host};
  if (refused && !allow_private) {
    return domain::Error{domain::ErrorCode::kForbidden,
                         target->host + " resolves to a loopback, private or link-local address: refused"};
  }
  return *first;
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

std::string unbase64(std::string_view text) {
  std::string out(3 * ((text.size() + 3) / 4) + 1, '\0');
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (length < 0) return {};
  // EVP_DecodeBlock counts the padding's zero bytes too.
  std::size_t size = static_cast<std::size_t>(length);
  for (auto pad = text.rbegin(); pad != text.rend() && *pad == '=' && size > 0; ++pad) --size;
  out.resize(size);
  return out;
}

}  // namespace

bool is_refused_address(const std::string& address) {
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) return refused_v4(bytes.data());
  if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) return refused_v6(bytes.data());
  return true;
}

std::string standard_webhook_signature(const std::string& secret, const std::string& message_id, std::int64_t timestamp,
                                       const std::string& body) {
  std::string_view encoded = secret;
  if (encoded.starts_with("whsec_")) encoded.remove_prefix(6);
  const auto key = unbase64(encoded);
  const auto signed_content = message_id + "." + std::to_string(timestamp) + "." + body;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac.data(), &size);
  return "v1," + base64(mac.data(), size);
}

std::vector<domain::Result<domain::WebhookResponse>> CurlWebhookSender::send(
    const std::vector<domain::WebhookMessage>& messages) {
  std::vector<std::optional<domain::Error>> refused(messages.size());
  std::vector<http::HttpRequest> requests;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& message = messages[i];
    auto address = checked_address(message.url, options_.allow_private);
    if (!address) {
      refused[i] = address.error();
      continue;
    }
    const auto timestamp = std::chrono::duration_cast<std::chrono::seconds>(message.at.time_since_epoch()).count();
    const auto signature = standard_webhook_signature(message.secret, message.message_id, timestamp, message.body);
    requests.push_back({.method = "POST",
                        .url = message.url,
                        .headers = {{"Content-Type", "application/json"},
                                    {"User-Agent", "leadstream-webhooks/1"},
                                    {"webhook-id", message.message_id},
                                    {"webhook-timestamp", std::to_string(timestamp)},
                                    {"webhook-signature", signature}},
                        .body = message.body,
                        .timeout = options_.timeout,
                        .connect_timeout = options_.connect_timeout,
                        .pinned_address = *address,
                        .web_only = true,
                        .max_body = kMaxAnswer});
  }
  auto responses = client_.send_all(requests, options_.connections_per_host);
  std::vector<domain::Result<domain::WebhookResponse>> out;
  out.reserve(messages.size());
  auto response = responses.begin();
  for (const auto& refusal : refused) {
    if (refusal) {
      out.emplace_back(*refusal);
    } else if (!*response) {
      out.emplace_back((response++)->error());
    } else {
      const auto& answer = **(response++);
      out.emplace_back(domain::WebhookResponse{answer.status, static_cast<int>(answer.elapsed.count()),
                                               answer.body.substr(0, kExcerpt)});
    }
  }
  return out;
}

}  // namespace leadstream::adapters::webhooks
