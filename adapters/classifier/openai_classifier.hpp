#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "domain/ports/classifier.hpp"
#include "domain/ports/classifier_cache.hpp"

namespace leadstream::adapters::classifier {

struct OpenAiSettings {
  std::string base_url;  // up to /chat/completions, with or without its /v1
  std::string api_key;   // empty: no Authorization header (a local server)
  std::string model = "gpt-4o-mini";
  std::size_t batch = 20;  // profiles per request
  /// Tries per batch: a transport error, 429 or 5xx, or an answer that is not the
  /// schema's is tried again, then the batch is handed to the local scorer. A refused, cut
  /// or filtered batch is split instead; a status every request would get (401, 404,
  /// 400, no quota) ends asking for the matcher's run.
  int attempts = 3;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};    // a local model on a CPU is slow
  std::chrono::milliseconds max_wait{std::chrono::seconds(20)};  // the longest backoff or Retry-After honoured
};

/// A classifier that asks any OpenAI-compatible POST /v1/chat/completions endpoint, many
/// followers per request, for a JSON-schema answer (`response_format: json_schema`): per
/// profile and segment, high, medium or none, with a reason. Answers are kept in the
/// ClassifierCache per (model and segment terms, profile text), so a re-run asks nothing
/// again; what fails is answered by `fallback` (the local scorer) and not kept. The
/// segment's followerCountTiers bound the matches as the local scorer's do. Requests and
/// tokens are the matcher's usage().
class OpenAiClassifier final : public domain::Classifier {
 public:
  OpenAiClassifier(OpenAiSettings settings, const domain::Classifier& fallback, domain::ClassifierCache& cache);

  // domain::Classifier
  std::unique_ptr<domain::ProfileMatcher> prepare(const std::vector<domain::SegmentTerms>& segments) const override;

 private:
  OpenAiSettings settings_;
  const domain::Classifier& fallback_;
  domain::ClassifierCache& cache_;
};

}  // namespace leadstream::adapters::classifier
