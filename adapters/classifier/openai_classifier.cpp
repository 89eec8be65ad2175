#include "adapters/classifier/openai_classifier.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "adapters/http/curl_client.hpp"
#include "domain/rules/fnv1a.hpp"
#include "domain/rules/segment_vocabulary.hpp"
#include "domain/rules/text.hpp"

namespace leadstream::adapters::classifier {
namespace {

namespace bj = boost::json;
using domain::Error;
using domain::ErrorCode;
using domain::FollowerProfile;
using domain::Match;
using domain::MatchConfidence;

http::CurlHttpClient& client() {
  thread_local http::CurlHttpClient instance;
  return instance;
}

constexpr double kHighScore = 0.9;
constexpr double kMediumScore = 0.6;
constexpr std::size_t kReasonCharacters = 200;

constexpr std::string_view kInstructions =
    "You classify X (Twitter) profiles for a lead-generation tool. For each profile and each segment, decide "
    "whether the person, as they are now, is one of the people the segment describes. Answer \"high\" when the "
    "profile clearly says so, \"medium\" when it suggests it without saying it, \"none\" otherwise. Past roles "
    "(\"ex-founder\"), wishes (\"aspiring CEO\"), and people who serve, teach, write about or invest in such "
    "people without being them are \"none\". A person's name is no evidence of a role. A profile that contains an "
    "exclude keyword of a segment is \"none\" for it. Give a short reason in the profile's own words. Answer for "
    "every profile index and every segment id given.";

/// A key of parts, each ended by a unit separator (so that "ab"+"c" and "a"+"bc"
/// differ), that changes when any part does.
class KeyHash {
 public:
  KeyHash& add(std::string_view part) {
    hash_.add(part).add_byte(0x1F);
    return *this;
  }
  std::string hex() const { return hash_.hex(); }

