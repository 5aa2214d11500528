#include "data/export_totals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "core/stopped.h"
#include "data/export_data.h"
#include "data_line_support.h"

namespace graphfake::data {
namespace {

using model::AttributeSet;
using model::ExportKind;
using nlohmann::ordered_json;
using readback::number_text;
using readback::units;

constexpr std::uint64_t kTotalsSeed = 31;

std::shared_ptr<const LineSource> source_of(ExportKind kind, const LineFormat& format = {}) {
  return make_line_source(kind, readback::sample_profile_for(kind, kTotalsSeed), kTotalsSeed,
                          AttributeSet::basic, format);
}

// Totals a reconciliation tool would compute from the printed lines.
struct PrintedTotals {
  std::map<std::string, AmountTotals> by_currency;
  std::map<std::tuple<std::string, std::string>, AmountTotals> by_customer;  // id, currency
};

PrintedTotals add_up_printed(const LineSource& source, std::uint64_t first, std::uint64_t count,
                             const std::vector<std::string>& columns, int scale,
                             const std::string& currency_column) {
  PrintedTotals printed;
  for (std::uint64_t i = first; i < first + count; ++i) {
    const std::string raw = readback::raw_line(source, i);
    const ordered_json line = ordered_json::parse(raw);
    const auto currency = line.at(currency_column).get<std::string>();
    AmountTotals& by_currency = printed.by_currency[currency];
    AmountTotals& by_customer =
        printed.by_customer[{line.at("CustomerId").get<std::string>(), currency}];
    ++by_currency.row_count;
    ++by_customer.row_count;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Wide value = readback::exact_units(number_text(raw, columns[c]), scale);
      by_currency.sums[c] += value;
      by_customer.sums[c] += value;
    }
  }
  return printed;
}

void expect_same(const AmountTotals& actual, const AmountTotals& expected, int scale,
                 std::size_t columns) {
  EXPECT_EQ(actual.row_count, expected.row_count);
  for (std::size_t c = 0; c < columns; ++c) {
    EXPECT_EQ(format_fixed(actual.sums[c], scale), format_fixed(expected.sums[c], scale)) << c;
  }
}

// --- format_fixed -----------------------------------------------------------------

TEST(FormatFixed, WritesExactlyScaleDecimals) {
  EXPECT_EQ(format_fixed(-1230, 2), "-12.30");
  EXPECT_EQ(format_fixed(123, 8), "0.00000123");
  EXPECT_EQ(format_fixed(0, 2), "0.00");
  EXPECT_EQ(format_fixed(-5, 2), "-0.05");
  EXPECT_EQ(format_fixed(100, 2), "1.00");
}

TEST(FormatFixed, WritesNoPointAtScaleZero) {
  EXPECT_EQ(format_fixed(42, 0), "42");
  EXPECT_EQ(format_fixed(-7, 0), "-7");
  EXPECT_EQ(format_fixed(0, 0), "0");
}

TEST(FormatFixed, WritesValuesBeyondSixtyFourBits) {
  const Wide big = Wide{std::numeric_limits<std::int64_t>::max()} * 1000 + 1;
  EXPECT_EQ(format_fixed(big, 8), "92233720368547.75807001");
  EXPECT_EQ(format_fixed(-big, 8), "-92233720368547.75807001");
  EXPECT_EQ(format_fixed(std::numeric_limits<Wide>::min(), 0),
            "-170141183460469231731687303715884105728");
}

// --- sum_amounts ------------------------------------------------------------------

TEST(SumAmounts, NamesTheReconciliationMoneyColumnsAtTwoDecimals) {
  const ExportTotals totals = sum_amounts(*source_of(ExportKind::billed_reconciliation), 0, 10);
  EXPECT_EQ(totals.columns, (std::vector<std::string>{"Subtotal", "TaxTotal", "Total"}));
  EXPECT_EQ(totals.scale, 2);
  EXPECT_EQ(totals.row_count, 10U);
}

TEST(SumAmounts, StopsWhenAskedInsteadOfSummingEveryRow) {
  std::stop_source stopping;
  stopping.request_stop();
  const auto source = source_of(ExportKind::billed_reconciliation);
  EXPECT_THROW(sum_amounts(*source, 0, 1'000'000'000, stopping.get_token()), core::Stopped);
}

TEST(SumAmounts, NamesTheUsagePreTaxTotalsAtEightDecimalsInTheDocumentedProfile) {
  const ExportTotals totals =
      sum_amounts(*source_of(ExportKind::unbilled_usage, readback::kDocumentedLines), 0, 10);
  EXPECT_EQ(totals.columns, (std::vector<std::string>{"BillingPreTaxTotal", "PricingPreTaxTotal"}));
  EXPECT_EQ(totals.scale, 8);
}

TEST(SumAmounts, ReportsTheUsagePreTaxTotalsAtTheObservedTwentyPrintedDecimals) {
  const auto source = source_of(ExportKind::billed_usage);
  const ExportTotals totals = sum_amounts(*source, 0, 10);
  EXPECT_EQ(totals.scale, 20);
  Wide first_ten = 0;
  for (std::uint64_t i = 0; i < 10; ++i) first_ten += source->amounts(i).values[0];
  EXPECT_EQ(format_fixed(totals.by_currency.front().totals.sums[0], 20),
            format_fixed(first_ten, 8) + "000000000000");
}

class SumOfDocumentedExport : public ::testing::TestWithParam<ExportKind> {};

TEST_P(SumOfDocumentedExport, EqualsTheShortestPrintedValuesAddedUpExactly) {
  const auto source = source_of(GetParam(), readback::kDocumentedLines);
  const ExportTotals totals = sum_amounts(*source, 0, 1000);
  const std::string currency_column = model::is_usage(GetParam()) ? "BillingCurrency" : "Currency";
  const PrintedTotals printed = add_up_printed(*source, 0, 1000, totals.columns, totals.scale, currency_column);
  ASSERT_EQ(totals.by_currency.size(), printed.by_currency.size());
  for (const CurrencyTotals& group : totals.by_currency) {
    expect_same(group.totals, printed.by_currency.at(group.currency), totals.scale, totals.columns.size());
  }
}

class SumOfExport : public ::testing::TestWithParam<ExportKind> {};

TEST_P(SumOfExport, EqualsThePrintedValuesAddedUpExactly) {
  const auto source = source_of(GetParam());
  constexpr std::uint64_t kFirst = 250;
  constexpr std::uint64_t kCount = 2000;
  const ExportTotals totals = sum_amounts(*source, kFirst, kCount);
  const std::string currency_column = model::is_usage(GetParam()) ? "BillingCurrency" : "Currency";
  const PrintedTotals printed =
      add_up_printed(*source, kFirst, kCount, totals.columns, totals.scale, currency_column);

  ASSERT_EQ(totals.by_currency.size(), printed.by_currency.size());
  for (const CurrencyTotals& group : totals.by_currency) {
    SCOPED_TRACE(group.currency);
    expect_same(group.totals, printed.by_currency.at(group.currency), totals.scale,
                totals.columns.size());
  }
  ASSERT_EQ(totals.by_customer.size(), printed.by_customer.size());
  for (const CustomerTotals& group : totals.by_customer) {
    SCOPED_TRACE(group.customer_id);
    expect_same(group.totals, printed.by_customer.at({group.customer_id, group.currency}),
                totals.scale, totals.columns.size());
  }
}

TEST_P(SumOfExport, HasNegativeRowsToReconcile) {
  const auto source = source_of(GetParam());
  int negative = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    if (source->amounts(i).values[0] < 0) ++negative;
  }
  EXPECT_GT(negative, 15);
}

TEST_P(SumOfExport, GroupsAreOrderedByCurrencyThenByCustomerId) {
  const ExportTotals totals = sum_amounts(*source_of(GetParam()), 0, 1000);
  EXPECT_TRUE(std::is_sorted(totals.by_currency.begin(), totals.by_currency.end(),
                             [](const auto& a, const auto& b) { return a.currency < b.currency; }));
  EXPECT_TRUE(std::is_sorted(totals.by_customer.begin(), totals.by_customer.end(),
                             [](const auto& a, const auto& b) {
                               return std::tie(a.customer_id, a.currency) <
                                      std::tie(b.customer_id, b.currency);
                             }));
  EXPECT_GT(totals.by_customer.size(), 1U);
}

TEST_P(SumOfExport, CustomerGroupsCarryTheCustomersNameAndAddUpToTheCurrencyGroup) {
  const auto source = source_of(GetParam());
  const ExportTotals totals = sum_amounts(*source, 0, 1000);
  AmountTotals customers;
  for (const CustomerTotals& group : totals.by_customer) {
    EXPECT_FALSE(group.customer_name.empty());
    customers.row_count += group.totals.row_count;
    for (std::size_t c = 0; c < RowAmounts::kMaxColumns; ++c) customers.sums[c] += group.totals.sums[c];
  }
  ASSERT_EQ(totals.by_currency.size(), 1U);
  expect_same(customers, totals.by_currency.front().totals, totals.scale, totals.columns.size());
  EXPECT_EQ(customers.row_count, totals.row_count);
}

TEST_P(SumOfExport, AdjacentRangesAddUpToTheirUnion) {
  const auto source = source_of(GetParam());
  const ExportTotals first = sum_amounts(*source, 100, 300);
  const ExportTotals second = sum_amounts(*source, 400, 500);
  const ExportTotals both = sum_amounts(*source, 100, 800);
  AmountTotals added = first.by_currency.front().totals;
  added.row_count += second.by_currency.front().totals.row_count;
  for (std::size_t c = 0; c < RowAmounts::kMaxColumns; ++c) {
    added.sums[c] += second.by_currency.front().totals.sums[c];
  }
  expect_same(added, both.by_currency.front().totals, both.scale, both.columns.size());
}

INSTANTIATE_TEST_SUITE_P(EveryKind, SumOfExport,
                         ::testing::Values(ExportKind::billed_reconciliation,
                                           ExportKind::unbilled_reconciliation,
                                           ExportKind::billed_usage, ExportKind::unbilled_usage),
                         [](const auto& info) { return std::string(model::to_string(info.param)); });

INSTANTIATE_TEST_SUITE_P(EveryKind, SumOfDocumentedExport,
                         ::testing::Values(ExportKind::billed_reconciliation,
                                           ExportKind::unbilled_reconciliation,
                                           ExportKind::billed_usage, ExportKind::unbilled_usage),
                         [](const auto& info) { return std::string(model::to_string(info.param)); });

// Row i is "i\n", with no money.
class CountingLines final : public LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override {
    out += std::to_string(index) + "\n";
  }
};

TEST(SumAmounts, OfLinesWithoutMoneyCountsRowsUnderNoCurrency) {
  const ExportTotals totals = sum_amounts(CountingLines{}, 5, 7);
  EXPECT_TRUE(totals.columns.empty());
  EXPECT_EQ(totals.row_count, 7U);
  ASSERT_EQ(totals.by_currency.size(), 1U);
  EXPECT_EQ(totals.by_currency.front().currency, "");
  EXPECT_EQ(totals.by_currency.front().totals.row_count, 7U);
}

TEST(SumAmounts, OfNoRowsHasNoGroups) {
  const ExportTotals totals = sum_amounts(*source_of(ExportKind::billed_usage), 0, 0);
  EXPECT_EQ(totals.row_count, 0U);
  EXPECT_TRUE(totals.by_currency.empty());
  EXPECT_TRUE(totals.by_customer.empty());
}

}  // namespace
}  // namespace graphfake::data
