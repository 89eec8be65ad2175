#include "domain/rules/billing_period.hpp"

namespace leadstream::domain {
namespace {

using namespace std::chrono;

Timestamp month_start(year_month month) { return time_point_cast<microseconds>(sys_days{month / day{1}}); }

year_month month_of(Timestamp now) {
  const year_month_day date{floor<days>(now)};
  return date.year() / date.month();
}

}  // namespace

Timestamp billing_period_start(Timestamp now) { return month_start(month_of(now)); }

Timestamp billing_period_end(Timestamp now) { return month_start(month_of(now) + months{1}); }

}  // namespace leadstream::domain
