#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "data/schema_column.h"
#include "model/export.h"

namespace graphfake::data {

// The billed/unbilled usage attribute table as Graph documents it, in the
// suggested key order (54 columns; 30 of them in the basic set). Graph's
// table has no PCToBCExchangeRateDate, so neither do the lines.
std::span<const Column> usage_columns();

// The keys a usage line carries for `set`, in order.
std::vector<std::string_view> usage_column_names(model::AttributeSet set);

}  // namespace graphfake::data
