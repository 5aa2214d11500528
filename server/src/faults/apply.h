#pragma once

// What a picked fault does to a response, as neutral values: domain turns a
// ScriptedError into Graph's or Azure's error, http streams a BlobWire.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "faults/fault.h"

namespace graphfake::faults {

// An error response a fault scripts: its status, and the scenario's code
// and message or else the usual ones for that status.
struct ScriptedError {
  int status = 0;
  std::string code;
  std::string message;
  std::optional<std::chrono::seconds> retry_after;
};

// For a fault with a status, on an export request or a poll: Graph's usual
// code and message.
ScriptedError graph_error(const Fault& fault);
// For a fault with a status, on a blob: Azure Storage's.
ScriptedError azure_error(const Fault& fault);

// What `fault` does to a blob answer's bytes, in words for the journal
// ("gzip corrupt; connection reset after byte 1024"); empty when nothing.
std::string bent_bytes_note(const Fault& fault);

// How a blob's bytes go out on the wire, in whole-blob byte positions.
struct BlobWire {
  std::uint64_t size = 0;            // the bytes there are to serve
  std::uint64_t declared_extra = 0;  // Content-Length claims this many more
  std::uint64_t stop_at = 0;         // the connection drops here
  std::uint64_t corrupt_from = 0;    // bytes in [corrupt_from, corrupt_to) are flipped
  std::uint64_t corrupt_to = 0;
};

// How `fault` (null: none) bends a blob of `size` gzip bytes.
BlobWire bend(const Fault* fault, std::uint64_t size);

// Flips the bytes of `chunk`, which starts at whole-blob position
// `position`, that `wire` corrupts.
void flip(std::span<char> chunk, std::uint64_t position, const BlobWire& wire);

}  // namespace graphfake::faults
