#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "data/schema_column.h"
#include "model/export.h"

namespace graphfake::data {

// The billed/unbilled usage attribute table as Graph documents it, in the
// suggested key order (54 columns; 30 of them in the basic set), with
// PCToBCExchangeRateDate, which Graph's table lacks, marked undocumented
// after PCToBCExchangeRate, where real files carry it.
std::span<const Column> usage_columns();

// The money a totals report sums, at 10^-8: BillingPreTaxTotal in the row's
// BillingCurrency, PricingPreTaxTotal in its PricingCurrency.
inline constexpr std::array<std::string_view, 2> kUsageAmountColumns{"BillingPreTaxTotal", "PricingPreTaxTotal"};
inline constexpr int kUsageAmountScale = 8;

// The keys a documented-profile usage line carries for `set`, in order.
std::vector<std::string_view> usage_column_names(model::AttributeSet set);

}  // namespace graphfake::data
