#include "adapters/enrichment/run_poll_enricher.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "adapters/http/curl_client.hpp"
#include "domain/rules/contact_extractor.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::adapters::enrichment {
namespace {

namespace bj = boost::json;
using domain::Error;
using domain::ErrorCode;

http::CurlHttpClient& client() {
  thread_local http::CurlHttpClient instance;
  return instance;
}

/// What a run asks the provider for, in the protocol's words.
enum class Want { kLinkedin, kEmail };

std::string_view want_name(Want want) { return want == Want::kLinkedin ? "linkedin_url" : "work_email"; }

/// A display name split as a person search wants it: "Jane van Doe" is Jane, van Doe.
std::pair<std::string, std::string> name_parts(std::string_view display_name) {
  const auto name = std::string(domain::trim(display_name.substr(0, display_name.find('|'))));
  const auto space = name.find(' ');
  if (space == std::string::npos) return {name, ""};
  return {name.substr(0, space), std::string(domain::trim(std::string_view(name).substr(space + 1)))};
}

/// The domain of the person's site, unless it is a profile on someone else's site.
std::string domain_of(const std::string& url) {
  const auto origin = http::origin_of(url.find("://") == std::string::npos ? "https://" + url : url);
  if (!origin) return {};
  auto host = domain::lower(origin->host);
  if (host.starts_with("www.")) host.erase(0, 4);
  for (const auto* shared : {"linkedin.com", "x.com", "twitter.com", "github.com", "medium.com", "substack.com",
                             "linktr.ee", "instagram.com", "youtube.com", "t.co"}) {
    if (host == shared || host.ends_with(std::string(".") + shared)) return {};
  }
  return host;
}

bj::object contact_json(std::size_t index, const domain::EnrichTarget& target) {
  const auto [first, last] = name_parts(target.display_name);
  bj::object contact{{"index", index}, {"first_name", first}, {"last_name", last}, {"x_handle", target.handle}};
  if (auto domain = domain_of(target.url); !domain.empty()) contact["domain"] = domain;
  return contact;
}

/// The provider's error body: {"error": {"code", "message"}, "retry_after_seconds"}.
struct ProviderError {
  std::string code;
  std::string message;
  std::optional<int> retry_after_seconds;
};

ProviderError provider_error(const http::HttpResponse& response) {
  ProviderError error{"http_" + std::to_string(response.status), "", std::nullopt};
  boost::system::error_code ec;
  const auto body = bj::parse(response.body, ec);
  if (ec || !body.is_object()) return error;
  if (const auto* inner = body.as_object().if_contains("error"); inner && inner->is_object()) {
    if (const auto* code = inner->as_object().if_contains("code"); code && code->is_string()) {
      error.code = std::string(code->get_string());
    }
    if (const auto* message = inner->as_object().if_contains("message"); message && message->is_string()) {
      error.message = std::string(message->get_string());
    }
  }
  if (const auto* wait = body.as_object().if_contains("retry_after_seconds"); wait && wait->is_number()) {
    error.retry_after_seconds = static_cast<int>(wait->to_number<double>());
  }
  return error;
}

Error typed(const http::HttpResponse& response) {
  const auto error = provider_error(response);
  const auto said = "the enrichment provider answered " + std::to_string(response.status) + " " + error.code +
                    (error.message.empty() ? "" : ": " + error.message);
  if (response.status == 402) return Error{ErrorCode::kUpstream, said + " (its account needs credits or a plan)"};
  if (response.status == 429) {
    // The provider's limit, not the caller's: 503 with the wait it asked for.
    Error limited{ErrorCode::kUnavailable, said};
    limited.retry_after = std::chrono::seconds{std::max(0, error.retry_after_seconds.value_or(60))};
    return limited;
  }
  if (response.status >= 500) return Error{ErrorCode::kUnavailable, said};
  return Error{ErrorCode::kUpstream, said};
}

/// One found contact as what enrichment knows; nullopt for what is no contact of `want`.
std::optional<domain::Enrichment> found_contact(const bj::object& contact, Want want) {
  const auto* type = contact.if_contains("type");
  const auto* value = contact.if_contains("value");
  if (!type || !type->is_string() || !value || !value->is_string()) return std::nullopt;
  const std::string kind(type->get_string());
  const std::string text(value->get_string());
  const auto* confidence_value = contact.if_contains("confidence");
  const double confidence =
      confidence_value && confidence_value->is_number() ? confidence_value->to_number<double>() : 0.5;
  domain::Enrichment found;
  if (kind == "phone" || kind == "direct_phone" || kind == "mobile_phone") {
    found.phone = text;
  } else if (want == Want::kLinkedin) {
    auto url = domain::find_linkedin_url(text);
    if (!url) return std::nullopt;
    found.linkedin = domain::FoundLinkedin{std::move(*url), confidence};
  } else {
    auto address = domain::find_email(text, false);
    const auto* status_value = contact.if_contains("status");
    const std::string status = status_value && status_value->is_string() ? std::string(status_value->get_string()) : "";
    if (!address || status == "undeliverable" || status == "invalid") return std::nullopt;
    const bool verified = status == "deliverable" || status == "valid" || status == "verified";
    found.email = domain::FoundEmail{std::move(*address), verified ? "verified" : "unverified", "provider", confidence};
  }
  return found;
}

class Session {
 public:
  Session(const std::string& base_url, const std::string& api_key, const RunPollSettings& settings)
      : base_url_(base_url), api_key_(api_key), settings_(settings) {}

