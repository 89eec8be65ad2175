#include "adapters/http/curl_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "domain/rules/deadline.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::adapters::http {

std::optional<Origin> origin_of(const std::string& target) {
  CURLU* url = curl_url();
  char* host = nullptr;
  char* port = nullptr;
  std::optional<Origin> origin;
  if (curl_url_set(url, CURLUPART_URL, target.c_str(), 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    std::string name(host);
    if (name.starts_with('[')) name = name.substr(1, name.size() - 2);
    origin = Origin{name, port};
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(url);
  return origin;
}

namespace {

using domain::lower;
using domain::trim;

struct BodySink {
  std::string* body;
  std::size_t max;
};

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto& sink = *static_cast<BodySink*>(user);
  const auto room = sink.max - std::min(sink.max, sink.body->size());
  sink.body->append(data, std::min(room, size * count));  // the rest is read and dropped
  return size * count;
}

/// "host:port:address" for CURLOPT_RESOLVE: `target`'s host and port at `address`.
std::string resolve_entry(const std::string& target, const std::string& address) {
  const auto origin = origin_of(target);
  if (!origin) return {};
  const bool v6 = address.find(':') != std::string::npos;
  return origin->host + ":" + origin->port + ":" + (v6 ? "[" + address + "]" : address);
}

// Called once per header line, including the status line of every response curl sees
// (redirects, 100-continue): a new status line starts the header list afresh.
size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<Headers*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  const auto wanted = lower(name);
  const auto found = std::ranges::find_if(headers, [&](const auto& h) { return h.first == wanted; });
  return found == headers.end() ? std::string{} : found->second;
}

namespace {

/// Set once, at shutdown: see abort_all_transfers().
std::atomic<bool> aborting{false};
std::mutex abort_mutex;
std::condition_variable abort_signal;

/// curl asks this about once a second per transfer, and more often while data flows.
int abort_when_stopping(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return aborting ? 1 : 0; }

/// One request's easy-handle settings and what it collects; lives until the transfer ends.
class Transfer {
 public:
  Transfer(CURL* curl, const HttpRequest& request, std::chrono::milliseconds timeout)
      : sink_{&response_.body, request.max_body} {
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // Providers ask callers to name themselves (a User-Agent header overrides it).
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "leadstream/" LEADSTREAM_VERSION);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink_);
    if (request.connect_timeout.count() > 0) {
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
    }
    if (request.web_only) curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (request.pinned_address) {
      resolve_ = curl_slist_append(resolve_, resolve_entry(request.url, *request.pinned_address).c_str());
      curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve_);
    }
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response_.headers);
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    // Without this, curl sends "Expect: 100-continue" for larger bodies and waits on it.
    headers_ = curl_slist_append(headers_, "Expect:");
    for (const auto& [name, value] : request.headers) {
      headers_ = curl_slist_append(headers_, std::string(name).append(": ").append(value).c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers_);
  }
  ~Transfer() {
    curl_slist_free_all(headers_);
    curl_slist_free_all(resolve_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  domain::Result<HttpResponse> finish(CURL* curl, CURLcode code) {
    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return domain::Error{domain::ErrorCode::kUnavailable, "HTTP request abandoned: the daemon is stopping"};
    }
    if (code != CURLE_OK) {
      return domain::Error{domain::ErrorCode::kUnavailable,
                           std::string("HTTP request failed: ") + curl_easy_strerror(code)};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response_.status = static_cast<int>(status);
    curl_off_t total_us = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
    response_.elapsed = std::chrono::milliseconds{total_us / 1'000};
    return std::move(response_);
  }

 private:
  HttpResponse response_;
  BodySink sink_;
  curl_slist* headers_ = nullptr;
  curl_slist* resolve_ = nullptr;
};

CURL* new_easy_handle() {
  static CurlGlobal global;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  return curl;
}

}  // namespace

CurlHttpClient::CurlHttpClient() : handle_(new_easy_handle()) {}

CurlHttpClient::~CurlHttpClient() {
  for (void* easy : batch_handles_) curl_easy_cleanup(static_cast<CURL*>(easy));
  if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
  curl_easy_cleanup(static_cast<CURL*>(handle_));
}

void abort_all_transfers() {
  {
    std::lock_guard lock(abort_mutex);
    aborting = true;
  }
  abort_signal.notify_all();
}

bool pause_unless_aborted(std::chrono::milliseconds duration) {
  std::unique_lock lock(abort_mutex);
  return !abort_signal.wait_for(lock, duration, [] { return aborting.load(); });
}

domain::Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  if (aborting) return domain::Error{domain::ErrorCode::kUnavailable, "HTTP request not sent: the daemon is stopping"};
  auto* curl = static_cast<CURL*>(handle_);
  auto timeout = request.timeout;
  if (const auto left = domain::RequestDeadline::remaining()) {
    // Serving an API request: its answer is due at the deadline, whatever this call's own timeout.
    if (left->count() == 0) return domain::Error{domain::ErrorCode::kUnavailable, "the request's deadline passed"};
    timeout = std::min(timeout, *left);
  }
  Transfer transfer(curl, request, timeout);
  return transfer.finish(curl, curl_easy_perform(curl));
}

