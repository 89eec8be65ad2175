#pragma once

#include <chrono>
#include <string>

#include "domain/ports/enricher.hpp"

namespace leadstream::adapters::enrichment {

struct RunPollSettings {
  std::chrono::milliseconds poll_interval{1'000};
  /// A run not done by then is given up (its credits are the provider's to release).
  std::chrono::milliseconds run_deadline{std::chrono::minutes(3)};
  /// 429s waited out (retry_after_seconds) and 5xx retried per request, as the provider's
  /// own client does.
  int retries = 4;
  std::chrono::milliseconds max_wait{std::chrono::seconds(30)};
};

/// A contact-data provider speaking seed 000's run/poll protocol: POST /v1/enrich with up
/// to 100 contacts and a `want` (202 and a run_id), then GET /v1/runs/{id} until `done`.
/// One run per kind of contact wanted (LinkedIn URL, work email). Errors come typed:
/// 402 (no credits, no subscription) and 401 are kUpstream at once; 429 waits
/// `retry_after_seconds`, 5xx are retried, then kUnavailable (with the provider's wait as
/// retry_after for a 429).
class RunPollEnricher final : public domain::Enricher {
 public:
  RunPollEnricher(std::string base_url, std::string api_key, RunPollSettings settings = {});

  // domain::Enricher
  domain::Result<std::vector<domain::Enrichment>> enrich(const std::vector<domain::EnrichTarget>& targets) override;

 private:
  std::string base_url_;
  std::string api_key_;
  RunPollSettings settings_;
};

}  // namespace leadstream::adapters::enrichment
