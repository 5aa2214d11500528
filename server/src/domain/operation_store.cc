#include "domain/operation_store.h"

#include <algorithm>

#include "core/strings.h"

namespace graphfake::domain {

OperationStore::OperationStore(core::IdGenerator& ids, core::IdGenerator& chance, PublishManifest publish)
    : ids_(ids), chance_(chance), publish_(std::move(publish)) {}

OperationView OperationStore::create(model::ExportRequest request, model::Timeline timeline,
                                     TimePoint now) {
  Record record;
  record.view.id = ids_.guid();
  record.view.request = std::move(request);
  record.view.created_at = now;
  record.timeline = std::move(timeline);
  record.progress.phase_entered_at = now;
  record.progress.last_poll_at = now;
  apply_phase(record);

  std::lock_guard lock(mutex_);
  auto [it, inserted] = records_.emplace(record.view.id, std::move(record));
  return it->second.view;
}

std::optional<OperationStore::PollOutcome> OperationStore::poll(std::string_view id, TimePoint now) {
  std::lock_guard lock(mutex_);
  // GUIDs compare case-insensitively, as Graph treats keys.
  const auto it = records_.find(core::ascii_lower(id));
  if (it == records_.end()) return std::nullopt;
  Record& record = it->second;
  record.requests += 1;

  const auto phase_before = record.progress.phase;
  // A clock set backwards must not move an operation backwards in time.
  now = std::max(now, record.progress.last_poll_at);
  const auto settled = model::settle(record.timeline, record.progress, now);
  const auto pick = faults_for(record, record.timeline.phases.at(settled.phase).status, now);
  std::optional<model::Latency> delay;
  if (pick.delay != nullptr) delay = pick.delay->delay;
  if (pick.response != nullptr) return PollOutcome{record.view, *pick.response, delay};
  record.progress = settled;
  if (record.progress.phase != phase_before) apply_phase(record);
  record.progress.polls_in_phase += 1;
  record.progress.last_poll_at = now;

  if (record.view.status == model::OperationStatus::succeeded && record.view.manifest_id.empty()) {
    record.view.manifest_id =
        publish_(record.view, record.timeline.phases.at(record.progress.phase), record.view.last_action_at);
  }
  return PollOutcome{record.view, std::nullopt, delay};
}

model::FaultPick OperationStore::faults_for(const Record& record, model::OperationStatus status, TimePoint now) {
  const auto listed = [](const std::vector<std::uint64_t>& numbers, std::uint64_t n) {
    return numbers.empty() || std::find(numbers.begin(), numbers.end(), n) != numbers.end();
  };
  return model::pick_faults(record.timeline.poll_faults, [&](const model::Fault& fault) {
    if (!listed(fault.polls, record.requests)) return false;
    if (fault.phase && *fault.phase != status) return false;
    if (fault.after && now - record.view.created_at < *fault.after) return false;
    return fault.probability >= 1.0 || chance_.draw(fault.probability);
  });
}

void OperationStore::apply_phase(Record& record) {
  const model::Phase& phase = record.timeline.phases.at(record.progress.phase);
  record.view.status = phase.status;
  record.view.last_action_at = record.progress.phase_entered_at;
  record.view.retry_after = phase.retry_after;
  record.view.failure = phase.failure;
  if (phase.manifest) record.view.resource_location = phase.manifest->resource_location;
}

}  // namespace graphfake::domain
