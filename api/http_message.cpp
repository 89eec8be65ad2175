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

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  const auto found = std::ranges::find_if(headers, [&](const auto& h) { return h.first == lower_name; });
  if (found == headers.end()) return std::nullopt;
  return std::string_view(found->second);
}

}  // namespace leadstream::api
