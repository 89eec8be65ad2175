#pragma once

#include "domain/ports/secrets.hpp"

namespace leadstream::adapters::crypto {

class OpenSslSecrets final : public domain::Secrets {
 public:
  // domain::Secrets
  std::string random_base62(std::size_t length) override;
  std::string webhook_secret() override;
  domain::KeyDigest sha256(std::string_view data) const override;
  bool equal(const domain::KeyDigest& a, const domain::KeyDigest& b) const override;
};

}  // namespace leadstream::adapters::crypto
