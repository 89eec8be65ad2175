#include "api/http_message.hpp"

#include <algorithm>

namespace leadstream::api {

std::string_view Request::path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

std::string_view Request::query() const {
  const std::string_view whole(target);
  const auto mark = whole.find('?');
  return mark == std::string_view::npos ? std::string_view{} : whole.substr(mark + 1);
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// %XX and '+' decoded; a malformed escape is kept as it was.
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto rest = query();
  while (!rest.empty()) {
    const auto end = std::min(rest.find('&'), rest.size());
    const auto pair = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name) continue;
    return percent_decode(pair.substr(equals + 1));
  }
  return std::nullopt;
}

bool Request::query_flag(std::string_view name) const {
  const auto value = query_param(name);
  return value == "true" || value == "1";
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  const auto found = std::ranges::find_if(headers, [&](const auto& h) { return h.first == lower_name; });
  if (found == headers.end()) return std::nullopt;
  return std::string_view(found->second);
}

}  // namespace leadstream::api
