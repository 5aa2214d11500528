#include "model/operation.h"

#include <algorithm>
#include <ostream>

namespace graphfake {

std::string_view to_string(OperationStatus status) {
  const auto index = static_cast<std::size_t>(status);
  return index < model::kOperationStatusNames.size() ? model::kOperationStatusNames[index] : "unknownFutureValue";
}

std::ostream& operator<<(std::ostream& os, OperationStatus status) { return os << to_string(status); }

}  // namespace graphfake

namespace graphfake::model {

std::optional<OperationStatus> operation_status_named(std::string_view name) {
  for (std::size_t i = 0; i < kOperationStatusNames.size(); ++i) {
    if (kOperationStatusNames[i] == name) return kOperationStatuses[i];
  }
  return std::nullopt;
}

bool is_terminal(OperationStatus status) {
  return status == OperationStatus::succeeded || status == OperationStatus::failed;
}

Timeline default_timeline(std::chrono::seconds retry_after, ManifestShape manifest) {
  Timeline timeline;
  timeline.phases.push_back({OperationStatus::not_started, 1, std::nullopt, retry_after, {}, {}});
  timeline.phases.push_back({OperationStatus::running, 2, std::nullopt, retry_after, {}, {}});
  timeline.phases.push_back({OperationStatus::succeeded, std::nullopt, std::nullopt, retry_after, {}, manifest});
  return timeline;
}

Progress settle(const Timeline& timeline, Progress progress, TimePoint now) {
  while (progress.phase + 1 < timeline.phases.size()) {
    const Phase& phase = timeline.phases[progress.phase];
    const bool polls_done = !phase.polls || progress.polls_in_phase >= *phase.polls;
    const bool time_done = !phase.duration || now >= progress.phase_entered_at + *phase.duration;
    if (!polls_done || !time_done) break;

    TimePoint ended_at = progress.phase_entered_at;
    if (phase.duration) ended_at = std::max(ended_at, progress.phase_entered_at + *phase.duration);
    if (phase.polls && *phase.polls > 0) ended_at = std::max(ended_at, progress.last_poll_at);
    progress.phase += 1;
    progress.polls_in_phase = 0;
    progress.phase_entered_at = ended_at;
  }
  return progress;
}

}  // namespace graphfake::model
