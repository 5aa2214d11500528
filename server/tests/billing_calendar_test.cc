#include "data/billing_calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

namespace graphfake::data {
namespace {

using namespace std::chrono;

TEST(BillingMonth, SpansTheCalendarMonth) {
  const BillingMonth february = billing_month_of(2024, 2);
  EXPECT_EQ(february.first, sys_days{2024y / February / 1});
  EXPECT_EQ(february.last, sys_days{2024y / February / 29});
  EXPECT_EQ(february.length, 29);
}

TEST(BillingMonth, RejectsAMonthOutsideTheCalendar) {
  EXPECT_THROW(billing_month_of(2024, 0), std::invalid_argument);
  EXPECT_THROW(billing_month_of(2024, 13), std::invalid_argument);
}

TEST(AddMonths, KeepsTheDayInsideShorterMonths) {
  EXPECT_EQ(add_months(sys_days{2025y / January / 31}, 1), sys_days{2025y / February / 28});
  EXPECT_EQ(add_months(sys_days{2025y / March / 15}, -14), sys_days{2024y / January / 15});
}

TEST(MonthsBetween, CountsCalendarMonthsIgnoringDays) {
  EXPECT_EQ(months_between(sys_days{2024y / December / 31}, sys_days{2025y / January / 1}), 1);
  EXPECT_EQ(months_between(sys_days{2025y / March / 1}, sys_days{2024y / March / 31}), -12);
}

TEST(EndOfTerm, IsTheLastDayOfTheTermInForce) {
  const sys_days start{2023y / May / 10};
  EXPECT_EQ(end_of_term(start, 12, sys_days{2024y / March / 1}), sys_days{2024y / May / 9});
  EXPECT_EQ(end_of_term(start, 12, sys_days{2024y / May / 10}), sys_days{2025y / May / 9});
  EXPECT_EQ(end_of_term(start, 1, sys_days{2023y / May / 20}), sys_days{2023y / June / 9});
}

}  // namespace
}  // namespace graphfake::data
