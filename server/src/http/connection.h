#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/request_head.h"
#include "http/transport.h"

namespace graphfake::http {

// What one connection may take of the server (docs/fidelity.md, "Limits").
struct ConnectionLimits {
  HeadLimits head;
  std::size_t max_body_bytes = 1024 * 1024;  // after decoding: 413 past it
  // A request's head and body must arrive within this of its first byte
  // (408 otherwise), and a new connection must start one within it.
  std::chrono::milliseconds request_timeout{10'000};
  // How long a connection may sit idle between requests.
  std::chrono::milliseconds keep_alive_timeout{5'000};
  // How long a write may wait for the client to take bytes.
  std::chrono::milliseconds write_timeout{30'000};
};

struct ConnectionInfo {
  std::string local_address;
  std::uint16_t local_port = 0;
};

// Serves requests off one connection until it closes, in order (pipelined
// requests included), each answered by `handler`. Returns when the client
// closes, a limit or deadline ends the connection, or `stopping` is set
// (the request being answered is finished first).
void serve_connection(Transport& transport, RequestHandler& handler, const ConnectionLimits& limits,
                      const ConnectionInfo& info, const std::atomic<bool>& stopping);

// The bytes of a response's head. `body_length` is what Content-Length
// says, none for a body sent chunked (to HTTP/1.0: up to the connection's
// end); `keep_alive` whether the connection stays open after it.
std::string response_head(const Response& response, std::optional<std::uint64_t> body_length, int minor_version,
                          bool keep_alive);

// Whether an Accept-Encoding value lets the response be gzip-compressed.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace graphfake::http
