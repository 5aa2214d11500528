// Fuzzes the HTTP/1.1 connection reader: the input is everything a client
// sends on one connection (pipelined requests, bodies, garbage), served
// whole by http::serve_connection with a handler that echoes what it read.
// The first byte says how the bytes arrive: its low 7 bits are the most one
// read returns (0: all at once), its high bit whether the client then
// stalls (a timeout) rather than closes.
//
// The limits are small, so that inputs of a few KiB reach every one of
// them. How the bytes are split into reads must not change the requests
// read: the same bytes arriving all at once must give the same requests,
// up to the first that one of the two refuses (a limit can trip on a
// partial head that would have passed whole).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/connection.h"

namespace {

namespace http = graphfake::http;

class ScriptedTransport final : public http::Transport {
 public:
  ScriptedTransport(std::string_view sent, std::size_t most_per_read, Read end)
      : unread_(sent), most_per_read_(most_per_read), end_(end) {}

  ReadResult read_some(char* into, std::size_t size, http::Deadline) override {
    if (unread_.empty()) return {end_};
    const auto n = std::min({size, most_per_read_, unread_.size()});
    std::copy_n(unread_.data(), n, into);
    unread_.remove_prefix(n);
    return {Read::data, n};
  }
  bool write_all(std::string_view, http::Deadline) override { return true; }
  void close_write() override {}
  void abort() override {}

 private:
  std::string_view unread_;
  std::size_t most_per_read_;
  Read end_;
};

// Echoes each request, and keeps what it was asked.
class EchoHandler final : public http::RequestHandler {
 public:
  http::Response answer(const http::Request& request) override {
    auto seen = request.method + " " + request.target + "\n";
    for (const auto& [name, value] : request.headers) seen += name + ": " + value + "\n";
    seen += "\n" + request.body;
    http::Response response;
    response.set_content(seen, "text/plain");
    answered.push_back(std::move(seen));
    return response;
  }
  http::Response answer_problem(const http::Request&, const http::RequestProblem& problem) override {
    refused = true;
    http::Response response;
    response.status = problem.status;
    response.set_content(problem.reason, "text/plain");
    return response;
  }

  std::vector<std::string> answered;
  bool refused = false;
};

EchoHandler serve(std::string_view sent, std::size_t most_per_read, http::Transport::Read end) {
  http::ConnectionLimits limits;
  limits.head = {.max_target_bytes = 64, .max_header_fields = 8, .max_head_bytes = 512};
  limits.max_body_bytes = 1024;
  ScriptedTransport transport(sent, most_per_read, end);
  EchoHandler handler;
  const std::atomic<bool> stopping{false};
  http::serve_connection(transport, handler, limits, http::ConnectionInfo{"127.0.0.1", 80}, stopping);
  return handler;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t most_per_read = data[0] & 0x7f;
  const auto end = (data[0] & 0x80) != 0 ? http::Transport::Read::timed_out : http::Transport::Read::closed;
  const std::string_view sent(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto in_pieces = serve(sent, most_per_read == 0 ? sent.size() + 1 : most_per_read, end);
  if (most_per_read == 0) return 0;
  const auto at_once = serve(sent, sent.size() + 1, end);
  const auto both = std::min(in_pieces.answered.size(), at_once.answered.size());
  const bool same_requests = std::equal(in_pieces.answered.begin(), in_pieces.answered.begin() + both,
                                        at_once.answered.begin());
  const bool same_count = in_pieces.refused || at_once.refused || in_pieces.answered.size() == at_once.answered.size();
  if (!same_requests || !same_count) std::abort();
  return 0;
}
