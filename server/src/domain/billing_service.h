#pragma once

#include <atomic>
#include <map>
#include <vector>
#include <mutex>
#include <optional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <variant>

#include "core/graph_error.h"
#include "core/ids.h"
#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "domain/auth.h"
#include "domain/blob_store.h"
#include "domain/operation_store.h"
#include "faults/pick.h"
#include "graphfake/admin_error.h"
#include "graphfake/operations.h"
#include "graphfake/scenarios.h"
#include "graphfake/totals.h"
#include "graphfake/options.h"
#include "scenario/scenario.h"

namespace graphfake::domain {

// What scenario files leave unsaid, from the server's options.
scenario::Defaults scenario_defaults(const Options& options);

// Loads scenario files (Options::scenario_paths) or texts; throws
// graphfake::ScenarioError listing every error in every file.
scenario::ScenarioSet load_scenario_set(const std::vector<std::string>& paths, const Options& options);
scenario::ScenarioSet load_scenario_set(const std::vector<ScenarioSource>& sources, const Options& options);

// The partner-billing service behind the HTTP routes: start exports, advance
// and report operations, publish manifests and hand out blobs. Knows nothing
// of HTTP; failures are core::GraphError (Graph routes) or StorageError
// (blob routes).
class BillingService {
 public:
  // Throws std::invalid_argument naming the first option that cannot work.
  // `scenarios` are the rules it starts with (already loaded: see
  // load_scenario_set).
  BillingService(const Options& options, scenario::ScenarioSet scenarios);
  // Loads Options::scenario_paths itself.
  explicit BillingService(const Options& options)
      : BillingService(options, load_scenario_set(options.scenario_paths, options)) {}

  TimePoint now() const { return clock_->now(); }
  const Dialect& dialect() const { return options_.dialect; }
  std::string new_request_id() { return request_ids_.guid(); }

  void authorize(std::string_view authorization_header, TimePoint now) const;

  struct ExportStart {
    std::optional<OperationView> operation;  // absent when a fault dropped the request first
    // A scripted fault that leaves the export accepted but its Location
    // header wrong.
    std::optional<faults::Fault::Location> location_fault;
    // A scripted fault: close the connection without answering.
    bool drop_connection = false;
    // A scripted error response instead of an operation.
    std::optional<core::GraphError> refusal;
    std::string scenario_rule;  // the rule that matched, if one did
  };
  // The first scenario rule matching the request (and its headers) decides
  // the operation's timeline and faults. A scripted error response comes
  // back as `refusal` (no operation is created then).
  ExportStart start_export(model::ExportRequest request, const scenario::RequestHeaders& headers, TimePoint now);

  // Rules from now on, with fresh per-rule counters; operations already
  // started keep the timelines they were given.
  void replace_scenarios(scenario::ScenarioSet scenarios);
  // Rules after the loaded ones; those keep their counters.
  void append_scenarios(scenario::ScenarioSet more);
  std::vector<ScenarioFileInfo> scenario_files() const;
  // What the rules in force hold (see scenario::footprint).
  scenario::Footprint scenario_footprint() const { return scenario::footprint(scenarios()->set); }

  std::vector<OperationInfo> operations(TimePoint now) const { return operations_.list(now); }
  OperationPage operations(TimePoint now, Page page) const { return operations_.list(now, page); }
  std::optional<OperationInfo> operation(std::string_view id, TimePoint now) const {
    return operations_.find(id, now);
  }
  // AdminError 404 for an unknown (or evicted) id.
  OperationInfo known_operation(std::string_view id, TimePoint now) const { return operations_.get(id, now); }
  OperationInfo force(std::string_view id, const PhaseOrder& order, TimePoint now);
  // What a succeeded export's rows add up to (see Admin::expected_totals).
  ExportTotals expected_totals(std::string_view operation_id, TimePoint now) const;

  struct OperationRead {
    OperationView operation;
    std::optional<ManifestRead> manifest;  // set when succeeded
    std::optional<faults::Fault::Body> body_fault;
  };
  // Throws 400 for an id that is not a GUID, 404 for an unknown one, 410
  // for an evicted one, and the scripted error of a poll fault.
  OperationRead poll_operation(std::string_view id, TimePoint now);

