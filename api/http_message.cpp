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

bool Request::query_flag(std::string_view name) const {
  auto rest = query();
  while (!rest.empty()) {
    const auto end = std::min(rest.find('&'), rest.size());
    const auto pair = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) != name || equals == std::string_view::npos) continue;
    const auto value = pair.substr(equals + 1);
    return value == "true" || value == "1";
  }
  return false;
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  const auto found = std::ranges::find_if(headers, [&](const auto& h) { return h.first == lower_name; });
  if (found == headers.end()) return std::nullopt;
  return std::string_view(found->second);
}

}  // namespace leadstream::api
