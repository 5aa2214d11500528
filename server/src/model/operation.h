#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/clock.h"
#include "model/export.h"

namespace graphfake::model {

// microsoft.graph.longRunningOperationStatus, spelled as on the wire.
enum class OperationStatus { not_started, running, succeeded, failed };

std::string_view to_string(OperationStatus status);
bool is_terminal(OperationStatus status);

// The error a failedOperation carries (graph.publicError's code + message).
struct OperationFailure {
  std::string code;
  std::string message;
};

// A scripted misbehaviour: when its triggers all hold, the response is
// replaced by its action. The operation itself does not move on a faulted
// poll: the client got no usable answer.
struct Fault {
  enum class On { export_request, poll, manifest, blob };
  enum class Body { not_json, unknown_status };
  enum class Location { relative, missing, wrong_host };
  enum class Gzip { truncated, corrupt };
  enum class Drop { before_create, after_create };

  On on = On::poll;
  // Triggers; an empty or absent one always holds.
  std::vector<std::uint64_t> requests;       // export: the Nth export this rule matched (1-based)
  std::vector<std::uint64_t> polls;          // poll: the Nth request for the operation (1-based)
  std::optional<OperationStatus> phase;      // poll: the operation's status at that poll
  std::optional<std::chrono::milliseconds> after;  // poll: the operation is at least this old
  std::vector<std::uint64_t> blobs;          // blob: these blob indexes (0-based)
  double probability = 1.0;                  // drawn from the server's seeded generator

  // Action: exactly one of these.
  std::optional<int> status;                 // an error response with this HTTP status
  std::optional<std::chrono::seconds> retry_after;
  std::string code;                          // Graph error code; empty: the status's usual one
  std::string message;
  std::optional<Body> body;                  // poll: a 200 whose body is broken this way
  std::optional<Location> location;          // export: accepted, with this Location
  std::optional<Drop> drop;                  // export: the connection closes without a response
  std::optional<Gzip> gzip;                  // blob: the bytes served are broken this way
  std::optional<std::uint64_t> reset_at_byte;           // blob: the connection drops after this many bytes
  std::optional<std::uint64_t> extra_content_length;    // blob: Content-Length claims this many more bytes
  std::optional<std::int64_t> blob_count_delta;         // manifest: blobCount is off by this much
};

// How an exportSuccessOperation carries its manifest (§3.6).
enum class ResourceLocationStyle { both, inline_object, navigation_link };

// What a succeeded export delivers.
struct ManifestShape {
  std::uint64_t rows = 0;
  std::uint64_t rows_per_blob = 0;              // 0 with blob_count unset: one blob
  std::optional<std::uint64_t> blob_count;      // instead of rows_per_blob: spread rows evenly
  std::optional<AttributeSet> attribute_set;    // the data's columns, if not the requested ones
  ResourceLocationStyle resource_location = ResourceLocationStyle::both;
  std::chrono::seconds sas_valid_for{3600};
  std::vector<Fault> blob_faults{};
  std::int64_t blob_count_delta = 0;  // a manifest fault: blobCount != blobs.length
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

struct Timeline {
  std::vector<Phase> phases;
  std::vector<Fault> poll_faults{};
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
