#include "api/json/body_reader.hpp"

#include <boost/url/parse.hpp>

#include <boost/json.hpp>

namespace leadstream::api::json {

BodyReader::BodyReader(const boost::json::value& body, std::vector<domain::FieldProblem>& problems, std::string path)
    : object_(body.if_object()), problems_(problems), path_(std::move(path)) {
  if (!object_) {
    const auto where = path_.empty() ? std::string("body") : path_.substr(0, path_.size() - 1);
    problems_.push_back({where, "must be a JSON object"});
  }
}

const boost::json::value* BodyReader::value(std::string_view field) const {
  return object_ ? object_->if_contains(field) : nullptr;
}

bool BodyReader::present(std::string_view field) const { return value(field) != nullptr; }

bool BodyReader::is_null(std::string_view field) const {
  const auto* found = value(field);
  return found && found->is_null();
}

void BodyReader::problem(std::string_view field, std::string text) {
  problems_.push_back({path_of(field), std::move(text)});
}

std::optional<std::string> BodyReader::string(std::string_view field, bool required) {
  const auto* found = value(field);
  if (!found || found->is_null()) {
    if (required && object_) problem(field, "is required");
    return std::nullopt;
  }
  if (!found->is_string()) {
    problem(field, "must be a string");
    return std::nullopt;
  }
  return std::string(found->get_string());
}

std::optional<bool> BodyReader::boolean(std::string_view field) {
  const auto* found = value(field);
  if (!found || found->is_null()) return std::nullopt;
  if (!found->is_bool()) {
    problem(field, "must be true or false");
    return std::nullopt;
  }
  return found->get_bool();
}

std::optional<std::int64_t> BodyReader::id(std::string_view field, bool required) {
  const auto* found = value(field);
  if (!found || found->is_null()) {
    if (required && object_) problem(field, "is required");
    return std::nullopt;
  }
  if (!found->is_int64() || found->get_int64() <= 0) {
    problem(field, "must be a positive integer id");
    return std::nullopt;
  }
  return found->get_int64();
}

std::optional<std::vector<std::string>> BodyReader::strings(std::string_view field) {
  const auto* found = value(field);
  if (!found || found->is_null()) return std::nullopt;
  const auto* array = found->if_array();
  std::vector<std::string> out;
  if (array) {
    for (const auto& item : *array) {
      if (!item.is_string()) break;
      out.emplace_back(item.get_string());
    }
  }
  if (!array || out.size() != array->size()) {
    problem(field, "must be an array of strings");
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> outbound_url_problem(std::string_view url) {
  constexpr std::size_t kMaxUrlLength = 2000;
  if (url.size() > kMaxUrlLength) return "must be at most 2000 characters";
  for (const char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "must not contain control characters";
  }
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return "must be an absolute http or https URL";
  if (parsed->scheme() != "http" && parsed->scheme() != "https") return "must be an http or https URL";
  if (parsed->has_userinfo()) return "must not carry a user name or password";
  if (parsed->host().empty()) return "must name a host";
  return std::nullopt;
}

std::optional<std::string> BodyReader::outbound_url(std::string_view field, bool required) {
  auto url = string(field, required);
  if (!url) return url;
  if (const auto problem = outbound_url_problem(*url)) {
    this->problem(field, *problem);
    return std::nullopt;
  }
  return url;
}

domain::Result<void> verdict(std::vector<domain::FieldProblem> problems, std::string_view message) {
  if (problems.empty()) return {};
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::string(message), std::move(problems)};
}

}  // namespace leadstream::api::json
