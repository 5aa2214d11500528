#pragma once

#include <array>
#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "data/fixed_point.h"
#include "data/line_source.h"

namespace graphfake::data {

// Row count and exact sums of each amount column over some rows.
struct AmountTotals {
  std::uint64_t row_count = 0;
  // In the order of ExportTotals::columns, at ExportTotals::scale decimals.
  std::array<Wide, RowAmounts::kMaxColumns> sums{};
};

struct CurrencyTotals {
  std::string currency;
  AmountTotals totals;
};

struct CustomerTotals {
  std::string customer_id;
  std::string customer_name;
  std::string currency;
  AmountTotals totals;
};

// What a reconciliation tool would add up from an export's rows.
struct ExportTotals {
  std::vector<std::string> columns;  // the source's amount columns
  int scale = 0;  // the rows' printed scale (LineSource::printed_amount_scale)
  std::uint64_t row_count = 0;
  std::vector<CurrencyTotals> by_currency;  // ordered by currency code
  std::vector<CustomerTotals> by_customer;  // ordered by customer id, then currency
};

// Sums rows [first_row, first_row + row_count) of `source`. Throws
// core::Stopped once `stop` is requested.
ExportTotals sum_amounts(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count,
                         std::stop_token stop = {});

// `units` / 10^scale as exact decimal text with exactly `scale` decimals and
// no decimal point when scale is 0: "-12.30", "0.00000123", "42".
std::string format_fixed(Wide units, int scale);

}  // namespace graphfake::data