 private:
  domain::Fnv1a hash_;
};

std::string segment_key(const std::string& model, const domain::SegmentTerms& segment) {
  KeyHash hash;
  hash.add(model).add(segment.description);
  for (const auto& word : segment.keywords) hash.add(word);
  hash.add("-");
  for (const auto& word : segment.exclude_keywords) hash.add(word);
  for (const auto& [group, labels] : segment.applied_search_filters) {
    hash.add(group);
    for (const auto& label : labels) hash.add(label);
  }
  return hash.hex();
}

std::string profile_key(const FollowerProfile& profile) {
  return KeyHash{}
      .add(profile.display_name)
      .add(profile.handle)
      .add(profile.bio)
      .add(profile.location)
      .add(profile.url)
      .hex();
}

bj::object segment_json(const domain::SegmentTerms& segment) {
  bj::object filters;
  for (const auto& [group, labels] : segment.applied_search_filters) filters[group] = bj::value_from(labels);
  return {{"id", segment.id.value},
          {"description", segment.description},
          {"keywords", bj::value_from(segment.keywords)},
          {"excludeKeywords", bj::value_from(segment.exclude_keywords)},
          {"filters", std::move(filters)}};
}

bj::object profile_json(std::size_t index, const FollowerProfile& profile) {
  return {{"index", index},
          {"name", profile.display_name},
          {"handle", profile.handle},
          {"bio", profile.bio},
          {"location", profile.location},
          {"url", profile.url},
          {"followers", profile.followers_count}};
}

/// The answer's JSON schema: strict, so that a compliant endpoint answers nothing else.
bj::object answer_format() {
  const auto closed = [](bj::object properties, std::initializer_list<std::string_view> required) {
    bj::array names;
    for (const auto name : required) names.emplace_back(name);
    return bj::object{{"type", "object"},
                      {"properties", std::move(properties)},
                      {"required", std::move(names)},
                      {"additionalProperties", false}};
  };
  const auto verdict = closed({{"segment", {{"type", "integer"}}},
                               {"fit", {{"type", "string"}, {"enum", {"high", "medium", "none"}}}},
                               {"reason", {{"type", "string"}}}},
                              {"segment", "fit", "reason"});
  const auto result = closed({{"index", {{"type", "integer"}}}, {"segments", {{"type", "array"}, {"items", verdict}}}},
                             {"index", "segments"});
  const auto schema = closed({{"results", {{"type", "array"}, {"items", result}}}}, {"results"});
  return {{"type", "json_schema"},
          {"json_schema", {{"name", "follower_classification"}, {"strict", true}, {"schema", schema}}}};
}

/// What the model said of one profile, per segment id.
using Verdicts = std::map<std::int64_t, domain::CachedAnswer>;

/// The JSON object of an answer's content: from its first '{' to its last '}', since a
/// server that does not enforce the schema may wrap it in a Markdown code fence.
std::string_view object_in(std::string_view content) {
  const auto first = content.find('{');
  const auto last = content.rfind('}');
  if (first == std::string_view::npos || last == std::string_view::npos || last < first) return content;
  return content.substr(first, last - first + 1);
}

/// The verdicts of a batch of `count` profiles from the answer's content, or why it is
/// unusable. A profile the answer leaves out, or one without a verdict for each of
/// `segment_ids`, is an error: the batch is asked again, and nothing guessed is kept.
domain::Result<std::vector<Verdicts>> verdicts_of(std::string_view content, std::size_t count,
                                                  const std::vector<std::int64_t>& segment_ids) {
  boost::system::error_code ec;
  const auto parsed = bj::parse(object_in(content), ec);
  const auto* results = !ec && parsed.is_object() ? parsed.as_object().if_contains("results") : nullptr;
  if (results == nullptr || !results->is_array()) return Error{ErrorCode::kUpstream, "the answer is not the schema's"};
  std::vector<std::optional<Verdicts>> found(count);
  for (const auto& item : results->get_array()) {
    const auto* result = item.if_object();
    const auto* index = result ? result->if_contains("index") : nullptr;
    const auto* segments = result ? result->if_contains("segments") : nullptr;
    if (!index || !index->is_int64() || !segments || !segments->is_array()) continue;
    const auto at = index->get_int64();
    if (at < 0 || static_cast<std::size_t>(at) >= count || found[at]) continue;
    Verdicts verdicts;
    for (const auto& entry : segments->get_array()) {
      const auto* verdict = entry.if_object();
      const auto* segment = verdict ? verdict->if_contains("segment") : nullptr;
      const auto* fit = verdict ? verdict->if_contains("fit") : nullptr;
      if (!segment || !segment->is_int64() || !fit || !fit->is_string()) continue;
      domain::CachedAnswer answer;
      answer.confidence = domain::parse_match_confidence(fit->get_string());
      if (const auto* reason = verdict->if_contains("reason"); reason && reason->is_string()) {
        answer.reason = domain::truncate_characters(reason->get_string(), kReasonCharacters);
      }
      verdicts.emplace(segment->get_int64(), std::move(answer));
    }
    if (std::ranges::all_of(segment_ids, [&](std::int64_t id) { return verdicts.contains(id); })) {
      found[at] = std::move(verdicts);
    }
  }
  std::vector<Verdicts> all;
  all.reserve(count);
  for (auto& verdicts : found) {
    if (!verdicts) return Error{ErrorCode::kUpstream, "the answer leaves out a profile or a segment"};
    all.push_back(std::move(*verdicts));
  }
  return all;
}

class OpenAiMatcher final : public domain::ProfileMatcher {
 public:
  OpenAiMatcher(const OpenAiSettings& settings, std::unique_ptr<domain::ProfileMatcher> fallback,
                domain::ClassifierCache& cache, std::vector<domain::SegmentTerms> segments)
      : settings_(settings), fallback_(std::move(fallback)), cache_(cache), segments_(std::move(segments)) {
    for (const auto& segment : segments_) {
      segment_keys_.push_back(segment_key(settings_.model, segment));
      segment_ids_.push_back(segment.id.value);
    }
    bj::array segments_json;
    for (const auto& segment : segments_) segments_json.push_back(segment_json(segment));
    segments_json_ = std::move(segments_json);
  }

  std::vector<Match> matches(const FollowerProfile& profile) override { return matches_of({&profile}).front(); }

