#pragma once

#include <string>
#include <string_view>

namespace graphfake::model {

enum class ApiVersion { v1_0, beta };

// Only the billed-reconciliation export is served today; the sibling exports
// (unbilled reconciliation, billed and unbilled usage) join this enum.
enum class ExportKind { billed_reconciliation };

enum class AttributeSet { full, basic };

std::string_view to_string(ApiVersion version);
// As scenario files name it: "billedReconciliation".
std::string_view to_string(ExportKind kind);
std::string_view to_string(AttributeSet set);

struct ExportRequest {
  ExportKind kind = ExportKind::billed_reconciliation;
  ApiVersion version = ApiVersion::v1_0;
  std::string invoice_id;
  AttributeSet attribute_set = AttributeSet::full;
};

}  // namespace graphfake::model
