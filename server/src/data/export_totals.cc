#include "data/export_totals.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "core/stopped.h"

namespace graphfake::data {
namespace {

// `padding`: 10^(printed scale - kept scale), so sums are at the printed scale.
void add(AmountTotals& totals, const RowAmounts& amounts, std::size_t column_count, Wide padding) {
  ++totals.row_count;
  for (std::size_t i = 0; i < column_count; ++i) totals.sums[i] += Wide{amounts.values[i]} * padding;
}

Wide power_of_ten(int exponent) {
  Wide power = 1;
  for (int i = 0; i < exponent; ++i) power *= 10;
  return power;
}

}  // namespace

ExportTotals sum_amounts(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count,
                         std::stop_token stop) {
  ExportTotals result;
  for (std::string_view column : source.amount_columns()) result.columns.emplace_back(column);
  // Sums are reported at the scale the rows print, so that they match the
  // rows' printed amounts digit for digit.
  result.scale = std::max(source.printed_amount_scale(), source.amount_scale());
  const Wide padding = power_of_ten(result.scale - source.amount_scale());
  result.row_count = row_count;
  const std::size_t column_count = result.columns.size();

  // Ordered maps keep the groups in the documented order as they fill.
  std::map<std::string, AmountTotals, std::less<>> by_currency;
  std::map<std::tuple<std::string, std::string>, CustomerTotals> by_customer;
  for (std::uint64_t index = first_row; index < first_row + row_count; ++index) {
    if (index % 4096 == 0) core::throw_if_stopped(stop);
    const RowAmounts amounts = source.amounts(index);
    auto currency = by_currency.find(amounts.currency);
    if (currency == by_currency.end()) {
      currency = by_currency.emplace(std::string(amounts.currency), AmountTotals{}).first;
    }
    add(currency->second, amounts, column_count, padding);

    auto [customer, added] = by_customer.try_emplace(
        std::tuple(std::string(amounts.customer_id), std::string(amounts.currency)));
    if (added) {
      customer->second.customer_id = amounts.customer_id;
      customer->second.customer_name = amounts.customer_name;
      customer->second.currency = amounts.currency;
    }
    add(customer->second.totals, amounts, column_count, padding);
  }

  for (auto& [currency, totals] : by_currency) result.by_currency.push_back({currency, totals});
  for (auto& entry : by_customer) result.by_customer.push_back(std::move(entry.second));
  return result;
}

std::string format_fixed(Wide units, int scale) {
  const bool negative = units < 0;
  // Digits of the magnitude, least significant first; unsigned so that the
  // most negative value has a magnitude too.
  __extension__ using WideMagnitude = unsigned __int128;
  WideMagnitude magnitude =
      negative ? WideMagnitude{0} - static_cast<WideMagnitude>(units) : static_cast<WideMagnitude>(units);
  std::string digits;
  do {
    digits += static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  // At least one digit before the point.
  if (digits.size() <= static_cast<std::size_t>(scale)) {
    digits.resize(static_cast<std::size_t>(scale) + 1, '0');
  }
  std::string text = negative ? "-" : "";
  for (std::size_t i = digits.size(); i-- > 0;) {
    text += digits[i];
    if (i == static_cast<std::size_t>(scale) && scale > 0) text += '.';
  }
  return text;
}

}  // namespace graphfake::data
