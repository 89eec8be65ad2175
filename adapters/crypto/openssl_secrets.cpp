#include "adapters/crypto/openssl_secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace leadstream::adapters::crypto {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 248 = 4 * 62: bytes at or above it are discarded so every character is equally likely.
constexpr unsigned kUnbiasedBound = 248;

}  // namespace

std::string OpenSslSecrets::random_base62(std::size_t length) {
  std::string out;
  out.reserve(length);
  std::array<unsigned char, 64> bytes{};
  while (out.size() < length) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("the system random generator failed");
    }
    for (const auto byte : bytes) {
      if (byte < kUnbiasedBound && out.size() < length) out.push_back(kAlphabet[byte % kAlphabet.size()]);
    }
  }
  return out;
}

std::string OpenSslSecrets::webhook_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("the system random generator failed");
  }
  std::array<unsigned char, 48> encoded{};  // 4 * ceil(32 / 3) + the terminator
  const int length = EVP_EncodeBlock(encoded.data(), bytes.data(), static_cast<int>(bytes.size()));
  return "whsec_" + std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length));
}

domain::KeyDigest OpenSslSecrets::sha256(std::string_view data) const {
  domain::KeyDigest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

bool OpenSslSecrets::equal(const domain::KeyDigest& a, const domain::KeyDigest& b) const {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace leadstream::adapters::crypto
