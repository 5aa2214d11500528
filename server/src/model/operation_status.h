#pragma once

#include <string_view>

namespace graphfake::model {

// microsoft.graph.longRunningOperationStatus, spelled as on the wire.
enum class OperationStatus { not_started, running, succeeded, failed };

std::string_view to_string(OperationStatus status);
bool is_terminal(OperationStatus status);

}  // namespace graphfake::model