  std::vector<std::vector<Match>> matches_of(const std::vector<const FollowerProfile*>& profiles) override {
    std::vector<std::vector<Match>> out(profiles.size());
    auto known = cached(profiles);
    std::vector<std::size_t> unknown;
    for (std::size_t i = 0; i < profiles.size(); ++i) {
      if (auto verdicts = all_cached(known, *profiles[i])) {
        out[i] = matches_from(*profiles[i], *verdicts);
        ++usage_.cached_profiles;
      } else {
        unknown.push_back(i);
      }
    }
    std::vector<std::pair<std::string, domain::CachedAnswer>> learned;
    for (std::size_t from = 0; from < unknown.size(); from += settings_.batch) {
      Batch batch;
      for (std::size_t i = from; i < unknown.size() && i < from + settings_.batch; ++i) {
        batch.push_back({profiles[unknown[i]], &out[unknown[i]]});
      }
      answer(batch, learned);
    }
    if (auto stored = cache_.store(learned); !stored) {
      spdlog::warn("classifier: answers not kept: {}", stored.error().message);
    }
    return out;
  }

  domain::ClassifierUsage usage() const override { return usage_; }

 private:
  /// Profiles asked about together, each with where its matches go.
  using Batch = std::vector<std::pair<const FollowerProfile*, std::vector<Match>*>>;

  /// How asking about a batch ended.
  struct Asked {
    std::optional<std::vector<Verdicts>> verdicts;
    bool split = false;  // cut at the length limit, refused or filtered: smaller batches may pass
    bool final = false;  // an answer every request would get (a bad key, model or request, no quota)
    std::string why;
  };

  /// Fills the batch's matches from the model, splitting a batch it cut, refused or
  /// filtered into halves (one profile at the least), and from the local scorer for what
  /// it fails on. After a final failure the model is not asked again by this matcher.
  void answer(const Batch& batch, std::vector<std::pair<std::string, domain::CachedAnswer>>& learned) {
    Asked asked;
    if (given_up_) {
      asked.why = "given up for this run: " + *given_up_;
    } else {
      std::vector<const FollowerProfile*> profiles;
      profiles.reserve(batch.size());
      for (const auto& [profile, slot] : batch) profiles.push_back(profile);
      asked = ask(profiles);
    }
    if (asked.verdicts) {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        *batch[i].second = matches_from(*batch[i].first, (*asked.verdicts)[i]);
        remember((*asked.verdicts)[i], *batch[i].first, learned);
      }
      return;
    }
    if (asked.split && batch.size() > 1) {
      const auto half = static_cast<std::ptrdiff_t>(batch.size() / 2);
      answer(Batch(batch.begin(), batch.begin() + half), learned);
      answer(Batch(batch.begin() + half, batch.end()), learned);
      return;
    }
    if (asked.final && !given_up_) {
      given_up_ = asked.why;
      spdlog::warn("classifier: the model endpoint refuses every request ({}); the local scorer answers for this run",
                   asked.why);
    } else if (!given_up_) {
      spdlog::warn("classifier: the model failed on {} profile(s) ({}); the local scorer answers for them",
                   batch.size(), asked.why);
    }
    usage_.fallback_profiles += static_cast<int>(batch.size());
    for (const auto& [profile, slot] : batch) *slot = fallback_->matches(*profile);
  }

  std::string key_of(std::size_t segment, const FollowerProfile& profile) const {
    return segment_keys_[segment] + '/' + profile_key(profile);
  }

  std::unordered_map<std::string, domain::CachedAnswer> cached(const std::vector<const FollowerProfile*>& profiles) {
    std::vector<std::string> keys;
    keys.reserve(profiles.size() * segments_.size());
    for (const auto* profile : profiles) {
      for (std::size_t s = 0; s < segments_.size(); ++s) keys.push_back(key_of(s, *profile));
    }
    auto found = cache_.find(keys);
    if (found) return std::move(*found);
    spdlog::warn("classifier: earlier answers unreadable: {}", found.error().message);
    return {};
  }

  /// The profile's verdicts when every segment's is cached.
  std::optional<Verdicts> all_cached(const std::unordered_map<std::string, domain::CachedAnswer>& known,
                                     const FollowerProfile& profile) const {
    Verdicts verdicts;
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      const auto answer = known.find(key_of(s, profile));
      if (answer == known.end()) return std::nullopt;
      verdicts.emplace(segments_[s].id.value, answer->second);
    }
    return verdicts;
  }

