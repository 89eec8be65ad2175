#include <boost/json.hpp>
#include <charconv>

#include "api/handlers/handlers.hpp"

namespace leadstream::api::handlers {

Response json_response(int status, const boost::json::value& body) {
  return Response{.status = status, .body = boost::json::serialize(body)};
}

std::optional<std::int64_t> parse_id(std::string_view segment) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), id);
  if (ec != std::errc{} || end != segment.data() + segment.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace leadstream::api::handlers
