#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "model/export.h"
#include "model/operation.h"

namespace graphfake::domain {

// An operation as one poll saw it.
struct OperationView {
  std::string id;
  model::ExportRequest request;
  model::OperationStatus status = model::OperationStatus::not_started;
  TimePoint created_at{};
  TimePoint last_action_at{};
  std::chrono::seconds retry_after{0};
  std::optional<model::OperationFailure> failure;
  model::ResourceLocationStyle resource_location = model::ResourceLocationStyle::both;
  std::string manifest_id;  // set once succeeded
};

// The long-running operations of one server. Each operation's state moves
// only inside poll(), under the store's lock, so concurrent polls of one
// operation see a consistent sequence and a terminal state never changes.
class OperationStore {
 public:
  // Called once, under the lock, when an operation first reaches
  // `succeeded` (the phase `succeeded`); returns the id of the manifest it
  // published.
  using PublishManifest =
      std::function<std::string(const OperationView& operation, const model::Phase& succeeded, TimePoint at)>;

  // `chance` draws for faults scripted with a probability.
  OperationStore(core::IdGenerator& ids, core::IdGenerator& chance, PublishManifest publish);

  OperationView create(model::ExportRequest request, model::Timeline timeline, TimePoint now);

  struct PollOutcome {
    OperationView operation;
    // Set when a scripted fault replaces this poll's answer; the operation
    // then has not moved.
    std::optional<model::Fault> fault;
    std::optional<model::Latency> delay;  // a scripted delay for this poll's answer
  };

  // Counts one poll at `now` and returns what it sees; nullopt for an
  // unknown id.
  std::optional<PollOutcome> poll(std::string_view id, TimePoint now);

 private:
  struct Record {
    OperationView view;
    model::Timeline timeline;
    model::Progress progress;
    std::uint64_t requests = 0;  // every poll, faulted or not
  };

  void apply_phase(Record& record);
  model::FaultPick faults_for(const Record& record, model::OperationStatus status, TimePoint now);

  core::IdGenerator& ids_;
  core::IdGenerator& chance_;
  PublishManifest publish_;
  std::mutex mutex_;
  std::map<std::string, Record, std::less<>> records_;
};

}  // namespace graphfake::domain