  void remember(const Verdicts& verdicts, const FollowerProfile& profile,
                std::vector<std::pair<std::string, domain::CachedAnswer>>& learned) const {
    for (std::size_t s = 0; s < segments_.size(); ++s) {
      const auto verdict = verdicts.find(segments_[s].id.value);
      learned.emplace_back(key_of(s, profile), verdict == verdicts.end() ? domain::CachedAnswer{} : verdict->second);
    }
  }

  std::vector<Match> matches_from(const FollowerProfile& profile, const Verdicts& verdicts) const {
    std::vector<Match> matches;
    for (const auto& segment : segments_) {
      const auto verdict = verdicts.find(segment.id.value);
      if (verdict == verdicts.end() || !verdict->second.confidence) continue;
      if (!domain::within_follower_count_tiers(segment.follower_count_tiers, profile.followers_count)) continue;
      const bool high = *verdict->second.confidence == MatchConfidence::kHigh;
      Match match{segment.id, *verdict->second.confidence, high ? kHighScore : kMediumScore, {}};
      if (!verdict->second.reason.empty()) match.reasons.push_back(verdict->second.reason);
      matches.push_back(std::move(match));
    }
    return matches;
  }

  std::string request_body(const std::vector<const FollowerProfile*>& batch) const {
    bj::array profiles;
    for (std::size_t i = 0; i < batch.size(); ++i) profiles.push_back(profile_json(i, *batch[i]));
    const bj::object question{{"segments", segments_json_}, {"profiles", std::move(profiles)}};
    const bj::object body{
        {"model", settings_.model},
        {"messages",
         {{{"role", "system"}, {"content", kInstructions}}, {{"role", "user"}, {"content", bj::serialize(question)}}}},
        {"response_format", answer_format()}};
    return bj::serialize(body);
  }

