#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "data/schema_column.h"
#include "model/export.h"

namespace graphfake::data {

// The billed/unbilled invoice reconciliation attribute table, in its
// documented order (47 columns; 35 of them in the basic set).
std::span<const Column> reconciliation_columns();

// The money a totals report sums: in the row's Currency, in cents.
inline constexpr std::array<std::string_view, 3> kReconciliationAmountColumns{"Subtotal", "TaxTotal", "Total"};
inline constexpr int kReconciliationAmountScale = 2;

// The keys a data line carries for `set`, in order.
std::vector<std::string_view> reconciliation_column_names(model::AttributeSet set);

}  // namespace graphfake::data
