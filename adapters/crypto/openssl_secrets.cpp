#include "adapters/crypto/openssl_secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
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

const std::string& OpenSslSecrets::key() {
  std::call_once(key_once_, [&] {
    if (!key_source_) throw std::logic_error("no sealing key was configured");
    key_ = key_source_();
    if (key_.size() != 32) throw std::runtime_error("the sealing key must be 32 bytes");
  });
  return key_;
}

// "v1." then base64 of nonce (12) | ciphertext | tag (16).
std::string OpenSslSecrets::seal(std::string_view plaintext) {
  const auto& k = key();
  std::string out(12 + plaintext.size() + 16, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(bytes, 12) != 1) throw std::runtime_error("the system random generator failed");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int length = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(k.data()),
                         bytes) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + 12, &length, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + 12 + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, bytes + 12 + plaintext.size()) != 1) {
    throw std::runtime_error("AES-256-GCM sealing failed");
  }
  std::string encoded(4 * ((out.size() + 2) / 3) + 1, '\0');
  const int size =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), bytes, static_cast<int>(out.size()));
  encoded.resize(static_cast<std::size_t>(size));
  return "v1." + encoded;
}

domain::Result<std::string> OpenSslSecrets::unseal(std::string_view sealed) {
  const domain::Error refused{domain::ErrorCode::kInternal,
                              "a stored secret does not open under this installation's key (was it changed?)"};
  if (!sealed.starts_with("v1.")) return refused;
  sealed.remove_prefix(3);
  std::string raw(3 * ((sealed.size() + 3) / 4) + 1, '\0');
  int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                             reinterpret_cast<const unsigned char*>(sealed.data()), static_cast<int>(sealed.size()));
  for (auto pad = sealed.rbegin(); pad != sealed.rend() && *pad == '=' && size > 0; ++pad) --size;
  if (size < 28) return refused;
  const auto& k = key();
  auto* bytes = reinterpret_cast<unsigned char*>(raw.data());
  const int text_size = size - 28;
  std::string plaintext(static_cast<std::size_t>(text_size), '\0');
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int length = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(k.data()),
                         bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &length, bytes + 12,
                        text_size) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, bytes + 12 + text_size) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + length, &length) != 1) {
    return refused;
  }
  return plaintext;
}

bool OpenSslSecrets::equal(const domain::KeyDigest& a, const domain::KeyDigest& b) const {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace leadstream::adapters::crypto
