#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/billing_context.h"
#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data {

// Invoice reconciliation line items (columns: Graph docs, attributeSet enum
// type; see docs/sources.md): billed ones for the profile's invoice, or
// unbilled ones for its currency and month. Row `i` is a pure function of
// (seed, profile, attribute set, format, i). Amounts are the row's Subtotal,
// TaxTotal and Total, in cents of its Currency.
class ReconciliationGenerator final : public LineSource {
 public:
  ReconciliationGenerator(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set,
                          LineFormat format = {});

  void append_line(std::uint64_t index, std::string& out) const override;
  std::span<const std::string_view> amount_columns() const override;
  int amount_scale() const override;
  RowAmounts amounts(std::uint64_t index) const override;

 private:
  InvoiceProfile profile_;
  BillingContext context_;
  model::AttributeSet set_;
  LineFormat format_;
  std::vector<std::string> keys_;  // each schema column's key as this format spells it
};

}  // namespace graphfake::data
