#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/message.h"

namespace graphfake::http {

// How a request says its body is delimited (RFC 9112, section 6).
struct BodyFraming {
  enum class Kind { none, length, chunked };
  Kind kind = Kind::none;
  std::uint64_t length = 0;  // for Kind::length
};

// The framing a request's headers give its body, or why they cannot be
// trusted: 400 for a Content-Length that is not one number or comes with
// Transfer-Encoding, 501 for a transfer coding other than chunked, 413 for
// a Content-Length over `max_body_bytes` (refused before reading it).
std::variant<BodyFraming, RequestProblem> body_framing(const Request& request, std::size_t max_body_bytes);

// Reads a chunked body as its bytes arrive, keeping at most
// `max_body_bytes` of data.
class ChunkedDecoder {
 public:
  explicit ChunkedDecoder(std::size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

  // Consumes what it can of `input`, appending the data to `body`; returns
  // the bytes consumed. Stops at the end of the body (done()) or at a
  // problem (400 for broken framing, 413 past the limit).
  std::size_t feed(std::string_view input, std::string& body);
  bool done() const { return state_ == State::done; }
  const std::optional<RequestProblem>& problem() const { return problem_; }

 private:
  enum class State { size_line, data, data_end, trailer, done, failed };
  std::size_t fail(int status, std::string reason);

  std::size_t max_body_bytes_;
  State state_ = State::size_line;
  std::string line_;
  std::uint64_t remaining_ = 0;
  std::size_t trailers_ = 0;
  std::optional<RequestProblem> problem_;
};

// 415 when the request's Content-Encoding names a coding decode_content
// does not know: answered before the body is read.
std::optional<RequestProblem> content_coding_problem(const Request& request);

// Undoes the request's Content-Encoding (gzip, x-gzip, deflate, identity,
// or a list of them) in place, producing at most `max_body_bytes`: 413 past
// that, 415 for a coding the fake does not know, 400 for bytes that do not
// decode.
std::optional<RequestProblem> decode_content(const Request& request, std::string& body, std::size_t max_body_bytes);

}  // namespace graphfake::http
