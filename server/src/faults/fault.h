#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/operation_status.h"

namespace graphfake::faults {

// How long a scripted delay holds a response back: one fixed value, or a
// draw from a distribution (seeded, like every random value of the server).
struct Latency {
  enum class Distribution { fixed, uniform, log_normal };

  Distribution distribution = Distribution::fixed;
  std::chrono::milliseconds fixed{0};
  std::chrono::milliseconds min{0};     // uniform
  std::chrono::milliseconds max{0};     // uniform: the upper bound; log-normal: a cap (0 = none)
  std::chrono::milliseconds median{0};  // log-normal: e^mu
  double sigma = 0.0;                   // log-normal: spread of the underlying normal
};

// Turns two independent uniform draws in [0, 1) into a delay. Pure, so that
// the server's seeded generator alone decides every delay.
std::chrono::milliseconds sample(const Latency& latency, double u1, double u2);

// A scripted misbehaviour: when its triggers all hold, the response is
// replaced by its action, held back by its delay, or both. The operation
// itself does not move on a poll whose response was replaced: the client got
// no usable answer.
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
  std::optional<model::OperationStatus> phase;      // poll: the operation's status at that poll
  std::optional<std::chrono::milliseconds> after;  // poll: the operation is at least this old
  std::vector<std::uint64_t> blobs;          // blob: these blob indexes (0-based)
  double probability = 1.0;                  // drawn from the server's seeded generator

  // Response action: at most one of these.
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

  // Held before whatever is answered (or before the connection is dropped).
  std::optional<Latency> delay;

  bool replaces_response() const;
};

}  // namespace graphfake::faults
