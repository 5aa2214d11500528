#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "domain/tombstones.h"
#include "faults/pick.h"
#include "graphfake/admin_error.h"
#include "graphfake/operations.h"
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
  std::string rule_identity;  // of that rule among all the service ever loaded; empty for the default timeline
  model::Evolution evolution{};  // from its timeline
};

// The long-running operations of one server. Each operation's state moves
// only inside poll(), under the store's lock, so concurrent polls of one
// operation see a consistent sequence and a terminal state never changes.
//
// It keeps at most `capacity` operations: creating one more evicts the
// oldest finished operation (its status, as last polled or forced,
// succeeded or failed), or the oldest of all when none has finished. And
// the manifests of those it keeps list at most `blob_capacity` blobs
// together: publishing one past that evicts the oldest finished operations
// (never the one publishing), so memory stays bounded whatever an export's
// blob count.
// The refusal of a phase order naming a status that cannot be forced (any
// but succeeded and failed, or one that is no status at all).
AdminError unforceable_status(std::string_view name);

class OperationStore {
 public:
  struct Published {
    std::string manifest_id;
    std::size_t blobs = 0;  // the blobs the manifest lists
  };
  // Called once, by the poll that first finds an operation `succeeded` (the
  // phase `succeeded`), outside the store's lock; says what it published.
  // Polls of the operation meanwhile wait for it, so every poll that sees
  // `succeeded` sees the one manifest.
  using PublishManifest =
      std::function<Published(const OperationView& operation, const model::Phase& succeeded, TimePoint at)>;
  // Called under the lock with the manifest of each evicted operation that
  // published one.
  using ForgetManifest = std::function<void(const std::string& manifest_id)>;

  static constexpr std::size_t kDefaultCapacity = 100'000;
  static constexpr std::size_t kDefaultBlobCapacity = 1'000'000;

  // `chance` draws for faults scripted with a probability.
  OperationStore(core::IdGenerator& ids, core::IdGenerator& chance, PublishManifest publish,
                 std::size_t capacity = kDefaultCapacity, ForgetManifest forget = {},
                 std::size_t blob_capacity = kDefaultBlobCapacity);

  // `timeline` may be shared by many operations: a force gives the one it
  // changes a copy of its own. `scenario_rule` names the rule that gave the
  // timeline, if one did, and `rule_identity` tells it from any other.
  OperationView create(model::ExportRequest request, std::shared_ptr<const model::Timeline> timeline, TimePoint now,
                       std::string scenario_rule = {}, std::string rule_identity = {});

  struct PollOutcome {
    OperationView operation;
    // Set when a scripted fault replaces this poll's answer; the operation
    // then has not moved.
    std::optional<faults::Fault> fault;
    std::optional<faults::Latency> delay;  // a scripted delay for this poll's answer
    // Set when the poll came early under an EarlyPolls::throttle timeline:
    // answer 429 with this Retry-After. The operation has not moved.
    std::optional<std::chrono::seconds> throttled;
  };

  // Counts one poll at `now` and returns what it sees; nullopt for an
  // unknown id.
  std::optional<PollOutcome> poll(std::string_view id, TimePoint now);


  // Where each operation is at `now`, without counting a poll; oldest first.
  std::vector<OperationInfo> list(TimePoint now) const;
  // Up to page.top of them, fewer when their JSON passes `max_bytes` (a long
  // timeline makes a long history): the page ends with the operation that
  // passes it.
  OperationPage list(TimePoint now, Page page, std::size_t max_bytes = Page::kMaxBytes) const;
  std::optional<OperationInfo> find(std::string_view id, TimePoint now) const;
  // Throws AdminError 404 for an unknown id, saying so when it was evicted.
  OperationInfo get(std::string_view id, TimePoint now) const;
  // The operation a read of the manifest `manifest_id`, or of one of its
  // blobs, belongs to: of the operations holding it (more than one for data
  // already generated), the one whose poll served it last. Empty when none
  // holds it.
  std::string reader_of(std::string_view manifest_id) const;
  // Whether `id` is that of an operation this store evicted (the latest
  // `capacity` evicted are remembered).
  bool evicted(std::string_view id) const;

