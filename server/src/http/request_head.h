#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "http/message.h"

namespace graphfake::http {

// What the fake reads of a request head before it refuses it
// (docs/fidelity.md, "Limits").
struct HeadLimits {
  std::size_t max_target_bytes = 8 * 1024;  // the request target: 414 past it
  std::size_t max_header_fields = 100;      // 431 past it
  std::size_t max_head_bytes = 64 * 1024;   // request line and fields together: 431 past it
};

// Finds where a request head ends as its bytes arrive: feed it the whole
// buffer each time (it resumes where it stopped). Empty lines before the
// request line are skipped, as RFC 9112, section 2.2 asks.
class HeadScanner {
 public:
  // The head's length including its empty line, once the buffer holds all
  // of it.
  std::optional<std::size_t> scan(std::string_view buffered);
  // Whether what arrived so far, with no end of head in it, is already too
  // long: 414 while the request line is unfinished, else 431.
  std::optional<RequestProblem> too_long(std::string_view buffered, const HeadLimits& limits) const;
  void reset() { *this = HeadScanner(); }

 private:
  std::size_t line_start_ = 0;
  bool request_line_seen_ = false;
};

struct ParsedHead {
  Request request;  // as much as could be read, even with a problem
  std::optional<RequestProblem> problem;
};

// Reads a request line and its header fields (`head` as HeadScanner
// delimits it). Never throws: what is wrong comes back as a problem with
// its status (400, 414, 431, 505).
ParsedHead parse_request_head(std::string_view head, const HeadLimits& limits);

// "%41b" -> "Ab"; a '%' not followed by two hex digits stays as it is.
// With `plus_as_space`, '+' is a space (query strings).
std::string percent_decode(std::string_view text, bool plus_as_space);

}  // namespace graphfake::http
