#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model/ids.hpp"
#include "domain/result.hpp"

namespace leadstream::domain {

struct StoredResponse {
  int status = 0;
  std::string body;
};

/// What claiming an idempotency key found.
struct IdempotencyClaim {
  enum class Kind {
    kNew,         // first use (or the old one expired): act, then complete() or release()
    kReplay,      // done before with the same request: answer `stored`
    kMismatch,    // used before with another request
    kInProgress,  // the first request with this key has not finished
    kLost,        // the first request took effect, but its process died before answering
  };
  Kind kind = Kind::kNew;
  std::optional<StoredResponse> stored;
};

/// Idempotency keys per team, kept 24 hours. A claim left incomplete by a crashed
/// process can be taken over after a minute, unless its request took effect. Blocking;
/// thread-safe.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  virtual Result<IdempotencyClaim> claim(TeamId team, std::string_view key, std::string_view fingerprint) = 0;
  /// From now until end_acting() on this thread, every transaction that writes also marks
  /// the claim as having taken effect, atomically with its writes.
  virtual void begin_acting(TeamId team, std::string_view key) = 0;
  virtual void end_acting() = 0;
  virtual Result<void> complete(TeamId team, std::string_view key, const StoredResponse& response) = 0;
  /// Forgets a claim whose request failed, so that a retry acts; if the request took
  /// effect all the same, keeps `response` as its answer instead.
  virtual Result<void> release(TeamId team, std::string_view key, const StoredResponse& response) = 0;
};

}  // namespace leadstream::domain
