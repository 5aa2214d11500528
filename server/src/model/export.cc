#include "model/export.h"

namespace graphfake::model {

std::string_view to_string(ApiVersion version) {
  return version == ApiVersion::beta ? "beta" : "v1.0";
}

std::string_view to_string(ExportKind kind) {
  switch (kind) {
    case ExportKind::billed_reconciliation:
      return "billedReconciliation";
  }
  return "unknown";
}

std::string_view to_string(AttributeSet set) {
  return set == AttributeSet::basic ? "basic" : "full";
}

}  // namespace graphfake::model
