#include "adapters/classifier/openai_classifier.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <map>
#include <optional>

#include "adapters/http/curl_client.hpp"
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

/// FNV-1a of the parts, each ended by a unit separator, as 16 hex digits: a key that
/// changes when any part does.
class KeyHash {
 public:
  KeyHash& add(std::string_view part) {
    for (const char c : part) mix(static_cast<unsigned char>(c));
    mix(0x1F);
    return *this;
  }
  std::string hex() const {
    static constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) out[15 - i] = kDigits[(hash_ >> (4 * i)) & 0xFU];
    return out;
  }

 private:
  void mix(unsigned char byte) { hash_ = (hash_ ^ byte) * 1099511628211ULL; }
  std::uint64_t hash_ = 14695981039346656037ULL;
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

/// The verdicts of a batch of `count` profiles from the answer's content, or why it is
/// unusable. A profile the answer leaves out is an error: the batch is asked again.
domain::Result<std::vector<Verdicts>> verdicts_of(std::string_view content, std::size_t count) {
  boost::system::error_code ec;
  const auto parsed = bj::parse(content, ec);
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
    found[at] = std::move(verdicts);
  }
  std::vector<Verdicts> all;
  all.reserve(count);
  for (auto& verdicts : found) {
    if (!verdicts) return Error{ErrorCode::kUpstream, "the answer leaves out a profile"};
    all.push_back(std::move(*verdicts));
  }
  return all;
}

