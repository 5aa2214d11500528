#include "domain/operation_store.h"

#include <algorithm>

#include "core/strings.h"

namespace graphfake::domain {

OperationStore::OperationStore(core::IdGenerator& ids, PublishManifest publish)
    : ids_(ids), publish_(std::move(publish)) {}

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

std::optional<OperationView> OperationStore::poll(std::string_view id, TimePoint now) {
  std::lock_guard lock(mutex_);
  // GUIDs compare case-insensitively, as Graph treats keys.
  const auto it = records_.find(core::ascii_lower(id));
  if (it == records_.end()) return std::nullopt;
  Record& record = it->second;

  const auto phase_before = record.progress.phase;
  // A clock set backwards must not move an operation backwards in time.
  now = std::max(now, record.progress.last_poll_at);
  record.progress = model::settle(record.timeline, record.progress, now);
  if (record.progress.phase != phase_before) apply_phase(record);
  record.progress.polls_in_phase += 1;
  record.progress.last_poll_at = now;

  if (record.view.status == model::OperationStatus::succeeded && record.view.manifest_id.empty()) {
    record.view.manifest_id =
        publish_(record.view, record.timeline.phases.at(record.progress.phase), record.view.last_action_at);
  }
  return record.view;
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
