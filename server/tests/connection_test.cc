#include "http/connection.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <deque>

namespace graphfake::http {
namespace {

// A client scripted in advance: what it sends, in pieces, then how it ends.
class ScriptedTransport final : public Transport {
 public:
  ScriptedTransport(std::deque<std::string> pieces, Read end = Read::closed) : pieces_(std::move(pieces)), end_(end) {}

  ReadResult read_some(char* into, std::size_t size, Deadline) override {
    if (pieces_.empty()) return {end_};
    auto& piece = pieces_.front();
    const auto n = std::min(size, piece.size());
    std::copy_n(piece.data(), n, into);
    piece.erase(0, n);
    if (piece.empty()) pieces_.pop_front();
    return {Read::data, n};
  }
  bool write_all(std::string_view bytes, Deadline) override {
    written += bytes;
    return true;
  }
  void close_write() override { write_closed = true; }
  void abort() override { aborted = true; }

  std::string written;
  bool write_closed = false;
  bool aborted = false;

 private:
  std::deque<std::string> pieces_;
  Read end_;
};

// Answers each request with its path and body; problems with their status.
class EchoHandler final : public RequestHandler {
 public:
  Response answer(const Request& request) override {
    paths.push_back(request.path);
    if (next) return *std::exchange(next, std::nullopt);
    Response response;
    response.set_content(request.path + "|" + request.body, "text/plain");
    return response;
  }
  Response answer_problem(const Request& partial, const RequestProblem& problem) override {
    problems.push_back(problem);
    problem_paths.push_back(partial.path);
    Response response;
    response.status = problem.status;
    response.set_content(problem.reason, "text/plain");
    return response;
  }

  std::vector<std::string> paths;
  std::vector<RequestProblem> problems;
  std::vector<std::string> problem_paths;
  std::optional<Response> next;  // the answer to the next request, when set
};

struct Served {
  std::string written;
  EchoHandler handler;
  bool write_closed = false;
  bool aborted = false;
};

std::unique_ptr<Served> serve(std::deque<std::string> pieces, const ConnectionLimits& limits = {},
                              Transport::Read end = Transport::Read::closed,
                              std::optional<Response> answer = std::nullopt, bool stopping_already = false) {
  auto served = std::make_unique<Served>();
  served->handler.next = std::move(answer);
  ScriptedTransport transport(std::move(pieces), end);
  const std::atomic<bool> stopping{stopping_already};
  serve_connection(transport, served->handler, limits, ConnectionInfo{"127.0.0.1", 80}, stopping);
  served->written = transport.written;
  served->write_closed = transport.write_closed;
  served->aborted = transport.aborted;
  return served;
}

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string gunzipped(std::string_view compressed) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

TEST(Connection, PipelinedRequestsAreAnsweredInOrder) {
  std::string pipeline;
  for (int i = 0; i < 10; ++i) pipeline += "GET /r" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
  const auto served = serve({pipeline});
  ASSERT_EQ(served->handler.paths.size(), 10u);
  EXPECT_EQ(served->handler.paths.back(), "/r9");
  EXPECT_EQ(count(served->written, "HTTP/1.1 200 OK"), 10u);
  EXPECT_LT(served->written.find("/r3|"), served->written.find("/r4|"));
}

TEST(Connection, RequestSplitAcrossManyReadsIsServed) {
  std::deque<std::string> pieces;
  for (const char c : std::string("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")) pieces.emplace_back(1, c);
  const auto served = serve(pieces);
  EXPECT_NE(served->written.find("/p|abc"), std::string::npos);
}

TEST(Connection, HeadThatStopsArrivingIs408AndCloses) {
  const auto served = serve({"GET /slow HTTP/1.1\r\nHost:"}, {}, Transport::Read::timed_out);
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 408);
  EXPECT_EQ(served->handler.problem_paths[0], "/slow");
  EXPECT_NE(served->written.find("Connection: close"), std::string::npos);
}

TEST(Connection, IdleConnectionThatSendsNothingClosesQuietly) {
  const auto served = serve({}, {}, Transport::Read::timed_out);
  EXPECT_TRUE(served->written.empty());
  EXPECT_TRUE(served->handler.problems.empty());
}

TEST(Connection, BodyThatStopsArrivingIs408) {
  const auto served = serve({"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"}, {}, Transport::Read::timed_out);
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 408);
}