class OpenAiMatcher final : public domain::ProfileMatcher {
 public:
  OpenAiMatcher(const OpenAiSettings& settings, std::unique_ptr<domain::ProfileMatcher> fallback,
                domain::ClassifierCache& cache, std::vector<domain::SegmentTerms> segments)
      : settings_(settings), fallback_(std::move(fallback)), cache_(cache), segments_(std::move(segments)) {
    for (const auto& segment : segments_) segment_keys_.push_back(segment_key(settings_.model, segment));
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
      std::vector<const FollowerProfile*> batch;
      for (std::size_t i = from; i < unknown.size() && i < from + settings_.batch; ++i)
        batch.push_back(profiles[unknown[i]]);
      auto verdicts = ask(batch);
      if (!verdicts) {
        spdlog::warn("classifier: the model failed on {} profiles ({}); the local scorer answers for them",
                     batch.size(), verdicts.error().message);
        usage_.fallback_profiles += static_cast<int>(batch.size());
      }
      for (std::size_t j = 0; j < batch.size(); ++j) {
        auto& slot = out[unknown[from + j]];
        if (!verdicts) {
          slot = fallback_->matches(*batch[j]);
          continue;
        }
        slot = matches_from(*batch[j], (*verdicts)[j]);
        remember((*verdicts)[j], *batch[j], learned);
      }
    }
    if (auto stored = cache_.store(learned); !stored) {
      spdlog::warn("classifier: answers not kept: {}", stored.error().message);
    }
    return out;
  }

  domain::ClassifierUsage usage() const override { return usage_; }

 private:
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
        {"temperature", 0},
        {"messages",
         {{{"role", "system"}, {"content", kInstructions}}, {{"role", "user"}, {"content", bj::serialize(question)}}}},
        {"response_format", answer_format()}};
    return bj::serialize(body);
  }

  /// Asks about a batch, `attempts` times at most: a failed transport, 429 or 5xx waits
  /// (Retry-After when given, else backing off); a refusal, a cut answer or one that is
  /// not the schema's is asked again at once; another status is final.
  domain::Result<std::vector<Verdicts>> ask(const std::vector<const FollowerProfile*>& batch) {
    http::HttpRequest request;
    request.method = "POST";
    request.url = settings_.base_url + "/v1/chat/completions";
    request.body = request_body(batch);
    request.timeout = settings_.timeout;
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (!settings_.api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
    Error last{ErrorCode::kUnavailable, "no attempt made"};
    std::chrono::milliseconds wait{0};
    for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
      if (attempt > 0 && !http::pause_unless_aborted(std::min(wait, settings_.max_wait))) break;
      ++usage_.requests;
      wait = std::chrono::milliseconds{250 << attempt};
      auto response = client().send(request);
      if (!response) {
        last = response.error();
        continue;
      }
      if (response->status != 200) {
        last = Error{response->status == 429 ? ErrorCode::kRateLimited : ErrorCode::kUpstream,
                     "the model endpoint answered HTTP " + std::to_string(response->status)};
        if (const auto said = response->header("retry-after"); !said.empty()) {
          wait = std::chrono::seconds{std::atoi(said.c_str())};
        }
        if (response->status != 429 && response->status < 500) return last;
        continue;
      }
      auto verdicts = read_completion(response->body, batch.size());
      if (verdicts) return verdicts;
      last = verdicts.error();
      wait = std::chrono::milliseconds{0};  // an answer, not the one asked for: ask again at once
    }
    return last;
  }

  /// A completion's verdicts, counting its tokens whatever it says.
  domain::Result<std::vector<Verdicts>> read_completion(const std::string& body, std::size_t count) {
    boost::system::error_code ec;
    const auto parsed = bj::parse(body, ec);
    if (ec || !parsed.is_object()) return Error{ErrorCode::kUpstream, "the answer is no JSON object"};
    const auto& completion = parsed.get_object();
    if (const auto* usage = completion.if_contains("usage"); usage && usage->is_object()) {
      if (const auto* n = usage->get_object().if_contains("prompt_tokens"); n && n->is_int64())
        usage_.prompt_tokens += n->get_int64();
      if (const auto* n = usage->get_object().if_contains("completion_tokens"); n && n->is_int64())
        usage_.completion_tokens += n->get_int64();
    }
    const auto* choices = completion.if_contains("choices");
    if (!choices || !choices->is_array() || choices->get_array().empty() || !choices->get_array()[0].is_object()) {
      return Error{ErrorCode::kUpstream, "the answer has no choice"};
    }
    const auto& choice = choices->get_array()[0].get_object();
    if (const auto* finish = choice.if_contains("finish_reason");
        finish && finish->is_string() && finish->get_string() == "length") {
      return Error{ErrorCode::kUpstream, "the answer was cut at the length limit"};
    }
    const auto* message = choice.if_contains("message");
    if (!message || !message->is_object()) return Error{ErrorCode::kUpstream, "the answer has no message"};
    if (const auto* refusal = message->get_object().if_contains("refusal"); refusal && refusal->is_string()) {
      return Error{ErrorCode::kUpstream, "the model refused: " + std::string(refusal->get_string())};
    }
    const auto* content = message->get_object().if_contains("content");
    if (!content || !content->is_string()) return Error{ErrorCode::kUpstream, "the answer has no content"};
    return verdicts_of(content->get_string(), count);
  }

  const OpenAiSettings& settings_;
  std::unique_ptr<domain::ProfileMatcher> fallback_;
  domain::ClassifierCache& cache_;
  std::vector<domain::SegmentTerms> segments_;
  std::vector<std::string> segment_keys_;  // per segment, in order
  bj::array segments_json_;
  domain::ClassifierUsage usage_;
};

}  // namespace

OpenAiClassifier::OpenAiClassifier(OpenAiSettings settings, const domain::Classifier& fallback,
                                   domain::ClassifierCache& cache)
    : settings_(std::move(settings)), fallback_(fallback), cache_(cache) {
  if (settings_.batch == 0) settings_.batch = 1;
}

std::unique_ptr<domain::ProfileMatcher> OpenAiClassifier::prepare(
    const std::vector<domain::SegmentTerms>& segments) const {
  return std::make_unique<OpenAiMatcher>(settings_, fallback_.prepare(segments), cache_, segments);
}

}  // namespace leadstream::adapters::classifier
