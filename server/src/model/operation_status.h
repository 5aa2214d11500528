#pragma once

#include <array>
#include <string_view>

namespace graphfake::model {

// microsoft.graph.longRunningOperationStatus, spelled as on the wire.
enum class OperationStatus { not_started, running, succeeded, failed };

// The statuses in the enum's order, as the wire (and a scenario file) spells them.
inline constexpr std::array<std::string_view, 4> kOperationStatusNames = {"notStarted", "running", "succeeded",
                                                                          "failed"};
inline constexpr std::array<OperationStatus, 4> kOperationStatuses = {
    OperationStatus::not_started, OperationStatus::running, OperationStatus::succeeded, OperationStatus::failed};

std::string_view to_string(OperationStatus status);
bool is_terminal(OperationStatus status);

}  // namespace graphfake::model
