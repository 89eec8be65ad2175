#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"

namespace leadstream::adapters::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connect_timeout{0};  // 0: curl's default
  /// For URLs a user gave: the address the host was checked to resolve to (curl connects
  /// there and nowhere else, so DNS cannot change its answer in between), http and https
  /// only, and no more of the response body kept than `max_body` bytes.
  std::optional<std::string> pinned_address;
  bool web_only = false;
  std::size_t max_body = std::string::npos;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
  std::chrono::milliseconds elapsed{0};  // from the start (or the wait for a connection) to the last byte

  /// The first header of that name (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

/// A URL's host (without IPv6 brackets) and port (the scheme's when none is written).
struct Origin {
  std::string host;
  std::string port;
};
/// nullopt when curl cannot parse `url`.
std::optional<Origin> origin_of(const std::string& url);

/// The one libcurl client every outbound adapter (X, Stripe, webhooks, LLM, enrichment)
/// goes through. One instance per thread: it keeps its connections alive between calls.
/// At shutdown: every transfer in progress ends within about a second (kUnavailable), every
/// later one fails at once, and pause_unless_aborted() returns early. One-way, for the whole
/// process: what was cut is retried by its outbox (webhooks, Stripe) or its run's lease.
void abort_all_transfers();
/// Sleeps `duration` (a retry's backoff), or less when abort_all_transfers() is called
/// meanwhile. False when it was.
bool pause_unless_aborted(std::chrono::milliseconds duration);

class CurlHttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient();
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// Any status is a response; kUnavailable only when no response arrived (refused,
  /// reset, timed out), with curl's reason.
  domain::Result<HttpResponse> send(const HttpRequest& request);
  /// All of `requests` at once, at most `per_host` at a time to one host and port (0: no
  /// limit), an answer per request in order. A request waiting for a connection spends its
  /// own timeout waiting, so the whole batch takes at most the longest timeout.
  std::vector<domain::Result<HttpResponse>> send_all(const std::vector<HttpRequest>& requests, std::size_t per_host);

 private:
  // Kept opaque (CURL*, CURLM*) so that callers need no curl headers.
  void* handle_;
  void* multi_ = nullptr;  // made at the first send_all; keeps its connections alive between batches
  std::vector<void*> batch_handles_;
};

}  // namespace leadstream::adapters::http
