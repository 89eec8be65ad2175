#pragma once

#include "domain/result.hpp"

namespace leadstream::domain {

/// Whether the process can serve: its store reachable and its schema current.
class Readiness {
 public:
  virtual ~Readiness() = default;
  /// kUnavailable with the reason when not ready.
  virtual Result<void> check() = 0;
};

}  // namespace leadstream::domain
