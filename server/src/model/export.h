#pragma once

#include <string>
#include <string_view>

#include "graphfake/operations.h"

namespace graphfake::model {

enum class ApiVersion { v1_0, beta };

// The four exports of the partner-billing family (Graph docs, the four export
// pages listed in docs/sources.md).
// The public enum, which the admin values carry too.
using graphfake::ExportKind;
using graphfake::to_string;

enum class AttributeSet { full, basic };

// Which unbilled month an unbilled export covers.
enum class BillingPeriod { current, last };

std::string_view to_string(ApiVersion version);
std::string_view to_string(AttributeSet set);
std::string_view to_string(BillingPeriod period);

// Billed exports name an invoice; unbilled ones a currency and a period.
bool is_billed(ExportKind kind);
// Usage exports carry daily-rated usage rows; the others invoice
// reconciliation rows (Graph docs, attributeSet enum type: its two tables).
bool is_usage(ExportKind kind);

struct ExportRequest {
  ExportKind kind = ExportKind::billed_reconciliation;
  ApiVersion version = ApiVersion::v1_0;
  std::string invoice_id;     // billed kinds only
  std::string currency_code;  // unbilled kinds only: ISO 4217, upper case
  BillingPeriod billing_period = BillingPeriod::current;  // unbilled kinds only
  AttributeSet attribute_set = AttributeSet::full;
};

}  // namespace graphfake::model
