#include "api/json/body_reader.hpp"

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

void BodyReader::problem(std::string_view field, std::string text) { problems_.push_back({path_of(field), std::move(text)}); }

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

domain::Result<void> verdict(std::vector<domain::FieldProblem> problems, std::string_view message) {
  if (problems.empty()) return {};
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::string(message), std::move(problems)};
}

}  // namespace leadstream::api::json
