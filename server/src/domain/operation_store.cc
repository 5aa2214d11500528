#include "domain/operation_store.h"

#include <exception>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "core/excerpt.h"
#include "core/strings.h"

namespace graphfake::domain {

OperationStore::OperationStore(core::IdGenerator& ids, core::IdGenerator& chance, PublishManifest publish,
                               std::size_t capacity, ForgetManifest forget, std::size_t blob_capacity)
    : ids_(ids),
      chance_(chance),
      publish_(std::move(publish)),
      capacity_(capacity),
      forget_(std::move(forget)),
      blob_capacity_(blob_capacity),
      evicted_ids_(capacity) {
  if (capacity_ == 0) throw std::invalid_argument("graphfake::Options: max_operations must be at least 1");
  if (blob_capacity_ == 0) throw std::invalid_argument("graphfake::Options: max_blobs must be at least 1");
}

OperationView OperationStore::create(model::ExportRequest request, std::shared_ptr<const model::Timeline> timeline,
                                     TimePoint now, std::string scenario_rule, std::string rule_identity) {
  Record record;
  record.view.id = ids_.guid();
  record.view.scenario_rule = std::move(scenario_rule);
  record.view.rule_identity = std::move(rule_identity);
  record.view.request = std::move(request);
  record.view.created_at = now;
  record.view.evolution = timeline->evolution;
  record.timeline = std::move(timeline);
  record.progress.phase_entered_at = now;
  record.progress.last_poll_at = now;
  apply_phase(record);

  std::lock_guard lock(mutex_);
  while (records_.size() >= capacity_) {
    evict(finished_.empty() ? records_.begin() : records_.find(*finished_.begin()));
  }
  const auto [it, inserted] = records_.emplace(++created_, std::move(record));
  by_id_.emplace(it->second.view.id, it->first);
  note_if_finished(it);
  return it->second.view;
}

void OperationStore::evict(Records::iterator record) {
  const auto& view = record->second.view;
  evicted_ids_.add(view.id);
  if (const auto kept = kept_manifests_.find(view.manifest_id); kept != kept_manifests_.end()) {
    kept->second.holders_by_served.erase(record->second.served);
    if (kept->second.holders_by_served.empty()) {
      blobs_kept_ -= kept->second.blobs;
      kept_manifests_.erase(kept);
    }
  }
  if (!view.manifest_id.empty() && forget_) forget_(view.manifest_id);
  by_id_.erase(view.id);
  finished_.erase(record->first);
  records_.erase(record);
  ++evicted_;
}

void OperationStore::note_served(Records::iterator record) {
  const auto kept = kept_manifests_.find(record->second.view.manifest_id);
  if (kept == kept_manifests_.end()) return;
  kept->second.holders_by_served.erase(record->second.served);
  record->second.served = ++serves_;
  kept->second.holders_by_served.emplace(record->second.served, record->first);
}

std::string OperationStore::reader_of(std::string_view manifest_id) const {
  std::lock_guard lock(mutex_);
  const auto kept = kept_manifests_.find(manifest_id);
  if (kept == kept_manifests_.end() || kept->second.holders_by_served.empty()) return {};
  const auto reader = records_.find(kept->second.holders_by_served.rbegin()->second);
  return reader == records_.end() ? std::string() : reader->second.view.id;
}

void OperationStore::keep_blobs_within_capacity(Records::const_iterator publisher) {
  auto finished = finished_.begin();
  while (blobs_kept_ > blob_capacity_ && finished != finished_.end()) {
    const auto key = *finished++;  // evicting erases the key, so step past it first
    if (key != publisher->first) evict(records_.find(key));
  }
}

void OperationStore::note_if_finished(Records::const_iterator record) {
  if (model::is_terminal(record->second.view.status)) finished_.insert(record->first);
}

OperationStore::Records::iterator OperationStore::locate(std::string_view id) {
  // GUIDs compare case-insensitively, as Graph treats keys.
  const auto found = by_id_.find(core::ascii_lower(id));
  return found == by_id_.end() ? records_.end() : records_.find(found->second);
}

OperationStore::Records::const_iterator OperationStore::locate(std::string_view id) const {
  const auto found = by_id_.find(core::ascii_lower(id));
  return found == by_id_.end() ? records_.end() : records_.find(found->second);
}

AdminError OperationStore::not_found(std::string_view id) const {
  return AdminError(404, "operationNotFound",
                    evicted_ids_.contains(id)
                        ? fmt::format("The operation '{}' was evicted to keep within max_operations.", id)
                        : fmt::format("There is no operation '{}'.", core::text_excerpt(id)));
}

bool OperationStore::evicted(std::string_view id) const {
  std::lock_guard lock(mutex_);
  return evicted_ids_.contains(id);
}

OperationInfo OperationStore::info_of(const Record& record, TimePoint now) const {
  now = std::max(now, record.progress.last_poll_at);
  const auto& timeline = *record.timeline;
  const auto settled = model::settle(timeline, record.progress, now);
  const auto& request = record.view.request;
  OperationInfo info;
  info.id = record.view.id;
  info.kind = request.kind;
  info.api_version = std::string(model::to_string(request.version));
  info.invoice_id = request.invoice_id;
  if (!model::is_billed(request.kind)) {
    info.currency_code = request.currency_code;
    info.billing_period = std::string(model::to_string(request.billing_period));
  }
  info.attribute_set = std::string(model::to_string(request.attribute_set));
  info.status = timeline.phases.at(settled.phase).status;
  info.phase = settled.phase;
  info.phase_count = timeline.phases.size();
  info.polls = record.requests;
  info.created_at = record.view.created_at;
  for (const auto& [status, at] : record.history) info.history.push_back({status, at});
  info.scenario_rule = record.view.scenario_rule;
  info.manifest_id = record.view.manifest_id;
  return info;
}

std::vector<OperationInfo> OperationStore::list(TimePoint now) const {
  std::lock_guard lock(mutex_);
  std::vector<OperationInfo> infos;
  for (const auto& [order, record] : records_) infos.push_back(info_of(record, now));
  return infos;
}

namespace {

// What an operation takes as JSON in a listing, near enough and never less:
// its texts, and the names (its kind and status among them), numbers and
// times around them; a long timeline makes a long history.
std::size_t listed_bytes(const OperationInfo& info) {
  constexpr std::size_t kFixed = 512;
  constexpr std::size_t kPerPhaseRecord = 96;
  std::size_t bytes = kFixed + info.history.size() * kPerPhaseRecord;
  for (const std::string* text : {&info.id, &info.api_version, &info.invoice_id, &info.currency_code,
                                  &info.billing_period, &info.attribute_set, &info.scenario_rule, &info.manifest_id}) {
    bytes += 6 * text->size();  // every byte escaped, at worst
  }
  return bytes;
}

}  // namespace

OperationPage OperationStore::list(TimePoint now, Page page, std::size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  OperationPage found;
  found.total = records_.size();
  found.evicted = evicted_;
  auto it = records_.begin();
  std::advance(it, std::min(page.skip, records_.size()));
  std::size_t page_bytes = 0;
  for (; it != records_.end() && found.operations.size() < page.top && page_bytes <= max_bytes; ++it) {
    found.operations.push_back(info_of(it->second, now));
    page_bytes += listed_bytes(found.operations.back());
  }
  const auto next = page.skip + found.operations.size();
  if (page.skip < found.total && next < found.total) found.next = Page{next, page.top};
  return found;
}

std::optional<OperationInfo> OperationStore::find(std::string_view id, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == records_.end()) return std::nullopt;
  return info_of(it->second, now);
}

