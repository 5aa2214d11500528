#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "graphfake/clock.h"

namespace graphfake {

namespace domain {
class FakeNamespace;
}

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

// One request the fake answered, as its journal keeps it. Recorded before
// the response is sent: a client that has its answer finds it here.
// What the client sent is kept up to a size: a longer body or text ends in
// "[graphfake truncated N bytes]", and a longer header set in one header
// "graphfake-truncated" saying how many headers were left out.
struct JournalEntry {
  std::uint64_t sequence = 0;  // 1, 2, ...: the order answers were given in
  TimePoint at{};              // on the fake's clock
  std::string method;
  std::string path;   // without the query
  std::string query;  // as sent, without '?'
  HeaderPairs request_headers;  // names lower-case; the first 100, up to 16 KiB of names and values
  std::string request_body;     // the first 64 KiB
  int status = 0;  // 0: a scripted fault closed the connection without an answer
  HeaderPairs response_headers;  // names as sent
  // "export", "operation", "manifest", "blob"; "unsupported" for a Graph
  // route the fake knows but does not implement (501); "unmatched" for a
  // path the fake does not serve.
  std::string endpoint;
  std::string operation_id;   // the operation the request started or touched
  // For a poll answered with an operation: the status it reported
  // ("running", "succeeded", ...); empty for an error answer.
  std::string operation_status;
  std::string scenario_rule;  // "file.json: rule name", when a rule decided it
  // The invoice of the export requested, or of the operation (its manifest,
  // its blobs) the request touched.
  std::string invoice_id;
  // For an unmatched request: the route it most likely meant, e.g.
  // "GET /v1.0/reports/partners/billing/operations/{id}".
  std::string nearest_route;
};

// One line, as gtest and gmock print an entry (in a failed Contains(...),
// say) and the graphfake/testing.h helpers quote it:
// #12 at 2025-01-01T00:00:12Z GET /v1.0/.../operations/{id} -> 200 (operation, operation "…" running, Retry-After 10)
void PrintTo(const JournalEntry& entry, std::ostream* os);

// Which journal entries to return; unset fields match everything.
// The initializers let designated initializers name only some fields
// ({.method = "GET"}) without -Wmissing-field-initializers.
struct JournalQuery {
  std::optional<std::string> method{};        // exact, e.g. "GET"
  std::optional<std::string> path_pattern{};  // '*' matches any run of characters
  std::optional<std::string> operation_id{};
  std::optional<int> status{};
  std::optional<std::string> endpoint{};  // "unmatched" for requests no route serves
  std::optional<std::string> invoice_id{};  // exact
};

// One page of a long listing: skip `skip` items, then up to `top` of them.
struct Page {
  static constexpr std::size_t kMaxTop = 1000;
  // A page also ends after the item whose JSON takes it past this many
  // bytes, so that no page is huge whatever its items hold.
  static constexpr std::size_t kMaxBytes = 8 * 1024 * 1024;
  std::size_t skip = 0;
  std::size_t top = 100;  // 1 to kMaxTop
};

// Journal entries matching a query, one page of them.
struct JournalPage {
  std::vector<JournalEntry> entries;  // oldest first
  std::size_t total = 0;              // entries matching the query, on every page
  std::uint64_t dropped = 0;          // entries the journal dropped to stay within its caps
  std::optional<Page> next{};         // the page after this one, when there is one
};

struct PhaseRecord {
  std::string status;  // notStarted, running, succeeded, failed
  TimePoint entered_at{};
};

// An operation as the admin surface shows it: where it is in its timeline,
// without counting as a poll.
struct OperationInfo {
  std::string id;
  std::string kind;  // "billedReconciliation"
  std::string api_version;
  std::string invoice_id;      // billed kinds
  std::string currency_code;   // unbilled kinds, e.g. "USD"
  std::string billing_period;  // unbilled kinds: "current" or "last"
  std::string attribute_set;
  std::string status;
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
  // ...or a terminal state, "succeeded" or "failed", that replaces what is
  // left of the timeline. A failure carries this code and message.
  std::optional<std::string> status{};
  std::string error_code = "5000";
  std::string error_message = "No data available";
};

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

// A scenario file's text, for loading without a file on disk.
struct ScenarioSource {
  std::string name;  // named in errors and listings
  std::string text;
};

// Sums of an export's money columns, exact to the last decimal place its
// rows print: what a reconciliation tool that read every row of every blob
// must arrive at.
struct AmountSums {
  std::uint64_t rows = 0;
  std::vector<std::string> sums;  // decimal text ("-1234.50"), one per ExportTotals::columns
};

struct ExportTotals {
  std::string operation_id;
  std::string kind;  // "billedReconciliation", ...
  // Reconciliation: "Subtotal", "TaxTotal", "Total" (in the row's Currency).
  // Usage: "BillingPreTaxTotal" (in BillingCurrency), "PricingPreTaxTotal"
  // (in PricingCurrency), grouped by BillingCurrency.
  std::vector<std::string> columns;
  int scale = 0;  // decimal places of every sum
  AmountSums all;  // every row; a sum across currencies is only meaningful with one currency
  struct Currency {
    std::string currency;
    AmountSums amounts;
  };
  struct Customer {
    std::string customer_id;
    std::string customer_name;
    std::string currency;
    AmountSums amounts;
  };
  std::vector<Currency> by_currency;  // by currency code
  std::vector<Customer> by_customer;  // by customer id, then currency
};

struct ScenarioFileInfo {
  std::string name;
  std::vector<std::string> rules;  // in match order
};

// An admin request the fake cannot carry out: an unknown operation (404), a
// clock that is not virtual or a terminal operation (409), a bad argument
// (400). Scenario files with errors throw graphfake::ScenarioError instead.
class AdminError : public std::runtime_error {
 public:
  AdminError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// Setting a fake up, driving its time, and reading what its clients did.
// The same operations are served over HTTP under /_graphfake/ (see
// docs/admin-api.md). Get one from Server::admin(); it stays valid while the
// Server lives.
class Admin {
 public:
  explicit Admin(std::shared_ptr<domain::FakeNamespace> state);

