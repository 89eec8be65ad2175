#pragma once

#include <string>
#include <string_view>

#include "domain/model/api_key.hpp"

namespace leadstream::domain {

/// The cryptography the domain needs, kept behind a port so the domain links no library.
/// Thread-safe.
class Secrets {
 public:
  virtual ~Secrets() = default;
  /// `length` characters of [0-9A-Za-z] from a CSPRNG, unbiased.
  virtual std::string random_base62(std::size_t length) = 0;
  /// A Standard Webhooks signing secret: "whsec_" and the base64 of 32 random bytes.
  virtual std::string webhook_secret() = 0;
  virtual KeyDigest sha256(std::string_view data) const = 0;
  /// Compares in time independent of where the digests differ.
  virtual bool equal(const KeyDigest& a, const KeyDigest& b) const = 0;
};

}  // namespace leadstream::domain
