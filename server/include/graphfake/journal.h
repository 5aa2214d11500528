#pragma once

// The request journal's values: what the fake answered, and how to ask for it.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphfake/clock.h"
#include "graphfake/operations.h"
#include "graphfake/page.h"

namespace graphfake {

// What a journaled request was for; to_string gives the admin API's name:
// "export", "operation" (a poll), "manifest", "blob"; "unsupported" for a
// Graph route the fake knows but does not implement (501); "unmatched" for
// a path the fake does not serve.
enum class Endpoint { export_request, operation, manifest, blob, unsupported, unmatched };

std::string_view to_string(Endpoint endpoint);
std::ostream& operator<<(std::ostream& os, Endpoint endpoint);

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
  Endpoint endpoint = Endpoint::unmatched;
  std::string operation_id;   // the operation the request started or touched
  // For a poll answered with an operation: the status it reported
  // (running, succeeded, ...); none for an error answer.
  std::optional<OperationStatus> operation_status{};
  std::string scenario_rule;  // "file.json: rule name", when a rule decided it
  // The invoice of the export requested, or of the operation (its manifest,
  // its blobs) the request touched.
  std::string invoice_id;
  // For an unmatched request: the route it most likely meant, e.g.
  // "GET /v1.0/reports/partners/billing/operations/{id}".
  std::string nearest_route;
  // For a blob download whose bytes a scripted fault bent: how, e.g.
  // "gzip corrupt", "gzip truncated", "connection reset after byte 1024",
  // "Content-Length 100 bytes too long" (several joined by "; ").
  std::string fault;
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
  std::optional<Endpoint> endpoint{};  // Endpoint::unmatched for requests no route serves
  std::optional<std::string> invoice_id{};  // exact
};

// Journal entries matching a query, one page of them.
struct JournalPage {
  std::vector<JournalEntry> entries;  // oldest first
  std::size_t total = 0;              // entries matching the query, on every page
  std::uint64_t dropped = 0;          // entries the journal dropped to stay within its caps
  std::optional<Page> next{};         // the page after this one, when there is one
};

}  // namespace graphfake
