#pragma once

#include <string>
#include <vector>

#include "domain/model/enrichment.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

/// One person to look up, with what a provider can search by.
struct EnrichTarget {
  std::string x_user_id;
  std::string handle;
  std::string display_name;
  std::string bio;
  std::string url;  // expanded: often the person's or their company's site
  EnrichWants wants;
};

/// A paid contact-data provider: the step of the waterfall after the profile's own
/// contacts. Blocking; thread-safe.
class Enricher {
 public:
  /// At most this many targets a call.
  static constexpr std::size_t kMaxBatch = 100;

  virtual ~Enricher() = default;
  /// What the provider found for each target, in order (an empty Enrichment for a miss).
  /// Errors: kUpstream (also when the provider's own account ran out of credits: no
  /// retry helps), kRateLimited and kUnavailable.
  virtual Result<std::vector<Enrichment>> enrich(const std::vector<EnrichTarget>& targets) = 0;
};

}  // namespace leadstream::domain
