#pragma once

#include "data/row_generator.h"

namespace graphfake::data {

// Daily-rated Azure usage (columns: Graph docs, attributeSet enum type; see
// docs/sources.md): billed usage for the profile's invoice, or
// unbilled usage for its currency and month. Each line is one day of one
// meter on one resource of one of a customer's Azure subscriptions. Amounts
// are the row's BillingPreTaxTotal and PricingPreTaxTotal at
// kUsageAmountScale decimals, grouped under its BillingCurrency.
struct UsageRows;
extern template class RowGenerator<UsageRows>;
using UsageGenerator = RowGenerator<UsageRows>;

}  // namespace graphfake::data