OperationInfo OperationStore::get(std::string_view id, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == records_.end()) throw not_found(id);
  return info_of(it->second, now);
}

OperationInfo OperationStore::force(std::string_view id, const PhaseOrder& order,
                                    const model::ManifestShape& succeeded, TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == records_.end()) throw not_found(id);
  Record& record = it->second;
  now = std::max(now, record.progress.last_poll_at);
  const auto settled = model::settle(*record.timeline, record.progress, now);
  const auto current = record.timeline->phases.at(settled.phase).status;
  if (model::is_terminal(current)) {
    throw AdminError(409, "operationTerminal",
                     fmt::format("The operation '{}' has already {}; a terminal operation never changes.", id,
                                 model::to_string(current)));
  }
  if (order.phase.has_value() == order.status.has_value()) {
    throw AdminError(400, "badPhaseOrder", "Give either a phase (an index into the timeline) or a status.");
  }
  std::size_t target = 0;
  if (order.phase) {
    if (*order.phase <= settled.phase || *order.phase >= record.timeline->phases.size()) {
      throw AdminError(400, "badPhaseOrder",
                       fmt::format("Phase {} is not a later phase of the operation: it is in phase {} of {}.",
                                   *order.phase, settled.phase, record.timeline->phases.size()));
    }
    target = *order.phase;
  } else {
    model::Phase forced;
    if (*order.status == OperationStatus::failed) {
      forced.status = model::OperationStatus::failed;
      forced.failure = model::OperationFailure{order.error_code, order.error_message};
    } else if (*order.status == OperationStatus::succeeded) {
      forced.status = model::OperationStatus::succeeded;
      forced.manifest = succeeded;
    } else {
      throw unforceable_status(to_string(*order.status));
    }
    // The rest of the timeline gives way to the forced end, in a copy: other
    // operations may share this timeline.
    auto changed = std::make_shared<model::Timeline>(*record.timeline);
    changed->phases.resize(settled.phase + 1);
    changed->phases.push_back(std::move(forced));
    record.timeline = std::move(changed);
    target = settled.phase + 1;
  }
  record.progress = settled;
  record.progress.phase = target;
  record.progress.polls_in_phase = 0;
  record.progress.phase_entered_at = now;
  apply_phase(record);
  note_if_finished(it);
  return info_of(record, now);
}

