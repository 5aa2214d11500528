#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "graphfake/operations.h"

namespace graphfake::model {

// microsoft.graph.longRunningOperationStatus: the public enum, which the
// admin values carry too.
using graphfake::OperationStatus;
using graphfake::to_string;

// The statuses in the enum's order, as the wire (and a scenario file) spells them.
inline constexpr std::array<std::string_view, 4> kOperationStatusNames = {"notStarted", "running", "succeeded",
                                                                          "failed"};
inline constexpr std::array<OperationStatus, 4> kOperationStatuses = {
    OperationStatus::not_started, OperationStatus::running, OperationStatus::succeeded, OperationStatus::failed};

bool is_terminal(OperationStatus status);
// The status the wire spells `name` ("notStarted", ...), if any.
std::optional<OperationStatus> operation_status_named(std::string_view name);

}  // namespace graphfake::model
