#include "dashboard/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "core/strings.h"
#include "domain/client_report.h"

namespace graphfake::dashboard {
namespace {

const std::string* header_of(const HeaderPairs& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (core::iequals(key, name)) return &value;
  }
  return nullptr;
}

// Retry-After in delta seconds, the only form the fake sends (as the client report reads it).
std::optional<std::chrono::seconds> retry_after_of(const JournalEntry& entry) {
  const auto* value = header_of(entry.response_headers, "retry-after");
  if (value == nullptr) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return std::chrono::seconds(seconds);
}

Answer answer_of(int status) {
  if (status == 0) return Answer::dropped;
  if (status == 429) return Answer::throttled;
  if (status >= 500) return Answer::unavailable;
  if (status >= 400) return Answer::refused;
  return Answer::ok;
}

std::chrono::milliseconds since(TimePoint start, TimePoint at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - start);
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:.1f} s", static_cast<double>(duration.count()) / 1000.0);
}

std::string answer_words(const Mark& mark) {
  switch (mark.answer) {
    case Answer::dropped:
      return "the connection was dropped without an answer";
    case Answer::throttled:
      return "answered 429 Too Many Requests";
    case Answer::unavailable:
      return fmt::format("answered {} (server error)", mark.status);
    case Answer::refused:
      return fmt::format("answered {}", mark.status);
    case Answer::ok:
      break;
  }
  if (mark.reported) return fmt::format("answered {} {}", mark.status, to_string(*mark.reported));
  return fmt::format("answered {}", mark.status);
}

std::string label_of(const Mark& mark, TimePoint start, const std::optional<std::chrono::seconds>& retry_after) {
  std::string what;
  switch (mark.endpoint) {
    case Endpoint::export_request:
      what = "export request";
      break;
    case Endpoint::operation:
      what = "poll";
      break;
    case Endpoint::manifest:
      what = "manifest read";
      break;
    case Endpoint::blob:
      what = mark.blob.empty() ? "blob download" : "blob download of " + mark.blob;
      if (!mark.range.empty()) what += " (Range " + mark.range + ")";
      break;
    default:
      what = "request";
      break;
  }
  auto label = fmt::format("#{} at {}: {} {}, {}", mark.sequence, offset_text(since(start, mark.at)), mark.method,
                           what, answer_words(mark));
  if (retry_after) label += fmt::format(", Retry-After {} s", retry_after->count());
  if (mark.early_by) label += fmt::format("; EARLY by {}", seconds_text(*mark.early_by));
  if (mark.after_terminal) label += "; AFTER a terminal state";
  if (!mark.fault.empty()) label += "; its bytes were bent by a FAULT: " + mark.fault;
  return label;
}

std::vector<std::string> findings_of(const OperationBehaviour& behaviour) {
  std::vector<std::string> findings;
  if (!behaviour.early_polls.empty()) {
    std::chrono::milliseconds most{0};
    for (const auto& early : behaviour.early_polls) most = std::max(most, early.early_by);
    findings.push_back(fmt::format("{} of {} polls came before the Retry-After advertised had elapsed (at most {} "
                                   "early).",
                                   behaviour.early_polls.size(), behaviour.polls, seconds_text(most)));
  }
  if (behaviour.ignored_429s != 0) {
    findings.push_back(fmt::format("{} poll{} ignored the Retry-After of a 429.", behaviour.ignored_429s,
                                   behaviour.ignored_429s == 1 ? "" : "s"));
  }
  if (behaviour.polls_after_success != 0) {
    findings.push_back(fmt::format("{} poll{} came after the operation was reported succeeded.",
                                   behaviour.polls_after_success, behaviour.polls_after_success == 1 ? "" : "s"));
  }
  if (behaviour.failed_operation_retries != 0) {
    findings.push_back(fmt::format("{} poll{} came after the operation was reported failed; a failed operation "
                                   "never recovers, a new export is needed.",
                                   behaviour.failed_operation_retries,
                                   behaviour.failed_operation_retries == 1 ? "" : "s"));
  }
  if (behaviour.polls_to_other_url != 0) {
    findings.push_back(fmt::format("{} poll{} went to a URL other than the Location given.",
                                   behaviour.polls_to_other_url, behaviour.polls_to_other_url == 1 ? "" : "s"));
  }
  if (behaviour.requests_without_client_request_id != 0) {
    findings.push_back(fmt::format("{} Graph request{} had no client-request-id header.",
                                   behaviour.requests_without_client_request_id,
                                   behaviour.requests_without_client_request_id == 1 ? "" : "s"));
  }
  return findings;
}

}  // namespace

std::string_view to_string(Answer answer) {
  switch (answer) {
    case Answer::ok:
      return "ok";
    case Answer::throttled:
      return "throttled";
    case Answer::unavailable:
      return "unavailable";
    case Answer::dropped:
      return "dropped";
    case Answer::refused:
      return "refused";
  }
  return "ok";
}

std::string offset_text(std::chrono::milliseconds offset) {
  return fmt::format("+{:.1f} s", static_cast<double>(offset.count()) / 1000.0);
}

Timeline timeline_of(const std::string& operation_id, const std::vector<JournalEntry>& entries) {
  Timeline timeline;
  timeline.operation_id = operation_id;
  std::vector<const JournalEntry*> own;
  std::vector<JournalEntry> report_input;
  for (const auto& entry : entries) {
    if (entry.operation_id != operation_id) continue;
    own.push_back(&entry);
    report_input.push_back(entry);
  }
  auto report = domain::client_report(report_input, 0);
  if (!report.operations.empty()) timeline.behaviour = std::move(report.operations.front());
  timeline.behaviour.operation_id = operation_id;
  timeline.findings = findings_of(timeline.behaviour);
  if (own.empty()) return timeline;

  std::map<std::uint64_t, std::chrono::milliseconds> early_by;
  for (const auto& early : timeline.behaviour.early_polls) early_by.emplace(early.sequence, early.early_by);

  timeline.start = own.front()->at;
  timeline.end = own.front()->at;
  bool terminal_seen = false;
  for (const auto* entry : own) {
    Mark mark;
    mark.sequence = entry->sequence;
    mark.at = entry->at;
    mark.endpoint = entry->endpoint;
    mark.method = entry->method;
    mark.status = entry->status;
    mark.answer = answer_of(entry->status);
    mark.reported = entry->operation_status;
    mark.fault = entry->fault;
    const auto retry_after = retry_after_of(*entry);
    if (entry->endpoint == Endpoint::operation) {
      if (const auto it = early_by.find(entry->sequence); it != early_by.end()) mark.early_by = it->second;
      mark.after_terminal = terminal_seen;
      if (entry->operation_status == OperationStatus::succeeded ||
          entry->operation_status == OperationStatus::failed) {
        terminal_seen = true;
      }
      if (retry_after) {
        timeline.windows.push_back(RetryWindow{entry->at, entry->at + *retry_after, entry->status == 429,
                                               entry->sequence});
        timeline.end = std::max(timeline.end, entry->at + *retry_after);
      }
    }
    if (entry->endpoint == Endpoint::blob) {
      if (const auto* range = header_of(entry->request_headers, "range")) mark.range = *range;
      mark.blob = entry->path.substr(entry->path.rfind('/') + 1);
    }
    mark.label = label_of(mark, timeline.start, entry->endpoint == Endpoint::operation ? retry_after : std::nullopt);
    timeline.end = std::max(timeline.end, entry->at);
    timeline.marks.push_back(std::move(mark));
  }
  return timeline;
}

}  // namespace graphfake::dashboard
