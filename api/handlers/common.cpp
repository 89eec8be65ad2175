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

int query_integer(const Call& call, std::string_view name, int fallback, int min, int max,
                  std::vector<domain::FieldProblem>& problems) {
  const auto text = call.request.query_param(name);
  if (!text) return fallback;
  int value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < min || value > max) {
    problems.push_back(
        {std::string(name), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
    return fallback;
  }
  return value;
}

}  // namespace leadstream::api::handlers