  /// Asks about a batch, `attempts` times at most. A failed transport, 429 (but an empty
  /// quota) or 5xx waits (retry-after-ms or Retry-After when given, else backing off); an
  /// answer that is not the schema's is asked again at once; a cut, refused or filtered
  /// one is not asked again as it is (the same question gets the same answer); another
  /// status is final.
  Asked ask(const std::vector<const FollowerProfile*>& batch) {
    http::HttpRequest request;
    request.method = "POST";
    request.url = settings_.base_url + "/v1/chat/completions";
    request.body = request_body(batch);
    request.timeout = settings_.timeout;
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!settings_.api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
    Asked asked;
    std::chrono::milliseconds wait{0};
    for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
      if (attempt > 0 && !http::pause_unless_aborted(std::min(wait, settings_.max_wait))) break;
      ++usage_.requests;
      wait = std::chrono::milliseconds{250 << attempt};
      auto response = client().send(request);
      if (!response) {
        asked.why = response.error().message;
        continue;
      }
      if (response->status != 200) {
        const auto [code, message] = endpoint_error(*response);
        asked.why = "HTTP " + std::to_string(response->status) + (code.empty() ? "" : " " + code) +
                    (message.empty() ? "" : ": " + message);
        if (const auto said = retry_after(*response)) wait = *said;
        const bool passing = (response->status == 429 && code != "insufficient_quota") || response->status >= 500;
        if (!passing) {
          asked.final = true;
          return asked;
        }
        continue;
      }
      asked = read_completion(response->body, batch.size());
      if (asked.verdicts || asked.split) return asked;
      wait = std::chrono::milliseconds{0};  // an answer, not the one asked for: ask again at once
    }
    return asked;
  }

  /// The endpoint's {"error": {"code", "message"}}, as far as it says.
  static std::pair<std::string, std::string> endpoint_error(const http::HttpResponse& response) {
    boost::system::error_code ec;
    const auto body = bj::parse(response.body, ec);
    const auto* error = !ec && body.is_object() ? body.as_object().if_contains("error") : nullptr;
    if (error == nullptr || !error->is_object()) return {};
    const auto text = [&](std::string_view name) {
      const auto* value = error->as_object().if_contains(name);
      return value && value->is_string() ? domain::truncate_characters(value->get_string(), 200) : std::string();
    };
    return {text("code"), text("message")};
  }

  /// retry-after-ms, else Retry-After in (possibly fractional) seconds; nullopt when
  /// neither is given or readable (an HTTP date), to back off instead.
  static std::optional<std::chrono::milliseconds> retry_after(const http::HttpResponse& response) {
    const auto number = [](const std::string& text) -> std::optional<double> {
      if (text.empty()) return std::nullopt;
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || value < 0) return std::nullopt;
      return value;
    };
    if (const auto ms = number(response.header("retry-after-ms"))) return std::chrono::milliseconds{std::llround(*ms)};
    if (const auto seconds = number(response.header("retry-after"))) {
      return std::chrono::milliseconds{std::llround(*seconds * 1000)};
    }
    return std::nullopt;
  }

  /// A completion's verdicts, counting its tokens whatever it says.
  Asked read_completion(const std::string& body, std::size_t count) {
    Asked asked;
    boost::system::error_code ec;
    const auto parsed = bj::parse(body, ec);
    if (ec || !parsed.is_object()) return (asked.why = "the answer is no JSON object", asked);
    const auto& completion = parsed.get_object();
    if (const auto* usage = completion.if_contains("usage"); usage && usage->is_object()) {
      if (const auto* n = usage->get_object().if_contains("prompt_tokens"); n && n->is_int64())
        usage_.prompt_tokens += n->get_int64();
      if (const auto* n = usage->get_object().if_contains("completion_tokens"); n && n->is_int64())
        usage_.completion_tokens += n->get_int64();
    }
    const auto* choices = completion.if_contains("choices");
    if (!choices || !choices->is_array() || choices->get_array().empty() || !choices->get_array()[0].is_object()) {
      return (asked.why = "the answer has no choice", asked);
    }
    const auto& choice = choices->get_array()[0].get_object();
    if (const auto* finish = choice.if_contains("finish_reason"); finish && finish->is_string()) {
      if (finish->get_string() == "length" || finish->get_string() == "content_filter") {
        asked.split = true;
        asked.why = "the answer was cut (finish_reason " + std::string(finish->get_string()) + ")";
        return asked;
      }
    }
    const auto* message = choice.if_contains("message");
    if (!message || !message->is_object()) return (asked.why = "the answer has no message", asked);
    if (const auto* refusal = message->get_object().if_contains("refusal"); refusal && refusal->is_string()) {
      asked.split = true;
      asked.why = "the model refused: " + domain::truncate_characters(refusal->get_string(), 200);
      return asked;
    }
    const auto* content = message->get_object().if_contains("content");
    if (!content || !content->is_string()) return (asked.why = "the answer has no content", asked);
    auto verdicts = verdicts_of(content->get_string(), count, segment_ids_);
    if (!verdicts) return (asked.why = verdicts.error().message, asked);
    asked.verdicts = std::move(*verdicts);
    return asked;
  }

  const OpenAiSettings& settings_;
  std::unique_ptr<domain::ProfileMatcher> fallback_;
  domain::ClassifierCache& cache_;
  std::vector<domain::SegmentTerms> segments_;
  std::vector<std::string> segment_keys_;  // per segment, in order
  std::vector<std::int64_t> segment_ids_;
  std::optional<std::string> given_up_;  // why the endpoint is not asked again
  bj::array segments_json_;
  domain::ClassifierUsage usage_;
};

}  // namespace

OpenAiClassifier::OpenAiClassifier(OpenAiSettings settings, const domain::Classifier& fallback,
                                   domain::ClassifierCache& cache)
    : settings_(std::move(settings)), fallback_(fallback), cache_(cache) {
  if (settings_.batch == 0) settings_.batch = 1;
  // Clients and servers write the base URL with or without /v1: both mean the same.
  auto& base = settings_.base_url;
  while (base.ends_with('/')) base.pop_back();
  if (base.ends_with("/v1")) base.resize(base.size() - 3);
}

std::unique_ptr<domain::ProfileMatcher> OpenAiClassifier::prepare(
    const std::vector<domain::SegmentTerms>& segments) const {
  return std::make_unique<OpenAiMatcher>(settings_, fallback_.prepare(segments), cache_, segments);
}

}  // namespace leadstream::adapters::classifier