  // Throws 400 for an id that is not a GUID, 404 for an unknown one, 410
  // for one evicted with its operation.
  ManifestRead manifest(std::string_view id, TimePoint now) const;
  // The manifest as its own resource (the navigationLink), held back by any
  // delay its scenario scripts for manifest reads.
  ManifestRead read_manifest(std::string_view id, TimePoint now);
  // The operation a read of `manifest` or its blobs is journaled against:
  // of those holding it, the one whose poll served it last (a manifest of
  // data already generated is shared), else the one that published it.
  std::string reading_operation(const Manifest& manifest) const;

  std::variant<BlobHandle, StorageError> open_blob(std::string_view path,
                                                   const std::multimap<std::string, std::string>& query,
                                                   TimePoint now);

  // Cuts every scripted delay short, now and from now on: a reset answers
  // the requests a "10m" latency holds in the service it replaces.
  void stop_holding() { holding_.request_stop(); }
  // Indexes no blob ahead of requests from now on: a reset replaces this
  // service, whose requests still in flight are served all the same.
  void stop_indexing_ahead() { blobs_.stop_indexing_ahead(); }
  // As stop_holding, and stops blob indexing and totals too (core::Stopped):
  // a stopping server must not wait out a ten-million-row blob either.
  void stop() {
    holding_.request_stop();
    working_.request_stop();
  }

 private:
  void hold(const std::optional<faults::Latency>& delay);
  // Tells the clock a Retry-After was advertised. Throws 500 clockLimitReached
  // instead when an auto-advancing clock would have to pass
  // VirtualClock::latest(): the answer that would carry it there is refused.
  void advertise(std::chrono::seconds wait);

  OperationStore::Published publish_manifest(const OperationView& operation, const model::Phase& succeeded,
                                             TimePoint at);
  // An operation that held the manifest is evicted: the manifest goes when
  // no operation holds it any more.
  void release_manifest(const std::string& manifest_id);
  // The rows of an export, shared with every live manifest of the same data:
  // a generator holds its profile and column keys, a few KiB.
  std::shared_ptr<const data::LineSource> line_source(model::ExportKind kind, data::InvoiceProfile profile,
                                                      std::uint64_t seed, model::AttributeSet columns,
                                                      data::LineFormat format);

  // The rules in force, each with the number of exports it has matched and
  // the timeline it gives them (one, shared by all its operations).
  struct LoadedScenarios {
    LoadedScenarios(scenario::ScenarioSet rules, const model::Timeline& default_timeline, std::uint64_t generation,
                    const LoadedScenarios* carried_from = nullptr);
    scenario::ScenarioSet set;
    // Which set of rules this is: with a rule's index, the rule's identity.
    std::uint64_t generation = 0;
    std::vector<std::atomic<std::uint64_t>> exports;
    std::vector<std::shared_ptr<const model::Timeline>> timelines;
  };
  std::shared_ptr<LoadedScenarios> scenarios() const;

  faults::FaultPick export_faults(LoadedScenarios& loaded, const scenario::Rule& rule);
  core::GraphError scripted_refusal(const faults::Fault& fault);

  Options options_;
  std::shared_ptr<Clock> clock_;
  core::IdGenerator ids_;
  // Separate from ids_ so that extra requests (retries, health checks) do
  // not shift the ids of operations, manifests and blobs.
  core::IdGenerator request_ids_;
  core::IdGenerator chance_;  // draws for faults with a probability
  core::IdGenerator latency_;  // draws for delays from a distribution
  std::stop_source holding_;
  std::stop_source working_;
  Authenticator authenticator_;
  // What an export no rule matches follows, shared by all of them.
  std::shared_ptr<const model::Timeline> default_timeline_;
  mutable std::mutex scenarios_mutex_;
  std::shared_ptr<LoadedScenarios> scenarios_;
  std::atomic<std::uint64_t> scenario_generations_{0};  // sets of rules loaded in place of all before
  std::mutex line_sources_mutex_;
  std::map<std::string, std::weak_ptr<const data::LineSource>, std::less<>> line_sources_;
  std::size_t line_sources_swept_size_ = 64;
  // Manifests of already generated data, which later exports of the same
  // data share: each with the operations holding it, and by what their
  // data follows from.
  struct GeneratedManifest {
    std::string key;
    std::size_t holders = 0;
  };
  std::mutex generated_mutex_;
  std::map<std::string, GeneratedManifest, std::less<>> generated_;
  std::map<std::string, std::string, std::less<>> generated_by_data_;
  BlobStore blobs_;
  OperationStore operations_;
};

}  // namespace graphfake::domain
