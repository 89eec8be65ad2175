#include "adapters/postgres/connection_defaults.hpp"

#include <libpq-fe.h>

#include <array>
#include <map>

namespace leadstream::adapters::postgres {
namespace {

/// A keyword/value value, quoted as libpq reads it.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string with_connection_defaults(std::string_view url, bool long_statements) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (options == nullptr) {  // libpq will say what is wrong with it when it connects
    PQfreemem(error);
    return std::string(url);
  }
  std::map<std::string, std::string> given;
  for (const auto* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) given.emplace(option->keyword, option->val);
  }
  PQconninfoFree(options);

  constexpr std::array<std::pair<const char*, const char*>, 6> kDefaults{{{"connect_timeout", "5"},
                                                                          {"keepalives", "1"},
                                                                          {"keepalives_idle", "20"},
                                                                          {"keepalives_interval", "10"},
                                                                          {"keepalives_count", "3"},
                                                                          {"tcp_user_timeout", "30000"}}};
  for (const auto& [keyword, value] : kDefaults) given.emplace(keyword, value);
  // The server's side of the same: a session whose client vanished (a leader's machine
  // powered off) ends within a minute, and its advisory locks with it, instead of after
  // the kernel's two hours.
  std::string server = "-c tcp_keepalives_idle=20 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
                       " -c tcp_user_timeout=30000";
  if (!long_statements) server += " -c statement_timeout=60s";
  given.emplace("options", server);

  std::string out;
  for (const auto& [keyword, value] : given) {
    if (!out.empty()) out += ' ';
    out += keyword + "=" + quoted(value);
  }
  return out;
}

}  // namespace leadstream::adapters::postgres