  // Back to the start: no operations, manifests or journal entries, the
  // scenario files the server started with (with fresh counters), and a
  // virtual clock at the time it started from.
  void reset();

  std::vector<ScenarioFileInfo> scenarios() const;
  // Adds files after the loaded ones (append) or instead of them. All or
  // nothing: any error in any file throws ScenarioError and nothing changes.
  enum class Load { append, replace };
  void load_scenarios(const std::vector<ScenarioSource>& sources, Load how);
  void load_scenario_files(const std::vector<std::string>& paths, Load how);

  TimePoint now() const;
  // Throw AdminError (409) unless the server runs on a VirtualClock.
  void advance_clock(std::chrono::milliseconds by);
  void set_clock(TimePoint to);

  std::vector<OperationInfo> operations() const;  // oldest first, every one kept
  // AdminError 400 for a page of no entries or more than Page::kMaxTop.
  OperationPage operations_page(Page page = {}) const;
  OperationInfo operation(const std::string& id) const;  // AdminError 404 when unknown
  OperationInfo force(const std::string& id, const PhaseOrder& order);
  // What the data of a succeeded export adds up to. AdminError 404 for an
  // unknown operation, 409 until a poll has seen it succeed (its data is
  // decided then). Costs one pass over the rows' amounts, without the JSON
  // or gzip, each call.
  ExportTotals expected_totals(const std::string& operation_id) const;

  std::vector<JournalEntry> journal(const JournalQuery& query = {}) const;
  // AdminError 400 for a page of no entries or more than Page::kMaxTop.
  JournalPage journal_page(const JournalQuery& query = {}, Page page = {}) const;
  std::size_t count(const JournalQuery& query = {}) const;
  // Entries dropped, oldest first, to keep the journal within its caps.
  std::uint64_t journal_dropped() const;
  // What the kept entries take, as Options::journal_byte_capacity counts it.
  std::size_t journal_bytes() const;

  // What the fake's clients did against what it advertised (Retry-After,
  // Location, terminal states, client-request-id).
  ClientReport client_report() const;

 private:
  std::shared_ptr<domain::FakeNamespace> state_;
};

}  // namespace graphfake
