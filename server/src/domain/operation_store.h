#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "graphfake/admin.h"
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
  std::string scenario_rule;  // "file.json: rule name"; empty for the default timeline
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

  // `scenario_rule` names the rule that gave the timeline, if one did.
  OperationView create(model::ExportRequest request, model::Timeline timeline, TimePoint now,
                       std::string scenario_rule = {});

  struct PollOutcome {
    OperationView operation;
    // Set when a scripted fault replaces this poll's answer; the operation
    // then has not moved.
    std::optional<model::Fault> fault;
    std::optional<model::Latency> delay;  // a scripted delay for this poll's answer
    // Set when the poll came early under an EarlyPolls::throttle timeline:
    // answer 429 with this Retry-After. The operation has not moved.
    std::optional<std::chrono::seconds> throttled;
  };

  // Counts one poll at `now` and returns what it sees; nullopt for an
  // unknown id.
  std::optional<PollOutcome> poll(std::string_view id, TimePoint now);

  // Where each operation is at `now`, without counting a poll; oldest first.
  std::vector<OperationInfo> list(TimePoint now) const;
  std::optional<OperationInfo> find(std::string_view id, TimePoint now) const;

  // Moves an operation on at `now` as `order` says. `succeeded` is the
  // manifest a forced success delivers. Throws AdminError: 404 for an
  // unknown id, 409 for a terminal operation, 400 for an order that does
  // not name a later phase or a terminal status.
  OperationInfo force(std::string_view id, const PhaseOrder& order, const model::ManifestShape& succeeded,
                      TimePoint now);

 private:
  struct Record {
    OperationView view;
    model::Timeline timeline;
    model::Progress progress;
    std::uint64_t requests = 0;  // every poll, faulted or throttled or not
    // Polls the timeline answered (throttled ones are not): what a fault's
    // "polls" trigger counts, so throttling never skips a scripted fault.
    std::uint64_t answered = 0;
    std::vector<PhaseRecord> history;
    std::uint64_t created_order = 0;
    // The Retry-After last advertised to a poll had the client wait until here.
    TimePoint poll_not_before{};
    int early_polls_in_a_row = 0;
  };

  OperationInfo info_of(const Record& record, TimePoint now) const;
  static std::chrono::seconds throttled_wait(Record& record);
  // The Retry-After a poll answer showing `view` carries; none once terminal.
  static std::optional<std::chrono::seconds> advertised_wait(const OperationView& view);
  void apply_phase(Record& record);
  model::FaultPick faults_for(const Record& record, model::OperationStatus status, TimePoint now);

  core::IdGenerator& ids_;
  core::IdGenerator& chance_;
  PublishManifest publish_;
  mutable std::mutex mutex_;
  std::map<std::string, Record, std::less<>> records_;
  std::uint64_t created_ = 0;
};

}  // namespace graphfake::domain
