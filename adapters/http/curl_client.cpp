#include "adapters/http/curl_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "domain/rules/text.hpp"

namespace leadstream::adapters::http {
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
  CURLU* url = curl_url();
  char* host = nullptr;
  char* port = nullptr;
  char* scheme = nullptr;
  std::string entry;
  if (curl_url_set(url, CURLUPART_URL, target.c_str(), 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK) {
    const bool has_port = curl_url_get(url, CURLUPART_PORT, &port, 0) == CURLUE_OK;
    std::string name(host);
    if (name.starts_with('[')) name = name.substr(1, name.size() - 2);
    const std::string port_text = has_port ? port : (std::string_view(scheme) == "https" ? "443" : "80");
    entry = name + ":" + port_text + ":" + (address.find(':') != std::string::npos ? "[" + address + "]" : address);
  }
  curl_free(host);
  curl_free(port);
  curl_free(scheme);
  curl_url_cleanup(url);
  return entry;
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

CurlHttpClient::CurlHttpClient() {
  static CurlGlobal global;
  handle_ = curl_easy_init();
  if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

CurlHttpClient::~CurlHttpClient() { curl_easy_cleanup(static_cast<CURL*>(handle_)); }

domain::Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  auto* curl = static_cast<CURL*>(handle_);
  curl_easy_reset(curl);
  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  BodySink sink{&response.body, request.max_body};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  if (request.connect_timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  }
  if (request.web_only) curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_slist* resolve = nullptr;
  if (request.pinned_address) {
    resolve = curl_slist_append(resolve, resolve_entry(request.url, *request.pinned_address).c_str());
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  curl_slist* header_list = nullptr;
  // Without this, curl sends "Expect: 100-continue" for larger bodies and waits on it.
  header_list = curl_slist_append(header_list, "Expect:");
  for (const auto& [name, value] : request.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(header_list);
  curl_slist_free_all(resolve);

  if (code != CURLE_OK) {
    return domain::Error{domain::ErrorCode::kUnavailable, std::string("HTTP request failed: ") + curl_easy_strerror(code)};
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace leadstream::adapters::http
