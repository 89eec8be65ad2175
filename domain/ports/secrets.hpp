#pragma once

#include <string>
#include <string_view>

#include "domain/model/api_key.hpp"
#include "domain/result.hpp"

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
  /// Encrypts a secret we must be able to read back (a webhook signing secret) for storage,
  /// under the installation's key (authenticated: a changed byte fails unseal).
  virtual std::string seal(std::string_view plaintext) = 0;
  /// kInternal when `sealed` was not sealed under this installation's key.
  virtual Result<std::string> unseal(std::string_view sealed) = 0;
  /// Compares in time independent of where the digests differ.
  virtual bool equal(const KeyDigest& a, const KeyDigest& b) const = 0;
};

}  // namespace leadstream::domain
