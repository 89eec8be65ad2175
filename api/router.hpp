#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.hpp"
#include "domain/model/api_key.hpp"
#include "domain/ports/api_key_repository.hpp"
#include "domain/ports/clock.hpp"
#include "domain/ports/credit_ledger.hpp"
#include "domain/ports/readiness.hpp"
#include "domain/ports/team_repository.hpp"
#include "domain/rules/rate_limiter.hpp"
#include "domain/use_cases/authenticator.hpp"

namespace leadstream::api {

/// What the handlers reach the domain through. References: the composition root owns them.
struct ApiDeps {
  domain::Authenticator& authenticator;
  domain::RateLimiter& rate_limiter;
  domain::ApiKeyRepository& api_keys;
  domain::TeamRepository& teams;
  domain::CreditLedger& credits;
  domain::Readiness& readiness;
  const domain::Clock& clock;
};

/// One authenticated request on its way to its handler.
struct Call {
  const Request& request;
  const domain::Principal& caller;
  std::vector<std::string_view> path_params;  // the {…} segments of the route, in order
  boost::json::value body;                   // null when the request had none
};

using Handler = std::function<Response(ApiDeps&, const Call&)>;

/// Turns a request into a response: routing, authentication, rate limiting, body checks,
/// then the handler. Blocking (handlers reach the database): run it off the I/O threads.
/// Never throws; an unexpected exception becomes a logged 500 `internal`. Thread-safe.
class Router {
 public:
  explicit Router(ApiDeps deps);

  Response handle(const Request& request);

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Handler handler;
  };

  Response dispatch(const Request& request);
  Response call_authenticated(const Request& request, const Route& route, std::vector<std::string_view> params);
  void add(std::string method, std::string_view pattern, Handler handler);

  ApiDeps deps_;
  std::vector<Route> routes_;
};

}  // namespace leadstream::api
