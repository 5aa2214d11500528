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

namespace graphfake::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The first value of header `name` (case-insensitive), or nullptr.
const std::string* find_header(const HeaderList& headers, std::string_view name);

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

// A response body made while it is written, for bodies too big to hold.
struct BodySource {
  // What Content-Length says.
  std::uint64_t length = 0;
  // Fills `into` with the next bytes and returns how many; 0 ends the body.
  // A body that ends before `length` bytes were sent closes the connection,
  // which the client sees as a cut-off response.
  std::function<std::size_t(std::span<char> into)> read;
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  std::optional<BodySource> stream;  // when set, the body instead of `body`
  // Close the connection without answering (a scripted fault).
  bool drop_connection = false;
  // Released when the response has been sent or abandoned: what the answer
  // holds for as long as its bytes do (a slot of a bounded resource).
  std::shared_ptr<void> held_until_sent;

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
