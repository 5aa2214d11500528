#pragma once

// What a handler takes and gives back, free of any transport: a request as
// plain values, what every answer of the exchange agrees on, and the reply
// as a value that the HTTP adapter (server/src/http/routes.cc) writes and
// journals, once.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphfake/clock.h"
#include "graphfake/journal.h"

namespace graphfake::handlers {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The first value of header `name` (case-insensitive), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

// One request as the handlers see it.
struct Call {
  std::string_view method;
  std::string_view path;       // inside the namespace: what routes match
  std::string_view sent_path;  // as the client sent it (percent-decoded), for messages
  const Headers& headers;      // names as sent
  const std::multimap<std::string, std::string>& params;  // the query, decoded
  std::string_view body;

  std::string header(std::string_view name) const {
    const auto* value = find_header(headers, name);
    return value != nullptr ? *value : std::string();
  }
  bool has_header(std::string_view name) const { return find_header(headers, name) != nullptr; }
};

// What every part of one answer agrees on: "now" is read once.
struct Context {
  TimePoint now;
  std::string origin;     // "scheme://host" as the client addressed the fake
  std::string base_path;  // the namespace's URL prefix ("/_ns/{name}" or "")
  std::string request_id;
  std::string client_request_id;  // the client's, or request_id when it sent none
};

// A reply body made while it is written, for bodies too big to hold.
struct ByteSource {
  // What Content-Length says; none when the length is not known until the
  // last byte is made: the body is then sent chunked (to an HTTP/1.0
  // client: ended by closing the connection).
  std::optional<std::uint64_t> length = 0;
  // Fills `into` with the next bytes and returns how many; 0 ends the body.
  // A body that ends before `length` bytes were sent, or that throws,
  // closes the connection, which the client sees as a cut-off response.
  std::function<std::size_t(std::span<char> into)> read;
};

// What the journal records of an exchange beyond the request and reply
// themselves, as the handler learned it.
struct JournalNotes {
  Endpoint endpoint = Endpoint::unmatched;
  std::string operation_id;
  std::optional<OperationStatus> operation_status;
  std::string scenario_rule;
  std::string invoice_id;
  std::string nearest_route;  // for an unmatched request: what it likely meant
  std::string fault;          // what a scripted fault did to a blob answer's bytes
};

struct Reply {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<ByteSource> stream;  // when set, the body instead of `body`
  // Close the connection without answering (a scripted fault).
  bool drop_connection = false;
  // Released when the reply has been sent or abandoned: what the answer
  // holds for as long as its bytes do (a slot of a bounded resource).
  std::shared_ptr<void> held_until_sent;
  JournalNotes notes;

  // Replaces every header of that name (case-insensitive).
  void set_header(std::string_view name, std::string value);
  std::string header(std::string_view name) const {
    const auto* value = find_header(headers, name);
    return value != nullptr ? *value : std::string();
  }
  void set_content(std::string content, std::string_view content_type) {
    body = std::move(content);
    set_header("Content-Type", std::string(content_type));
  }
};

}  // namespace graphfake::handlers
