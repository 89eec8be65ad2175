#pragma once

#include <string>

#include "daemon/config.hpp"

namespace leadstream::daemon {

/// The installation's 32-byte sealing key: LEADSTREAM_SECRET_KEY (64 hex digits) when set,
/// else the key file LEADSTREAM_SECRET_KEY_FILE, created with a fresh random key (mode
/// 0600) when it does not exist yet. Every process sharing a database needs the same key.
/// Throws std::runtime_error naming the file when it can be neither read nor created.
std::string load_secret_key(const Config& config);

/// 64 hex digits as 32 bytes; empty when `hex` is not that.
std::string key_from_hex(std::string_view hex);

}  // namespace leadstream::daemon