TEST(Connection, ChunkedBodyIsDecodedBeforeTheHandlerSeesIt) {
  const auto served = serve({"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"});
  EXPECT_NE(served->written.find("/c|abcde"), std::string::npos);
}

TEST(Connection, ChunkFramingLargerThanTheBodyMayBeIs413) {
  ConnectionLimits limits;
  limits.max_body_bytes = 1000;
  std::deque<std::string> pieces{"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 200; ++i) pieces.push_back("1;" + std::string(900, 'e') + "\r\nx\r\n");
  const auto served = serve(pieces, limits);
  EXPECT_TRUE(served->handler.paths.empty());
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 413);
}

TEST(Connection, OnceStoppingTheRequestInHandIsAnsweredAndClosesTheConnection) {
  const auto served = serve({"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"}, {},
                            Transport::Read::closed, std::nullopt, true);
  EXPECT_EQ(served->handler.paths, std::vector<std::string>{"/a"});
  EXPECT_NE(served->written.find("Connection: close"), std::string::npos);
}

TEST(Connection, Http10GetsNoContinue) {
  const auto served = serve({"POST /e HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n", "ok"});
  EXPECT_TRUE(served->written.starts_with("HTTP/1.1 200 OK")) << served->written;
}

TEST(Connection, AnyExpectationOtherThanContinueIs417) {
  const auto served = serve(
      {"POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\nExpect: foo\r\n\r\nok"});
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 417);
}

TEST(Connection, ChunkedBodyOverTheLimitIs413AndNoRequestIsServed) {
  ConnectionLimits limits;
  limits.max_body_bytes = 1000;
  std::string wire = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) wire += "64\r\n" + std::string(100, 'x') + "\r\n";
  const auto served = serve({wire, "0\r\n\r\n"}, limits);
  EXPECT_TRUE(served->handler.paths.empty());
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 413);
}

TEST(Connection, TooManyHeaderFieldsIs431) {
  std::string wire = "GET /h HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 101; ++i) wire += "X-" + std::to_string(i) + ": v\r\n";
  const auto served = serve({wire + "\r\n"});
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 431);
}

TEST(Connection, EndlessHeadIs431NamingItsPath) {
  std::deque<std::string> pieces{"GET /h HTTP/1.1\r\nHost: h\r\n"};
  for (int i = 0; i < 1000; ++i) pieces.push_back("X-Filler: " + std::string(1000, 'f') + "\r\n");
  const auto served = serve(pieces);
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 431);
  EXPECT_EQ(served->handler.problem_paths[0], "/h");
}

