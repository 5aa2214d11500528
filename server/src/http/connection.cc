#include "http/connection.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "core/excerpt.h"
#include "core/strings.h"
#include "http/request_body.h"

namespace graphfake::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

// After refusing a request whose bytes may still be arriving, the server
// reads and discards them a while before closing: closing with unread bytes
// makes the kernel reset the connection, and the client would lose the
// answer.
constexpr std::chrono::milliseconds kLingerTime{2'000};
constexpr std::size_t kLingerBytes = 64 * 1024 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kStreamChunk = 64 * 1024;
// What a connection's read buffer may keep between requests.
constexpr std::size_t kIdleBufferBytes = 64 * 1024;

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Status";
  }
}

bool has_no_body(int status) { return status < 200 || status == 204 || status == 304; }

bool has_token(const Request& request, std::string_view header, std::string_view token) {
  const auto items = header_items(request.headers, header);
  return std::any_of(items.begin(), items.end(), [&](std::string_view item) { return core::iequals(item, token); });
}

bool wants_keep_alive(const Request& request) {
  if (request.minor_version == 0) return has_token(request, "Connection", "keep-alive");
  return !has_token(request, "Connection", "close");
}

bool compressible(const Response& response) {
  if (response.stream || response.body.empty() || !response.header("Content-Encoding").empty()) return false;
  const auto type = core::ascii_lower(response.header("Content-Type"));
  return type.starts_with("application/json") || type.starts_with("application/xml") || type.starts_with("text/");
}

std::optional<std::string> gzip(std::string_view text) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

// What a refused request's answer can be routed by when its head could not
// be read whole: the method and as much of the path as arrived.
Request partial_request(std::string_view buffered, const ConnectionInfo& info, std::size_t max_target_bytes) {
  while (buffered.starts_with("\r\n") || buffered.starts_with("\n")) buffered.remove_prefix(buffered[0] == '\r' ? 2 : 1);
  Request partial;
  partial.local_address = info.local_address;
  partial.local_port = info.local_port;
  const auto line = buffered.substr(0, buffered.find_first_of("\r\n"));
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return partial;
  partial.method = std::string(line.substr(0, space));
  auto target = line.substr(space + 1);
  target = target.substr(0, std::min(target.find_first_of(" ?"), max_target_bytes));
  partial.path = percent_decode(target, false);
  partial.target = std::string(target);
  return partial;
}

class Connection {
 public:
  Connection(Transport& transport, RequestHandler& handler, const ConnectionLimits& limits,
             const ConnectionInfo& info, const std::atomic<bool>& stopping)
      : transport_(transport), handler_(handler), limits_(limits), info_(info), stopping_(stopping) {}

  void run() {
    // A new connection has request_timeout for its TLS handshake and the
    // first byte of its first request together.
    const Deadline first_byte = SteadyClock::now() + limits_.request_timeout;
    if (!transport_.start(first_byte)) return;
    if (!serve_one(first_byte)) return;
    while (!stopping_ && serve_one(SteadyClock::now() + limits_.keep_alive_timeout)) {
    }
  }

 private:
  // Reads more bytes into the buffer; Read::data when some came.
  Transport::Read fill(Deadline deadline) {
    std::array<char, kReadChunk> chunk;
    const auto got = transport_.read_some(chunk.data(), chunk.size(), deadline);
    if (got.status == Transport::Read::data) buffer_.append(chunk.data(), got.size);
    return got.status;
  }

  std::string_view unread() const { return std::string_view(buffer_).substr(consumed_); }

  // Serves one request, whose first byte must come by `first_byte`; false
  // when the connection is to close.
  bool serve_one(Deadline first_byte) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
    // An idle connection does not keep what one large request needed.
    if (buffer_.capacity() > kIdleBufferBytes && buffer_.size() <= kIdleBufferBytes) buffer_.shrink_to_fit();
    if (buffer_.empty() && fill(first_byte) != Transport::Read::data) return false;
    const Deadline deadline = SteadyClock::now() + limits_.request_timeout;

    HeadScanner scanner;
    std::optional<std::size_t> head_end;
    while (!(head_end = scanner.scan(buffer_))) {
      if (auto problem = scanner.too_long(buffer_, limits_.head)) return refuse(partial_request(buffer_, info_, limits_.head.max_target_bytes), *problem);
      const auto read = fill(deadline);
      if (read == Transport::Read::timed_out) {
        return refuse(partial_request(buffer_, info_, limits_.head.max_target_bytes),
                      {408, fmt::format("the request head did not arrive within {} ms of its first byte",
                                        limits_.request_timeout.count())});
      }
      if (read != Transport::Read::data) return false;
    }
    auto parsed = parse_request_head(std::string_view(buffer_).substr(0, *head_end), limits_.head);
    consumed_ = *head_end;
    Request& request = parsed.request;
    request.local_address = info_.local_address;
    request.local_port = info_.local_port;
    if (parsed.problem) return refuse(request, *parsed.problem);