AdminError unforceable_status(std::string_view name) {
  return AdminError(400, "badPhaseOrder",
                    fmt::format("Status '{}' cannot be forced; force 'succeeded' or 'failed', or give a phase.",
                                core::text_excerpt(name)));
}

std::optional<OperationStore::PollOutcome> OperationStore::poll(std::string_view id, TimePoint now) {
  std::unique_lock lock(mutex_);
  auto it = locate(id);
  if (it == records_.end()) return std::nullopt;
  // Another poll is publishing the manifest: this one is answered after it,
  // as if it had waited for the lock, so that no answer (a scripted fault's
  // included) shows the operation succeeded without its manifest.
  if (it->second.publishing) {
    it = await_manifest(lock, it->first);
    if (it == records_.end()) return std::nullopt;  // evicted meanwhile: as if never found
  }
  Record& record = it->second;
  const auto& timeline = *record.timeline;
  record.requests += 1;

  const auto phase_before = record.progress.phase;
  // Retry-After is measured on the clock as it reads, as the client (and the
  // client report) see it; only the timeline is kept from moving backwards.
  const TimePoint asked_at = now;
  // A clock set backwards must not move an operation backwards in time.
  now = std::max(now, record.progress.last_poll_at);
  if (timeline.early_polls == model::EarlyPolls::throttle && asked_at < record.poll_not_before) {
    const auto wait = throttled_wait(record);
    record.poll_not_before = asked_at + wait;
    return PollOutcome{record.view, std::nullopt, std::nullopt, wait};
  }
  record.early_polls_in_a_row = 0;
  record.answered += 1;
  const auto settled = model::settle(timeline, record.progress, now);
  const auto pick = faults_for(record, timeline.phases.at(settled.phase).status, now);
  std::optional<faults::Latency> delay;
  if (pick.delay != nullptr) delay = pick.delay->delay;
  if (pick.response != nullptr) {
    // The deadline follows what the answer advertises: a scripted status its
    // own Retry-After, a scripted body the operation's.
    const auto advertised = pick.response->status ? pick.response->retry_after : advertised_wait(record.view);
    record.poll_not_before = advertised ? asked_at + *advertised : TimePoint{};
    if (!pick.response->status) note_served(it);
    return PollOutcome{record.view, *pick.response, delay, std::nullopt};
  }
  record.progress = settled;
  if (record.progress.phase != phase_before) apply_phase(record);
  record.progress.polls_in_phase += 1;
  record.progress.last_poll_at = now;
  const auto advertised = advertised_wait(record.view);
  record.poll_not_before = advertised ? asked_at + *advertised : TimePoint{};

  // Succeeded without a manifest: it has just succeeded, or a publish that
  // failed left it so. Nobody else is publishing (the lock was held since
  // the wait above), so this poll publishes.
  if (record.view.status == model::OperationStatus::succeeded && record.view.manifest_id.empty()) {
    it = publish(lock, it);
    if (it == records_.end()) return std::nullopt;  // evicted meanwhile: as if never found
  }
  note_served(it);
  note_if_finished(it);
  return PollOutcome{it->second.view, std::nullopt, delay, std::nullopt};
}