  /// Submits `want` for `targets` (their indexes in `all`), waits for the run, and adds
  /// what it found to `results`.
  domain::Result<void> run(Want want, const std::vector<domain::EnrichTarget>& all,
                           const std::vector<std::size_t>& targets, std::vector<domain::Enrichment>& results) {
    bj::array contacts;
    for (const auto index : targets) contacts.push_back(contact_json(index, all[index]));
    auto submitted =
        send("POST", "/v1/enrich", bj::serialize(bj::object{{"want", want_name(want)}, {"contacts", contacts}}));
    if (!submitted) return submitted.error();
    const auto* run_id = submitted->if_contains("run_id");
    if (!run_id || !run_id->is_string()) return Error{ErrorCode::kUpstream, "the enrichment provider named no run_id"};
    auto done = await(std::string(run_id->get_string()));
    if (!done) return done.error();
    read_results(*done, want, results);
    return {};
  }

 private:
  domain::Result<bj::object> await(const std::string& run_id) {
    const auto deadline = std::chrono::steady_clock::now() + settings_.run_deadline;
    for (;;) {
      auto polled = send("GET", "/v1/runs/" + run_id, "");
      if (!polled) return polled.error();
      const auto* status = polled->if_contains("status");
      const std::string state = status && status->is_string() ? std::string(status->get_string()) : "";
      if (state == "done") return std::move(*polled);
      if (state == "failed")
        return Error{ErrorCode::kUnavailable, "the enrichment provider's run " + run_id + " failed"};
      if (std::chrono::steady_clock::now() >= deadline) {
        return Error{ErrorCode::kUnavailable, "the enrichment provider's run " + run_id + " was not done in time"};
      }
      if (!http::pause_unless_aborted(settings_.poll_interval)) return Error{ErrorCode::kUnavailable, "shutting down"};
    }
  }

  static void read_results(const bj::object& run, Want want, std::vector<domain::Enrichment>& results) {
    const auto* listed = run.if_contains("results");
    if (!listed || !listed->is_array()) return;
    for (const auto& entry : listed->get_array()) {
      if (!entry.is_object()) continue;
      const auto& result = entry.get_object();
      const auto* index = result.if_contains("index");
      const auto* status = result.if_contains("status");
      const auto* contact = result.if_contains("contact");
      if (!index || !index->is_int64() || index->get_int64() < 0 ||
          static_cast<std::size_t>(index->get_int64()) >= results.size() || !status || *status != "found" || !contact ||
          !contact->is_object()) {
        continue;
      }
      const auto found = found_contact(contact->get_object(), want);
      if (!found) continue;
      auto& into = results[static_cast<std::size_t>(index->get_int64())];
      if (found->linkedin) into.linkedin = found->linkedin;
      if (found->email) into.email = found->email;
      if (found->phone) into.phone = found->phone;
    }
  }

  /// One call, 429s waited out and 5xx retried; the answer's JSON object.
  domain::Result<bj::object> send(const std::string& method, const std::string& path, const std::string& body) {
    http::HttpRequest request{.method = method, .url = base_url_ + path, .body = body};
    request.headers = {{"Authorization", "Bearer " + api_key_}, {"Accept", "application/json"}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    for (int attempt = 0;; ++attempt) {
      auto response = client().send(request);
      const bool retryable = !response || response->status == 429 || response->status >= 500;
      if (!retryable || attempt >= settings_.retries) {
        if (!response) return response.error();
        if (response->status / 100 != 2) return typed(*response);
        boost::system::error_code ec;
        auto parsed = bj::parse(response->body, ec);
        if (ec || !parsed.is_object())
          return Error{ErrorCode::kUpstream, "the enrichment provider answered no JSON object"};
        return std::move(parsed.as_object());
      }
      auto wait = std::chrono::milliseconds{500 << attempt};
      if (response && response->status == 429) {
        if (const auto said = provider_error(*response).retry_after_seconds) wait = std::chrono::seconds{*said};
      }
      if (!http::pause_unless_aborted(std::min(wait, settings_.max_wait))) {
        return Error{ErrorCode::kUnavailable, "shutting down"};
      }
    }
  }

  const std::string& base_url_;
  const std::string& api_key_;
  const RunPollSettings& settings_;
};

}  // namespace

RunPollEnricher::RunPollEnricher(std::string base_url, std::string api_key, RunPollSettings settings)
    : base_url_(std::move(base_url)), api_key_(std::move(api_key)), settings_(settings) {
  while (base_url_.ends_with('/')) base_url_.pop_back();
}

domain::Result<std::vector<domain::Enrichment>> RunPollEnricher::enrich(
    const std::vector<domain::EnrichTarget>& targets) {
  if (targets.size() > kMaxBatch) return Error{ErrorCode::kInvalidRequest, "at most 100 contacts a run"};
  std::vector<domain::Enrichment> results(targets.size());
  Session session(base_url_, api_key_, settings_);
  for (const auto want : {Want::kLinkedin, Want::kEmail}) {
    std::vector<std::size_t> wanting;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (want == Want::kLinkedin ? targets[i].wants.linkedin : targets[i].wants.email) wanting.push_back(i);
    }
    if (wanting.empty()) continue;
    if (auto ran = session.run(want, targets, wanting, results); !ran) {
      spdlog::warn("enrichment provider: {}", ran.error().message);
      return ran.error();
    }
  }
  return results;
}

}  // namespace leadstream::adapters::enrichment