    if (auto problem = read_body(request, deadline)) {
      if (problem->status == 0) return false;  // the client went away
      return refuse(request, *problem);
    }
    Response response = handler_.answer(request);
    return respond(request, response, wants_keep_alive(request) && !stopping_);
  }

  // Reads the body the head announced into request.body. A problem with
  // status 0 means the connection closed under it.
  std::optional<RequestProblem> read_body(Request& request, Deadline deadline) {
    const auto framing = body_framing(request, limits_.max_body_bytes);
    if (const auto* problem = std::get_if<RequestProblem>(&framing)) return *problem;
    const auto& frame = std::get<BodyFraming>(framing);
    if (frame.kind == BodyFraming::Kind::none) return std::nullopt;

    // What a client waiting for 100 Continue needs to know before it sends.
    for (const auto expectation : header_items(request.headers, "Expect")) {
      if (!core::iequals(expectation, "100-continue")) {
        return RequestProblem{417, fmt::format("the expectation '{}' cannot be met; only 100-continue can",
                                               core::text_excerpt(expectation))};
      }
    }
    if (auto problem = content_coding_problem(request)) return problem;
    // HTTP/1.0 has no interim responses (RFC 9110, section 15.2).
    if (unread().empty() && request.minor_version == 1 && has_token(request, "Expect", "100-continue")) {
      if (!send("HTTP/1.1 100 Continue\r\n\r\n")) return RequestProblem{0, {}};
    }
    const auto late = [this] {
      return RequestProblem{408, fmt::format("the request body did not arrive within {} ms of the request's "
                                             "first byte",
                                             limits_.request_timeout.count())};
    };
    if (frame.kind == BodyFraming::Kind::length) {
      while (unread().size() < frame.length) {
        const auto read = fill(deadline);
        if (read == Transport::Read::timed_out) return late();
        if (read != Transport::Read::data) return RequestProblem{0, {}};
      }
      request.body = std::string(unread().substr(0, frame.length));
      consumed_ += frame.length;
    } else {
      ChunkedDecoder decoder(limits_.max_body_bytes);
      // Framing may not cost more than the data it frames (one-byte chunks
      // with long extensions would let a client send a gigabyte for 1 MiB).
      const std::size_t max_framed = 2 * limits_.max_body_bytes + kReadChunk * 4;
      std::size_t framed = 0;
      while (true) {
        const auto used = decoder.feed(unread(), request.body);
        framed += used;
        buffer_.erase(consumed_, used);  // decoded: not kept twice
        if (decoder.problem()) return decoder.problem();
        if (decoder.done()) break;
        if (framed > max_framed) {
          return RequestProblem{413, fmt::format("the chunked body's framing is larger than {} bytes", max_framed)};
        }
        const auto read = fill(deadline);
        if (read == Transport::Read::timed_out) return late();
        if (read != Transport::Read::data) return RequestProblem{0, {}};
      }
    }
    return decode_content(request, request.body, limits_.max_body_bytes);
  }

  bool refuse(const Request& partial, const RequestProblem& problem) {
    Response response = handler_.answer_problem(partial, problem);
    respond(partial, response, false);
    return false;
  }

  // Writes the response; false when the connection is to close.
  bool respond(const Request& request, Response& response, bool keep_alive) {
    if (response.drop_connection) {
      transport_.abort();
      return false;
    }
    if (compressible(response)) {
      response.set_header("Vary", "Accept-Encoding");
      if (accepts_gzip(request.header("Accept-Encoding"))) {
        if (auto compressed = gzip(response.body)) {
          response.body = std::move(*compressed);
          response.set_header("Content-Encoding", "gzip");
        }
      }
    }
    const bool head_only = request.method == "HEAD";
    const bool bodyless = has_no_body(response.status);
    const std::optional<std::uint64_t> length =
        bodyless ? 0 : response.stream ? response.stream->length : response.body.size();
    // HTTP/1.0 has no chunked coding (RFC 9112, section 7.1): the end of
    // the connection ends a body of unknown length.
    if (!length && request.minor_version == 0) keep_alive = false;
    std::string bytes = response_head(response, length, request.minor_version, keep_alive);

    bool whole = true;
    if (!response.stream) {
      if (!head_only && !bodyless) bytes += response.body;
      if (!send(bytes)) return false;
    } else {
      if (!send(bytes)) return false;
      if (!head_only && !bodyless) {
        whole = length ? stream_body(*response.stream) : stream_unknown_length(*response.stream, request.minor_version);
      }
    }
    if (!whole) {
      transport_.abort();
      return false;
    }
    if (!keep_alive) linger();
    return keep_alive;
  }

  // Writes `bytes` a chunk at a time, each within the write timeout: a
  // client reading slowly but steadily gets all of a large answer, one that
  // stops reading is cut off. False if it was.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto chunk = bytes.substr(0, kStreamChunk);
      if (!transport_.write_all(chunk, SteadyClock::now() + limits_.write_timeout)) return false;
      bytes.remove_prefix(chunk.size());
    }
    return true;
  }

  // False when the body ended early or the client stopped reading.
  bool stream_body(const BodySource& source) {
    std::vector<char> chunk(kStreamChunk);
    std::uint64_t sent = 0;
    const std::uint64_t length = source.length.value_or(0);
    while (sent < length) {
      const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), length - sent));
      const auto produced = std::min(wanted, source.read(std::span<char>(chunk.data(), wanted)));
      if (produced == 0) return false;
      if (!send(std::string_view(chunk.data(), produced))) return false;
      sent += produced;
    }
    return true;
  }

  // A body of unknown length, to its end: chunked, or as it is to an
  // HTTP/1.0 client. False when the client stopped reading.
  bool stream_unknown_length(const BodySource& source, int minor_version) {
    std::vector<char> chunk(kStreamChunk);
    const bool chunked = minor_version > 0;
    while (true) {
      const auto produced = source.read(std::span<char>(chunk.data(), chunk.size()));
      if (produced == 0) return !chunked || send("0\r\n\r\n");
      if (chunked && !send(fmt::format("{:x}\r\n", produced))) return false;
      if (!send(std::string_view(chunk.data(), produced))) return false;
      if (chunked && !send("\r\n")) return false;
    }
  }

  void linger() {
    transport_.close_write();
    if (stopping_) return;
    const Deadline until = SteadyClock::now() + kLingerTime;
    std::size_t discarded = 0;
    std::array<char, kReadChunk> chunk;
    while (discarded < kLingerBytes) {
      const auto got = transport_.read_some(chunk.data(), chunk.size(), until);
      if (got.status != Transport::Read::data) return;
      discarded += got.size;
    }
  }

  Transport& transport_;
  RequestHandler& handler_;
  const ConnectionLimits& limits_;
  const ConnectionInfo& info_;
  const std::atomic<bool>& stopping_;
  std::string buffer_;        // bytes read and not yet consumed start at consumed_
  std::size_t consumed_ = 0;  // the end of the request being served
};

}  // namespace

