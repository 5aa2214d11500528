#pragma once

// Operations as the admin surface shows and moves them.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/clock.h"
#include "graphfake/page.h"

namespace graphfake {

// The four exports of the partner-billing family; to_string gives the name
// scenario files and the admin API use ("billedReconciliation", ...).
enum class ExportKind { billed_reconciliation, unbilled_reconciliation, billed_usage, unbilled_usage };

// Where an operation is, as Graph's longRunningOperationStatus spells it
// ("notStarted", "running", "succeeded", "failed").
enum class OperationStatus { not_started, running, succeeded, failed };

std::string_view to_string(ExportKind kind);
std::string_view to_string(OperationStatus status);
// As to_string spells them, so gtest prints them by name.
std::ostream& operator<<(std::ostream& os, ExportKind kind);
std::ostream& operator<<(std::ostream& os, OperationStatus status);

struct PhaseRecord {
  OperationStatus status = OperationStatus::not_started;
  TimePoint entered_at{};
};

// An operation as the admin surface shows it: where it is in its timeline,
// without counting as a poll.
struct OperationInfo {
  std::string id;
  ExportKind kind = ExportKind::billed_reconciliation;
  std::string api_version;
  std::string invoice_id;      // billed kinds
  std::string currency_code;   // unbilled kinds, e.g. "USD"
  std::string billing_period;  // unbilled kinds: "current" or "last"
  std::string attribute_set;
  OperationStatus status = OperationStatus::not_started;
  std::size_t phase = 0;  // index into the timeline
  std::size_t phase_count = 0;
  std::uint64_t polls = 0;  // every poll, scripted faults included
  TimePoint created_at{};
  std::vector<PhaseRecord> history;  // the phases polls (or admin) found it in
  std::string scenario_rule;         // empty: the default timeline
  std::string manifest_id;           // once a poll has seen it succeed
};

// Operations, oldest first, one page of them.
struct OperationPage {
  std::vector<OperationInfo> operations;
  std::size_t total = 0;        // operations kept, on every page
  std::uint64_t evicted = 0;    // operations evicted to stay within Options::max_operations
  std::optional<Page> next{};   // the page after this one, when there is one
};

// Moves an operation on now, whatever its timeline says.
struct PhaseOrder {
  // Either a later phase of its timeline...
  std::optional<std::size_t> phase{};
  // ...or a terminal state, succeeded or failed, that replaces what is
  // left of the timeline. A failure carries this code and message.
  std::optional<OperationStatus> status{};
  std::string error_code = "5000";
  std::string error_message = "No data available";
};

}  // namespace graphfake
