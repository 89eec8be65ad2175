#pragma once

#include <string>
#include <string_view>

namespace leadstream::adapters::http {

/// RFC 3986 percent-encoding: every byte but the unreserved characters (letters, digits,
/// '-', '_', '.', '~') as %XX. Safe in a query string, a path part and a form field, the
/// brackets of Stripe's nested form parameters included.
std::string percent_encoded(std::string_view text);

}  // namespace leadstream::adapters::http
