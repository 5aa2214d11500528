#include "model/export.h"

namespace graphfake::model {

std::string_view to_string(ApiVersion version) {
  return version == ApiVersion::beta ? "beta" : "v1.0";
}

std::string_view to_string(ExportKind kind) {
  switch (kind) {
    case ExportKind::billed_reconciliation: return "billedReconciliation";
    case ExportKind::unbilled_reconciliation: return "unbilledReconciliation";
    case ExportKind::billed_usage: return "billedUsage";
    case ExportKind::unbilled_usage: return "unbilledUsage";
  }
  return "unknown";
}

std::string_view to_string(AttributeSet set) {
  return set == AttributeSet::basic ? "basic" : "full";
}

std::string_view to_string(BillingPeriod period) {
  return period == BillingPeriod::last ? "last" : "current";
}

bool is_billed(ExportKind kind) {
  return kind == ExportKind::billed_reconciliation || kind == ExportKind::billed_usage;
}

bool is_usage(ExportKind kind) {
  return kind == ExportKind::billed_usage || kind == ExportKind::unbilled_usage;
}

}  // namespace graphfake::model
