#include "data/billing_calendar.h"

#include <fmt/format.h>

#include <stdexcept>

namespace graphfake::data {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

BillingMonth billing_month_of(int year, int month) {
  const year_month_day first = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} / 1;
  if (!first.ok()) {
    throw std::invalid_argument(fmt::format("{}-{} is not a valid billing month", year, month));
  }
  const sys_days last{first.year() / first.month() / std::chrono::last};
  const int length = static_cast<int>((last - sys_days{first}).count()) + 1;
  return {sys_days{first}, last, length, length};
}

int random_second_of_day(SplitMix64& random) { return static_cast<int>(random.below(24 * 60 * 60)); }

sys_days add_months(sys_days day, int count) {
  year_month_day date{day};
  date += std::chrono::months{count};
  if (!date.ok()) date = date.year() / date.month() / std::chrono::last;
  return sys_days{date};
}

int months_between(sys_days from, sys_days to) {
  const year_month_day a{from};
  const year_month_day b{to};
  return (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
         static_cast<int>(static_cast<unsigned>(b.month())) -
         static_cast<int>(static_cast<unsigned>(a.month()));
}

sys_days end_of_term(sys_days start, int term_months, sys_days day) {
  int terms = 1;
  while (add_months(start, terms * term_months) <= day) ++terms;
  return add_months(start, terms * term_months) - days{1};
}

}  // namespace graphfake::data
