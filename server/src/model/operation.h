#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults/fault.h"
#include "graphfake/clock.h"
#include "graphfake/dialect.h"
#include "model/export.h"
#include "model/operation_status.h"

namespace graphfake::model {

// The error a failedOperation carries (graph.publicError's code + message).
struct OperationFailure {
  std::string code;
  std::string message;
};

// How an exportSuccessOperation carries its manifest: the Graph docs (Get
// operation) show a navigation link, real clients read an inline object
// (open question Q1 in docs/conformance.md).
enum class ResourceLocationStyle { both, inline_object, navigation_link };

// What a newer service might send that today's does not, for testing a
// client's tolerance: properties no documentation lists, on the operation,
// the manifest and each blob object; and a succeeded operation whose
// @odata.type is a type derived from exportSuccessOperation that no client
// knows yet (its status still says succeeded).
struct Evolution {
  bool unknown_properties = false;
  bool unknown_subtype = false;
};

// A column no data profile has, written as the last key of every row (a
// string value), so that a client's tolerance of new columns can be tested.
struct ExtraColumn {
  std::string name;
  std::string value;

  bool operator==(const ExtraColumn&) const = default;
};

// What a succeeded export delivers.
struct ManifestShape {
  std::uint64_t rows = 0;
  std::uint64_t rows_per_blob = 0;              // 0 with blob_count unset: one blob
  std::optional<std::uint64_t> blob_count;      // instead of rows_per_blob: spread rows evenly
  std::optional<AttributeSet> attribute_set;    // the data's columns, if not the requested ones
  std::optional<std::uint64_t> seed;            // the data's seed, if not the server's
  std::optional<bool> numbers_as_strings;       // how data spells numbers, if not as the dialect says
  std::optional<DataProfile> data_profile;      // the data's profile, if not the dialect's
  std::optional<ExtraColumn> extra_column;      // one more column on every row
  ResourceLocationStyle resource_location = ResourceLocationStyle::both;
  std::chrono::seconds sas_valid_for{3600};
  std::vector<faults::Fault> blob_faults{};
  std::int64_t blob_count_delta = 0;  // a manifest fault: blobCount != blobs.length
  std::optional<faults::Latency> read_delay{};  // a manifest fault: each read of the manifest resource is held back
  // Set for data the service had already generated: the manifest was
  // created this long before the export that first asks for it, and a later
  // export of the same data gets the same manifest while it is kept.
  std::optional<std::chrono::milliseconds> generated_before{};
  // What each SAS grants beyond its directory (domain::SasTerms): Azure's
  // permission letters (sp), and when set, a start (st) this long after it
  // is signed. The real service's: "rl", no st.
  std::string sas_permissions{"rl"};
  std::optional<std::chrono::seconds> sas_starts_in{};
};

// One step of an operation's life. A non-terminal phase lasts until it has
// answered `polls` polls and `duration` has elapsed (whichever are given);
// the last phase of a timeline is terminal and lasts forever.
struct Phase {
  OperationStatus status = OperationStatus::running;
  std::optional<int> polls;
  std::optional<std::chrono::milliseconds> duration;
  std::chrono::seconds retry_after{1};
  std::optional<OperationFailure> failure{};  // for a failed phase
  std::optional<ManifestShape> manifest{};    // for a succeeded phase
};

// What a poll gets when it comes before the Retry-After last advertised for
// its operation has elapsed: the normal answer (the journal and the client
// report still show it was early), or 429 with a Retry-After that doubles
// with each early poll in a row.
enum class EarlyPolls { serve, throttle };

struct Timeline {
  std::vector<Phase> phases;
  std::vector<faults::Fault> poll_faults{};
  EarlyPolls early_polls = EarlyPolls::serve;
  Evolution evolution{};
};

// 1 poll notStarted, 2 polls running, then succeeded with `manifest`.
Timeline default_timeline(std::chrono::seconds retry_after, ManifestShape manifest = {});

// Where an operation is in its timeline.
struct Progress {
  std::size_t phase = 0;
  int polls_in_phase = 0;
  TimePoint phase_entered_at{};
  TimePoint last_poll_at{};
};

// Moves `progress` past every phase that has ended by `now`. Pure: the same
// (timeline, progress, now) always gives the same answer. A phase that ended
// is left at the instant its last condition was met, which becomes the next
// phase's entry time (and so the operation's lastActionDateTime).
Progress settle(const Timeline& timeline, Progress progress, TimePoint now);

}  // namespace graphfake::model
