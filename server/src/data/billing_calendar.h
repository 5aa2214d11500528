#pragma once

#include <chrono>

#include "data/random.h"

namespace graphfake::data {

// The calendar month a billing period covers.
struct BillingMonth {
  std::chrono::sys_days first;
  std::chrono::sys_days last;
  int length = 0;  // days
  // Days from `first` that have charges: the whole month, or fewer for a
  // period still in progress, whose later days have not happened yet.
  int days_with_data = 0;

  std::chrono::sys_days last_day_with_data() const { return first + std::chrono::days{days_with_data - 1}; }
};

// Throws std::invalid_argument when (year, month) is not a calendar month.
BillingMonth billing_month_of(int year, int month);

// A moment of a day, to the second, as the data files print it.
struct Timestamp {
  std::chrono::sys_days day;
  int second_of_day = 0;
};

int random_second_of_day(SplitMix64& random);

// `day` moved by whole months, kept inside the target month (Jan 31 + 1 = Feb 28/29).
std::chrono::sys_days add_months(std::chrono::sys_days day, int count);

// Calendar months from `from`'s month to `to`'s month.
int months_between(std::chrono::sys_days from, std::chrono::sys_days to);

// Last day of the commitment term (renewed every `term_months`) in force on `day`.
std::chrono::sys_days end_of_term(std::chrono::sys_days start, int term_months, std::chrono::sys_days day);

}  // namespace graphfake::data
