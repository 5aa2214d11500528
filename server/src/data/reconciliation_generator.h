#pragma once

#include "data/row_generator.h"

namespace graphfake::data {

// Invoice reconciliation line items (columns: Graph docs, attributeSet enum
// type; see docs/sources.md): billed ones for the profile's invoice, or
// unbilled ones for its currency and month. Amounts are the row's Subtotal,
// TaxTotal and Total, in cents of its Currency.
struct ReconciliationRows;
extern template class RowGenerator<ReconciliationRows>;
using ReconciliationGenerator = RowGenerator<ReconciliationRows>;

}  // namespace graphfake::data
