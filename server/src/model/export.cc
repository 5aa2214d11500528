#include "model/export.h"

#include "model/export_kinds.h"

namespace graphfake::model {

std::string_view to_string(ApiVersion version) {
  return version == ApiVersion::beta ? "beta" : "v1.0";
}

std::string_view to_string(AttributeSet set) {
  return set == AttributeSet::basic ? "basic" : "full";
}

std::string_view to_string(BillingPeriod period) {
  return period == BillingPeriod::last ? "last" : "current";
}

bool is_billed(ExportKind kind) { return describe(kind).billed; }

bool is_usage(ExportKind kind) { return describe(kind).family == ExportFamily::usage; }

}  // namespace graphfake::model