void serve_connection(Transport& transport, RequestHandler& handler, const ConnectionLimits& limits,
                      const ConnectionInfo& info, const std::atomic<bool>& stopping) {
  try {
    Connection(transport, handler, limits, info, stopping).run();
  } catch (...) {
    // A body that failed while it was being sent (the handler answers
    // every failure before that as a response): the client sees the
    // connection close under a cut-off answer; the server serves on.
    transport.abort();
  }
}

std::string response_head(const Response& response, std::optional<std::uint64_t> body_length, int minor_version,
                          bool keep_alive) {
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", response.status, reason_phrase(response.status));
  for (const auto& [name, value] : response.headers) {
    if (core::iequals(name, "Content-Length") || core::iequals(name, "Transfer-Encoding") ||
        core::iequals(name, "Connection")) {
      continue;
    }
    head += name;
    head += ": ";
    // A header value can echo what a client sent; it must not end the line.
    for (const char c : value) head += (c == '\r' || c == '\n') ? ' ' : c;
    head += "\r\n";
  }
  if (!has_no_body(response.status)) {
    if (body_length) {
      head += fmt::format("Content-Length: {}\r\n", *body_length);
    } else if (minor_version > 0) {
      head += "Transfer-Encoding: chunked\r\n";
    }
  }
  if (!keep_alive) {
    head += "Connection: close\r\n";
  } else if (minor_version == 0) {
    head += "Connection: keep-alive\r\n";
  }
  head += "\r\n";
  return head;
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip_named;
  bool any = false;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding.remove_prefix(comma == std::string_view::npos ? accept_encoding.size() : comma + 1);
    const auto semicolon = item.find(';');
    std::string_view coding = item.substr(0, semicolon);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    bool refused = false;
    if (semicolon != std::string_view::npos) {
      auto parameter = item.substr(semicolon + 1);
      while (!parameter.empty() && parameter.front() == ' ') parameter.remove_prefix(1);
      if (parameter.starts_with("q=") || parameter.starts_with("Q=")) {
        const auto q = parameter.substr(2);
        refused = !q.empty() && q.find_first_not_of("0. ") == std::string_view::npos;
      }
    }
    if (core::iequals(coding, "gzip") || core::iequals(coding, "x-gzip")) gzip_named = !refused;
    if (coding == "*") any = !refused;
  }
  return gzip_named.value_or(any);
}

}  // namespace graphfake::http