TEST(Connection, ConnectionCloseRequestIsAnsweredThenClosed) {
  const auto served = serve({"GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"});
  EXPECT_EQ(served->handler.paths, std::vector<std::string>{"/a"});
  EXPECT_NE(served->written.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(served->write_closed);
}

TEST(Connection, Http10ClosesUnlessAskedToKeepAlive) {
  EXPECT_EQ(serve({"GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n"})->handler.paths.size(), 1u);
  const auto kept = serve({"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n"});
  EXPECT_EQ(kept->handler.paths.size(), 2u);
  EXPECT_NE(kept->written.find("Connection: keep-alive"), std::string::npos);
}

TEST(Connection, HeadRequestGetsTheLengthButNoBody) {
  const auto served = serve({"HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n"});
  EXPECT_NE(served->written.find("Content-Length: 3\r\n"), std::string::npos);
  EXPECT_TRUE(served->written.ends_with("\r\n\r\n"));
}

TEST(Connection, ExpectContinueGetsA100BeforeTheBodyIsRead) {
  const auto served = serve({"POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n", "ok"});
  EXPECT_TRUE(served->written.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")) << served->written;
}

TEST(Connection, ExpectationOtherThanContinueIs417) {
  const auto served = serve({"POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 200-ok\r\n\r\nok"});
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 417);
}

TEST(Connection, UnknownContentEncodingIs415BeforeAnyContinue) {
  const auto served = serve(
      {"POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Encoding: zstd\r\nExpect: 100-continue\r\n\r\n"});
  EXPECT_TRUE(served->written.starts_with("HTTP/1.1 415 ")) << served->written;
}

TEST(Connection, DroppedAnswerWritesNothingAndAborts) {
  Response drop;
  drop.drop_connection = true;
  const auto served = serve({"GET /d HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n"}, {}, Transport::Read::closed, drop);
  EXPECT_TRUE(served->written.empty());
  EXPECT_TRUE(served->aborted);
  EXPECT_EQ(served->handler.paths.size(), 1u);
}

TEST(Connection, StreamEndingBeforeItsLengthAbortsTheConnection) {
  Response cut;
  cut.stream = BodySource{100, [sent = false](std::span<char> into) mutable -> std::size_t {
                            if (sent) return 0;
                            sent = true;
                            std::fill_n(into.data(), 10, 'x');
                            return 10;
                          }};
  const auto served = serve({"GET /s HTTP/1.1\r\nHost: h\r\n\r\n"}, {}, Transport::Read::closed, cut);
  EXPECT_NE(served->written.find("Content-Length: 100\r\n"), std::string::npos);
  EXPECT_TRUE(served->written.ends_with("xxxxxxxxxx"));
  EXPECT_TRUE(served->aborted);
}

// A body of unknown length: "abc" then "de", then its end.
Response connection_unknown_length_answer() {
  Response streamed;
  streamed.stream = BodySource{std::nullopt, [parts = std::vector<std::string>{"abc", "de"}, next = std::size_t{0}](
                                                 std::span<char> into) mutable -> std::size_t {
                                 if (next == parts.size()) return 0;
                                 const auto& part = parts[next++];
                                 std::copy(part.begin(), part.end(), into.data());
                                 return part.size();
                               }};
  return streamed;
}

TEST(Connection, StreamOfUnknownLengthIsSentChunkedToHttp11) {
  const auto served =
      serve({"GET /s HTTP/1.1\r\nHost: h\r\n\r\n"}, {}, Transport::Read::closed, connection_unknown_length_answer());
  EXPECT_NE(served->written.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(served->written.find("Content-Length"), std::string::npos);
  EXPECT_TRUE(served->written.ends_with("\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")) << served->written;
  EXPECT_FALSE(served->aborted);
}

TEST(Connection, StreamOfUnknownLengthEndsWithTheConnectionForHttp10) {
  const auto served = serve({"GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"}, {}, Transport::Read::closed,
                            connection_unknown_length_answer());
  EXPECT_EQ(served->written.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(served->written.find("Content-Length"), std::string::npos);
  EXPECT_NE(served->written.find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(served->written.ends_with("\r\n\r\nabcde")) << served->written;
}

TEST(Connection, StreamOfUnknownLengthThatThrowsAbortsWithoutTheLastChunk) {
  Response failing;
  failing.stream = BodySource{std::nullopt, [sent = false](std::span<char> into) mutable -> std::size_t {
                                if (sent) throw std::runtime_error("the blob could not be made");
                                sent = true;
                                std::fill_n(into.data(), 4, 'x');
                                return 4;
                              }};
  const auto served = serve({"GET /s HTTP/1.1\r\nHost: h\r\n\r\n"}, {}, Transport::Read::closed, failing);
  EXPECT_TRUE(served->written.ends_with("4\r\nxxxx\r\n")) << served->written;
  EXPECT_TRUE(served->aborted);
}

TEST(Connection, JsonIsGzippedForClientsThatAcceptIt) {
  Response json;
  json.set_content(R"({"status":"running"})", "application/json");
  const auto served = serve({"GET /j HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip, deflate\r\n\r\n"}, {}, Transport::Read::closed, json);
  ASSERT_NE(served->written.find("Content-Encoding: gzip\r\n"), std::string::npos);
  EXPECT_EQ(gunzipped(served->written.substr(served->written.find("\r\n\r\n") + 4)), R"({"status":"running"})");
}

TEST(Connection, ProblemsAreRoutedByWhatArrived) {
  const auto served = serve({"GET /devstoreaccount1/" + std::string(20'000, 'a')});
  ASSERT_EQ(served->handler.problems.size(), 1u);
  EXPECT_EQ(served->handler.problems[0].status, 414);
  EXPECT_TRUE(served->handler.problem_paths[0].starts_with("/devstoreaccount1/"));
}

TEST(AcceptsGzip, FollowsQualityValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0.0"));
}

TEST(ResponseHead, HeaderValuesCannotBreakTheLine) {
  Response response;
  response.set_header("client-request-id", "a\r\nInjected: yes");
  const auto head = response_head(response, 0, 1, true);
  EXPECT_EQ(head.find("\r\nInjected"), std::string::npos);
}

}  // namespace
}  // namespace graphfake::http
