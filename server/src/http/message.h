#pragma once

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

#include "handlers/exchange.h"

namespace graphfake::http {

using HeaderList = handlers::Headers;
using handlers::find_header;

// The items of a comma-separated header value (RFC 9110, section 5.6.1), trimmed,
// empty ones left out: "gzip, br;q=0" -> {"gzip", "br;q=0"}.
std::vector<std::string_view> list_items(std::string_view value);
// The items of every header named `name`, in order.
std::vector<std::string_view> header_items(const HeaderList& headers, std::string_view name);

// One request as read off the wire: the head parsed, the body whole and
// decoded (chunked framing and Content-Encoding removed).
struct Request {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  std::string query;   // as sent, after '?'
  std::multimap<std::string, std::string> params;  // the query, decoded
  int minor_version = 1;  // HTTP/1.x
  HeaderList headers;     // in the order sent, names as sent
  std::string body;
  std::string local_address;  // the address the client connected to
  std::uint16_t local_port = 0;

  std::string header(std::string_view name) const {
    const auto* value = find_header(headers, name);
    return value != nullptr ? *value : std::string();
  }
  bool has_header(std::string_view name) const { return find_header(headers, name) != nullptr; }
};

// A response is a handler's reply (handlers/exchange.h): the connection
// writes it as it is.
using BodySource = handlers::ByteSource;
using Response = handlers::Reply;

// Why a request could not be read: the status to answer with, and the
// reason in words. The connection is closed after the answer, since the
// rest of what the client sent cannot be framed.
struct RequestProblem {
  int status;
  std::string reason;
};

// What the server answers with, called on the connection's thread.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual Response answer(const Request& request) = 0;
  // For a request that could not be read whole: `partial` holds what was
  // read (maybe no more than the method and path).
  virtual Response answer_problem(const Request& partial, const RequestProblem& problem) = 0;
};

}  // namespace graphfake::http
