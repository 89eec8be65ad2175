#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "domain/ports/secrets.hpp"

namespace leadstream::adapters::crypto {

/// OpenSSL's CSPRNG, SHA-256 and AES-256-GCM. `key_source` gives the 32-byte sealing key
/// (see daemon/secret_key): asked once, at the first seal or unseal, so that commands
/// that never seal need no key. Thread-safe.
class OpenSslSecrets final : public domain::Secrets {
 public:
  explicit OpenSslSecrets(std::function<std::string()> key_source = {}) : key_source_(std::move(key_source)) {}

  // domain::Secrets
  std::string random_base62(std::size_t length) override;
  std::string webhook_secret() override;
  domain::KeyDigest sha256(std::string_view data) const override;
  bool equal(const domain::KeyDigest& a, const domain::KeyDigest& b) const override;
  std::string seal(std::string_view plaintext) override;
  domain::Result<std::string> unseal(std::string_view sealed) override;

 private:
  const std::string& key();

  std::function<std::string()> key_source_;
  std::once_flag key_once_;
  std::string key_;
};

}  // namespace leadstream::adapters::crypto
