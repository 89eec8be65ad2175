#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/result.hpp"

namespace leadstream::api::json {

/// Reads the fields of a JSON object request body, collecting a problem per field of the
/// wrong type instead of stopping at the first. Absent fields read as nullopt; unknown
/// fields are ignored (clients of the original API may send more).
class BodyReader {
 public:
  /// `path` prefixes field names in problems ("pairs[2].").
  BodyReader(const boost::json::value& body, std::vector<domain::FieldProblem>& problems, std::string path = {});

  bool present(std::string_view field) const;
  bool is_null(std::string_view field) const;
  const boost::json::value* value(std::string_view field) const;

  std::optional<std::string> string(std::string_view field, bool required = false);
  std::optional<bool> boolean(std::string_view field);
  /// A positive integer id.
  std::optional<std::int64_t> id(std::string_view field, bool required = false);
  std::optional<std::vector<std::string>> strings(std::string_view field);
  /// A URL a user gives for us to call, with a problem unless outbound_url_problem passes it.
  std::optional<std::string> outbound_url(std::string_view field, bool required = false);

  void problem(std::string_view field, std::string text);
  std::string path_of(std::string_view field) const { return path_ + std::string(field); }

 private:
  const boost::json::object* object_ = nullptr;
  std::vector<domain::FieldProblem>& problems_;
  std::string path_;
};

/// Why a URL a user gives for us to call (targetUrl, webhookUrl, slackWebhookUrl) is
/// refused when it is given, or nullopt: http or https, a host, no userinfo, no control
/// characters, at most 2,000 characters (Boost.URL). Where it resolves is checked when it
/// is called.
std::optional<std::string> outbound_url_problem(std::string_view url);

/// kInvalidRequest with the problems as details, or success when there are none.
domain::Result<void> verdict(std::vector<domain::FieldProblem> problems, std::string_view message);

}  // namespace leadstream::api::json
