#pragma once

// The client-behaviour report: what a fake's clients did against what it advertised.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace graphfake {

// A poll made before the Retry-After last advertised for its operation had
// elapsed, on the fake's clock.
struct EarlyPoll {
  std::uint64_t sequence = 0;  // its journal entry
  std::chrono::milliseconds early_by{0};
};

// What a client did with one operation, against what the fake advertised.
struct OperationBehaviour {
  std::string operation_id;
  std::string location;  // the Location its export was given
  std::uint64_t polls = 0;
  std::vector<EarlyPoll> early_polls;
  // Polls after one was told "succeeded": the manifest was already there.
  std::uint64_t polls_after_success = 0;
  // Polls after one was told "failed": a failed operation never recovers,
  // the client should start a new export.
  std::uint64_t failed_operation_retries = 0;
  // Polls to a URL (path and query) other than the Location's: another API
  // version, an id re-cased, a path built by hand. The host is not compared.
  std::uint64_t polls_to_other_url = 0;
  // Polls made before the Retry-After of a 429 answering a poll had elapsed.
  std::uint64_t ignored_429s = 0;
  std::uint64_t requests_without_client_request_id = 0;

  bool honoured_retry_after() const { return early_polls.empty() && ignored_429s == 0; }
  bool clean() const {
    return honoured_retry_after() && polls_after_success == 0 && failed_operation_retries == 0 &&
           polls_to_other_url == 0 && requests_without_client_request_id == 0;
  }
};

// The client-behaviour report: every operation in the journal, in the order
// they were created, and what happened outside any operation. Built from the
// journal, so it covers what the journal holds (see journal_dropped).
struct ClientReport {
  std::vector<OperationBehaviour> operations;
  // Graph requests (exports, polls, manifest reads), and those of them
  // without client-request-id, in total: those of operations included.
  std::uint64_t graph_requests = 0;
  std::uint64_t requests_without_client_request_id = 0;
  // Exports sent again, with the same body, before a 429's Retry-After elapsed.
  std::uint64_t ignored_export_429s = 0;
  // Polls of operation ids the fake never gave out (a mangled Location, an
  // id from another namespace or run).
  std::uint64_t polls_of_unknown_operations = 0;
  std::uint64_t journal_dropped = 0;

  bool honoured_retry_after() const {
    if (ignored_export_429s != 0) return false;
    for (const auto& operation : operations) {
      if (!operation.honoured_retry_after()) return false;
    }
    return true;
  }
  bool clean() const {
    if (!honoured_retry_after() || requests_without_client_request_id != 0 || polls_of_unknown_operations != 0) {
      return false;
    }
    for (const auto& operation : operations) {
      if (!operation.clean()) return false;
    }
    return true;
  }
};


// The report as JSON text, as GET /_graphfake/report answers it
// (docs/admin-api.md); `indent` as nlohmann::json::dump takes it.
std::string report_json(const ClientReport& report, int indent = -1);
// The report as tables for a terminal: what the graphfake binary prints on
// standard error when it exits.
std::string report_tables(const ClientReport& report);

}  // namespace graphfake
