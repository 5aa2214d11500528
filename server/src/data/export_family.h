#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "data/schema_column.h"
#include "model/export.h"
#include "model/export_kinds.h"

namespace graphfake::data {

// What the data layer keeps for each export family (model::ExportFamily,
// which every kind's descriptor names): the attributeSet table its lines
// follow, the money a totals report sums, and the generator of its rows.
struct FamilyData {
  std::span<const Column> columns;
  // At most RowAmounts::kMaxColumns, in the order the rows' amounts list them.
  std::span<const std::string_view> amount_columns;
  int amount_scale;  // decimal places of every amount column
  std::shared_ptr<const LineSource> (*make)(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set,
                                            LineFormat format);
};

const FamilyData& family_data(model::ExportFamily family);

}  // namespace graphfake::data