// Connections per host are limited here rather than with CURLMOPT_MAX_HOST_CONNECTIONS:
// libcurl 7.88 at times leaves a transfer it queued for a connection unstarted until the
// next poll timeout (measured: 1 s stalls, in about one batch of 100 in 25).
std::vector<domain::Result<HttpResponse>> CurlHttpClient::send_all(const std::vector<HttpRequest>& requests,
                                                                   std::size_t per_host) {
  if (multi_ == nullptr) multi_ = curl_multi_init();
  auto* multi = static_cast<CURLM*>(multi_);
  if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
  while (batch_handles_.size() < requests.size()) batch_handles_.push_back(new_easy_handle());

  std::vector<std::optional<domain::Result<HttpResponse>>> done(requests.size());
  std::vector<std::unique_ptr<Transfer>> transfers(requests.size());
  std::map<std::string, std::deque<std::size_t>> waiting;  // by host and port
  std::map<std::string, std::size_t> active;
  std::vector<std::string> host_of(requests.size());
  auto longest = std::chrono::milliseconds{0};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto origin = origin_of(requests[i].url);
    host_of[i] = origin ? origin->host + ":" + origin->port : requests[i].url;
    waiting[host_of[i]].push_back(i);
    longest = std::max(longest, requests[i].timeout);
  }
  // As with one request, a batch takes at most the longest timeout: a request waiting for
  // a connection spends its own.
  const auto deadline = std::chrono::steady_clock::now() + longest;
  std::size_t in_flight = 0;
  const auto start_next = [&](const std::string& host) {
    auto& queue = waiting[host];
    while (!queue.empty() && (per_host == 0 || active[host] < per_host)) {
      const auto i = queue.front();
      queue.pop_front();
      using std::chrono::milliseconds;
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        done[i] = domain::Error{domain::ErrorCode::kUnavailable,
                                "HTTP request failed: timed out waiting for a connection to " + host};
        continue;
      }
      auto* easy = static_cast<CURL*>(batch_handles_[i]);
      transfers[i] = std::make_unique<Transfer>(easy, requests[i], std::min(requests[i].timeout, left));
      // NOLINTNEXTLINE(performance-no-int-to-ptr): curl keeps the request's index, not a pointer.
      curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(i));
      curl_multi_add_handle(multi, easy);
      ++active[host];
      ++in_flight;
    }
  };
  for (const auto& [host, queue] : waiting) start_next(host);

  while (in_flight > 0) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode result = message->data.result;
      void* index = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &index);
      const auto i = reinterpret_cast<std::size_t>(index);
      done[i] = transfers[i]->finish(easy, result);
      curl_multi_remove_handle(multi, easy);  // `message` is gone from here on
      transfers[i].reset();
      --active[host_of[i]];
      --in_flight;
      start_next(host_of[i]);
    }
    if (in_flight > 0) curl_multi_poll(multi, nullptr, 0, 1'000, nullptr);
  }
  std::vector<domain::Result<HttpResponse>> out;
  out.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (transfers[i]) curl_multi_remove_handle(multi, static_cast<CURL*>(batch_handles_[i]));  // after a multi error
    out.push_back(done[i] ? std::move(*done[i])
                          : domain::Error{domain::ErrorCode::kUnavailable, "HTTP request failed: curl multi error"});
  }
  return out;
}

}  // namespace leadstream::adapters::http
