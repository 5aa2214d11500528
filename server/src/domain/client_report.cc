#include "domain/client_report.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <optional>

#include "core/ids.h"
#include "core/strings.h"
#include "domain/journal.h"

namespace graphfake::domain {
namespace {

std::optional<std::string> header(const HeaderPairs& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (core::ascii_lower(key) == name) return value;
  }
  return std::nullopt;
}

// Retry-After in delta seconds, the only form the fake sends.
std::optional<std::chrono::seconds> retry_after(const JournalEntry& entry) {
  const auto value = header(entry.response_headers, "retry-after");
  if (!value) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return std::chrono::seconds(seconds);
}

// "http://host:port/v1.0/...": the path, with any query.
std::string path_of_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;  // a relative Location is a path already
  const auto path_start = url.find('/', scheme_end + 3);
  return path_start == std::string::npos ? "/" : url.substr(path_start);
}

std::string target_of(const JournalEntry& entry) {
  return entry.query.empty() ? entry.path : entry.path + "?" + entry.query;
}

bool is_graph_request(const JournalEntry& entry) {
  return entry.endpoint == Endpoint::export_request || entry.endpoint == Endpoint::operation ||
         entry.endpoint == Endpoint::manifest;
}

// Follows one operation through its entries.
struct OperationTrail {
  OperationBehaviour behaviour;
  std::optional<TimePoint> poll_not_before;
  bool last_wait_from_429 = false;
  std::optional<OperationStatus> terminal_seen;  // succeeded or failed, once a poll was told so
};

void follow_poll(OperationTrail& trail, const JournalEntry& entry) {
  auto& behaviour = trail.behaviour;
  behaviour.polls += 1;
  if (trail.poll_not_before && entry.at < *trail.poll_not_before) {
    behaviour.early_polls.push_back(EarlyPoll{
        entry.sequence,
        std::chrono::duration_cast<std::chrono::milliseconds>(*trail.poll_not_before - entry.at)});
    if (trail.last_wait_from_429) behaviour.ignored_429s += 1;
  }
  if (trail.terminal_seen == OperationStatus::succeeded) behaviour.polls_after_success += 1;
  if (trail.terminal_seen == OperationStatus::failed) behaviour.failed_operation_retries += 1;
  if (!behaviour.location.empty() && target_of(entry) != path_of_url(behaviour.location)) {
    behaviour.polls_to_other_url += 1;
  }

  const auto wait = retry_after(entry);
  trail.poll_not_before = wait ? std::optional(entry.at + *wait) : std::nullopt;
  trail.last_wait_from_429 = wait && entry.status == 429;
  if (!trail.terminal_seen && (entry.operation_status == OperationStatus::succeeded ||
                               entry.operation_status == OperationStatus::failed)) {
    trail.terminal_seen = entry.operation_status;
  }
}

// An export refused with 429 is known by its path and body; a hash of them
// keeps what may be 64 KiB of body out of the builder.
using ExportKey = std::pair<std::uint64_t, std::uint64_t>;

}  // namespace

struct ClientReportBuilder::State {
  ClientReport report;
  std::vector<OperationTrail> trails;
  std::map<std::string, std::size_t, std::less<>> trail_of;
  // When each export refused with 429 may be sent again.
  std::map<ExportKey, TimePoint> export_not_before;

  OperationTrail& trail_for(const std::string& operation_id) {
    const auto [it, inserted] = trail_of.emplace(operation_id, trails.size());
    if (inserted) {
      trails.emplace_back();
      trails.back().behaviour.operation_id = operation_id;
    }
    return trails[it->second];
  }
};

ClientReportBuilder::ClientReportBuilder() : state_(std::make_unique<State>()) {}

ClientReportBuilder::~ClientReportBuilder() = default;

void ClientReportBuilder::add(const JournalEntry& entry) {
  if (!is_graph_request(entry)) return;
  auto& report = state_->report;
  report.graph_requests += 1;
  const bool without_id = !header(entry.request_headers, "client-request-id").has_value();
  if (without_id) report.requests_without_client_request_id += 1;

  if (entry.endpoint == Endpoint::export_request) {
    const ExportKey key{core::hash64(entry.path, 0), core::hash64(entry.request_body, 1)};
    auto& not_before = state_->export_not_before;
    if (const auto it = not_before.find(key); it != not_before.end()) {
      if (entry.at < it->second) report.ignored_export_429s += 1;
      not_before.erase(it);
    }
    if (entry.status == 429) {
      if (const auto wait = retry_after(entry)) not_before[key] = entry.at + *wait;
    }
  }
  if (entry.operation_id.empty()) {
    if (entry.endpoint == Endpoint::operation && entry.status == 404) report.polls_of_unknown_operations += 1;
    return;
  }

  auto& trail = state_->trail_for(entry.operation_id);
  if (without_id) trail.behaviour.requests_without_client_request_id += 1;
  if (entry.endpoint == Endpoint::export_request) {
    trail.behaviour.location = header(entry.response_headers, "location").value_or("");
  } else if (entry.endpoint == Endpoint::operation) {
    follow_poll(trail, entry);
  }
}

ClientReport ClientReportBuilder::finish(std::uint64_t dropped) && {
  auto report = std::move(state_->report);
  report.journal_dropped = dropped;
  for (auto& trail : state_->trails) report.operations.push_back(std::move(trail.behaviour));
  return report;
}

ClientReport client_report(const std::vector<JournalEntry>& entries, std::uint64_t dropped) {
  ClientReportBuilder builder;
  for (const auto& entry : entries) builder.add(entry);
  return std::move(builder).finish(dropped);
}

ClientReport client_report(const Journal& journal) {
  ClientReportBuilder builder;
  const auto dropped = journal.visit([&builder](const JournalEntry& entry) { builder.add(entry); });
  return std::move(builder).finish(dropped);
}

std::string summary_table(const ClientReport& report) {
  std::string table = fmt::format("{:<36}  {:>5}  {:>5}  {:>9}  {:>8}  {:>7}  {:>9}  {:>5}  {:>5}\n", "operation",
                                  "polls", "early", "max early", "after ok", "retried", "other url", "429s", "no id");
  for (const auto& operation : report.operations) {
    std::chrono::milliseconds most{0};
    for (const auto& early : operation.early_polls) most = std::max(most, early.early_by);
    table += fmt::format("{:<36}  {:>5}  {:>5}  {:>8.1f}s  {:>8}  {:>7}  {:>9}  {:>5}  {:>5}\n",
                         operation.operation_id, operation.polls, operation.early_polls.size(),
                         static_cast<double>(most.count()) / 1000.0, operation.polls_after_success,
                         operation.failed_operation_retries, operation.polls_to_other_url, operation.ignored_429s,
                         operation.requests_without_client_request_id);
  }
  table += fmt::format("{} operation{}, {} Graph requests, {} without client-request-id, {} exports sent again "
                       "inside a 429's Retry-After, {} polls of unknown operations{}: {}\n",
                       report.operations.size(), report.operations.size() == 1 ? "" : "s", report.graph_requests, report.requests_without_client_request_id,
                       report.ignored_export_429s, report.polls_of_unknown_operations,
                       report.journal_dropped == 0 ? ""
                                                   : fmt::format(" ({} journal entries dropped, not counted)",
                                                                 report.journal_dropped),
                       report.clean() ? "the clients behaved" : "the clients misbehaved");
  return table;
}

}  // namespace graphfake::domain
