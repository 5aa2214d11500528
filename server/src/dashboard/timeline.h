#pragma once

// The timeline model behind the dashboard and the HTML report: one
// operation's journal entries as marks on the fake's clock, and the
// Retry-After windows its answers advertised. Pure functions; drawing is
// render.h's.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/journal.h"
#include "graphfake/report.h"

namespace graphfake::dashboard {

// How the fake answered a request, as far as a picture tells it apart.
enum class Answer {
  ok,           // 2xx, 3xx
  throttled,    // 429
  unavailable,  // 5xx: a scripted 503 or 500
  dropped,      // the connection was closed without an answer (a scripted drop)
  refused,      // another 4xx
};

std::string_view to_string(Answer answer);

// One request of the operation.
struct Mark {
  std::uint64_t sequence = 0;  // its journal entry
  TimePoint at{};
  Endpoint endpoint = Endpoint::export_request;  // export, operation (a poll), manifest or blob
  std::string method;
  int status = 0;
  Answer answer = Answer::ok;
  std::optional<OperationStatus> reported{};  // what a poll was told
  // A poll made this long before the Retry-After last advertised to it had
  // elapsed (the client report's early polls).
  std::optional<std::chrono::milliseconds> early_by{};
  // A poll made after one was told succeeded or failed.
  bool after_terminal = false;
  std::string range;  // a blob request's Range header, as sent
  std::string blob;   // a blob request: the blob's name (the path's last segment)
  std::string fault;  // how a scripted fault bent the answer's bytes (JournalEntry::fault)
  std::string label;  // the mark in words, for a tooltip and a screen reader
};

// The time a poll's answer asked the client to wait: [from, until).
struct RetryWindow {
  TimePoint from{};
  TimePoint until{};
  bool from_429 = false;       // advertised by a 429 rather than by a progress answer
  std::uint64_t sequence = 0;  // the journal entry that advertised it
};

struct Timeline {
  std::string operation_id;
  TimePoint start{};  // the first entry's time
  TimePoint end{};    // the last entry's, or the last window's end if later
  std::vector<Mark> marks;  // in journal order
  std::vector<RetryWindow> windows;
  OperationBehaviour behaviour;  // the client report's findings for this operation
  // The findings in words, one sentence each; empty when the client behaved.
  std::vector<std::string> findings;
};

// `entries` are the operation's journal entries (those naming its id), in
// sequence order; others are ignored. The findings come from the client
// report read over the same entries, so the picture and the report agree.
Timeline timeline_of(const std::string& operation_id, const std::vector<JournalEntry>& entries);

// "+12.5 s": a time relative to the timeline's start, as labels give it.
std::string offset_text(std::chrono::milliseconds offset);

}  // namespace graphfake::dashboard