  // Moves an operation on at `now` as `order` says. `succeeded` is the
  // manifest a forced success delivers. Throws AdminError: 404 for an
  // unknown id, 409 for a terminal operation, 400 for an order that does
  // not name a later phase or a terminal status.
  OperationInfo force(std::string_view id, const PhaseOrder& order, const model::ManifestShape& succeeded,
                      TimePoint now);

 private:
  struct Entered {
    model::OperationStatus status;
    TimePoint at;
  };

  struct Record {
    OperationView view;
    std::shared_ptr<const model::Timeline> timeline;
    model::Progress progress;
    std::uint64_t requests = 0;  // every poll, faulted or throttled or not
    // Polls the timeline answered (throttled ones are not): what a fault's
    // "polls" trigger counts, so throttling never skips a scripted fault.
    std::uint64_t answered = 0;
    std::vector<Entered> history;
    // The Retry-After last advertised to a poll had the client wait until here.
    TimePoint poll_not_before{};
    int early_polls_in_a_row = 0;
    bool publishing = false;  // a poll is publishing its manifest
    std::uint64_t served = 0;  // when a poll last served its manifest, in serves_
  };

  // A manifest the operations kept hold, counted once however many hold it:
  // the blobs it lists, and its holders' keys by when a poll last served it
  // to each.
  struct KeptManifest {
    std::size_t blobs = 0;
    std::map<std::uint64_t, std::uint64_t> holders_by_served;
  };
  // Keyed by creation order, so the oldest comes first.
  using Records = std::map<std::uint64_t, Record>;

  OperationInfo info_of(const Record& record, TimePoint now) const;
  // Under the lock: the record of `id` in any case, or records_.end().
  Records::iterator locate(std::string_view id);
  Records::const_iterator locate(std::string_view id) const;
  // Under the lock.
  AdminError not_found(std::string_view id) const;
  static std::chrono::seconds throttled_wait(Record& record);
  // The Retry-After a poll answer showing `view` carries; none once terminal.
  static std::optional<std::chrono::seconds> advertised_wait(const OperationView& view);
  void apply_phase(Record& record);
  // Under the lock, after the record's phase may have changed.
  void note_if_finished(Records::const_iterator record);
  void evict(Records::iterator record);
  // Under the lock, as a poll answers with the record's manifest, if it has one.
  void note_served(Records::iterator record);
  // Under the lock, after `publisher` published: evicts the oldest finished
  // others while the manifests kept list more than blob_capacity_ blobs.
  void keep_blobs_within_capacity(Records::const_iterator publisher);
  // With the lock held on entry and return, and released between: publishes
  // the manifest of the operation at `it`, which has just succeeded.
  // Returns where the record is now, or records_.end() if it was evicted.
  Records::iterator publish(std::unique_lock<std::mutex>& lock, Records::iterator it);
  // Waits, the lock released meanwhile, until no poll is publishing the
  // manifest of the operation at `key`; then as publish.
  Records::iterator await_manifest(std::unique_lock<std::mutex>& lock, std::uint64_t key);
  faults::FaultPick faults_for(const Record& record, model::OperationStatus status, TimePoint now);

  core::IdGenerator& ids_;
  core::IdGenerator& chance_;
  PublishManifest publish_;
  const std::size_t capacity_;
  ForgetManifest forget_;
  const std::size_t blob_capacity_;
  std::size_t blobs_kept_ = 0;  // listed by the manifests in kept_manifests_
  std::map<std::string, KeptManifest, std::less<>> kept_manifests_;
  std::uint64_t serves_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable publishing_done_;
  Records records_;
  // Each record's id (viewing the record's own string) to its key.
  std::map<std::string_view, std::uint64_t, std::less<>> by_id_;
  std::set<std::uint64_t> finished_;  // keys of the records that have finished
  Tombstones evicted_ids_;
  std::uint64_t evicted_ = 0;
  std::uint64_t created_ = 0;
};

}  // namespace graphfake::domain
