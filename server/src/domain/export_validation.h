#pragma once

#include <string_view>

#include "graphfake/dialect.h"
#include "model/export.h"

namespace graphfake::domain {

// Validates an export action's request the way the service's OData layer
// does and returns what it asks for; throws core::GraphError (400 or 415)
// naming the offending header, parameter or value. The dialect says whether
// parameter names and enum values bind without regard to case.
model::ExportRequest parse_export_request(model::ExportKind kind, model::ApiVersion version,
                                          std::string_view content_type, std::string_view body,
                                          const Dialect& dialect);

}  // namespace graphfake::domain
