#include "daemon/secret_key.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace leadstream::daemon {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string new_hex_key() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("the system random generator failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const auto byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

std::string failure(const std::string& path, const std::string& what) {
  return "the secret key file " + path + " " + what + ": " + std::generic_category().message(errno) +
         " (set LEADSTREAM_SECRET_KEY or LEADSTREAM_SECRET_KEY_FILE)";
}

}  // namespace

std::string key_from_hex(std::string_view hex) {
  if (hex.size() != 64) return {};
  std::string key;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]), low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return {};
    key += static_cast<char>(high * 16 + low);
  }
  return key;
}

std::string load_secret_key(const Config& config) {
  if (!config.secret_key.empty()) return key_from_hex(config.secret_key);
  const auto& path = config.secret_key_file;
  if (std::ifstream file(path); file) {
    std::string hex;
    file >> hex;
    auto key = key_from_hex(hex);
    if (key.empty()) throw std::runtime_error("the secret key file " + path + " does not hold 64 hex digits");
    return key;
  }
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  // O_EXCL: of two processes starting at once, one writes the key and the other reads it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return load_secret_key(config);
    throw std::runtime_error(failure(path, "cannot be created"));
  }
  const auto hex = new_hex_key() + "\n";
  const bool written = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ::close(fd);
  if (!written) throw std::runtime_error(failure(path, "cannot be written"));
  return key_from_hex(std::string_view(hex).substr(0, 64));
}

}  // namespace leadstream::daemon