OperationStore::Records::iterator OperationStore::publish(std::unique_lock<std::mutex>& lock, Records::iterator it) {
  // Published outside the lock, so that what publishing takes (the blob
  // store's lock, the data's generator) is never taken under this one;
  // polls meanwhile wait in await_manifest rather than publish again.
  const auto key = it->first;
  it->second.publishing = true;
  const OperationView view = it->second.view;
  const auto timeline = it->second.timeline;  // kept alive: a force may replace the record's
  const auto& succeeded = timeline->phases.at(it->second.progress.phase);
  lock.unlock();
  std::optional<Published> published;
  std::exception_ptr failure;
  try {
    published = publish_(view, succeeded, view.last_action_at);
  } catch (...) {
    failure = std::current_exception();
  }
  lock.lock();
  publishing_done_.notify_all();
  it = records_.find(key);
  if (it == records_.end()) {
    // Evicted while publishing: its manifest goes with it.
    if (published && forget_) forget_(published->manifest_id);
  } else {
    it->second.publishing = false;
    if (published) {
      it->second.view.manifest_id = std::move(published->manifest_id);
      // A manifest already kept (data already generated) lists no more blobs
      // for one more holder.
      auto& kept = kept_manifests_[it->second.view.manifest_id];
      if (kept.holders_by_served.empty()) {
        kept.blobs = published->blobs;
        blobs_kept_ += kept.blobs;
      }
      it->second.served = ++serves_;
      kept.holders_by_served.emplace(it->second.served, it->first);
      keep_blobs_within_capacity(it);
    }
  }
  if (failure) std::rethrow_exception(failure);
  return it;
}

OperationStore::Records::iterator OperationStore::await_manifest(std::unique_lock<std::mutex>& lock,
                                                                 std::uint64_t key) {
  publishing_done_.wait(lock, [&] {
    const auto it = records_.find(key);
    return it == records_.end() || !it->second.publishing;
  });
  return records_.find(key);
}

std::optional<std::chrono::seconds> OperationStore::advertised_wait(const OperationView& view) {
  if (model::is_terminal(view.status)) return std::nullopt;
  return view.retry_after;
}

std::chrono::seconds OperationStore::throttled_wait(Record& record) {
  // Doubling from the phase's own Retry-After (at least a second), so a
  // client that keeps ignoring it is told to wait longer and longer.
  constexpr std::chrono::seconds kLongest = std::chrono::hours(1);
  const auto base = std::max(record.view.retry_after, std::chrono::seconds(1));
  const int doublings = std::min(record.early_polls_in_a_row, 12);
  record.early_polls_in_a_row += 1;
  return std::min(kLongest, base * (std::int64_t{1} << doublings));
}

faults::FaultPick OperationStore::faults_for(const Record& record, model::OperationStatus status, TimePoint now) {
  return faults::pick_poll(record.timeline->poll_faults, record.answered, status, now - record.view.created_at,
                           chance_);
}

void OperationStore::apply_phase(Record& record) {
  const model::Phase& phase = record.timeline->phases.at(record.progress.phase);
  record.view.status = phase.status;
  record.view.last_action_at = record.progress.phase_entered_at;
  record.view.retry_after = phase.retry_after;
  record.view.failure = phase.failure;
  if (phase.manifest) record.view.resource_location = phase.manifest->resource_location;
  record.history.push_back({phase.status, record.view.last_action_at});
}

}  // namespace graphfake::domain
