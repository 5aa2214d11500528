#include "http/request_body.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace graphfake::http {
namespace {

Request with_headers(HeaderList headers, int minor_version = 1) {
  Request request;
  request.headers = std::move(headers);
  request.minor_version = minor_version;
  return request;
}

int framing_problem(const Request& request, std::size_t max = 1000) {
  const auto framing = body_framing(request, max);
  const auto* problem = std::get_if<RequestProblem>(&framing);
  return problem ? problem->status : 0;
}

std::string gzipped(std::string_view text) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(BodyFraming, NoLengthAndNoTransferEncodingMeansNoBody) {
  const auto framing = body_framing(with_headers({}), 1000);
  EXPECT_EQ(std::get<BodyFraming>(framing).kind, BodyFraming::Kind::none);
}

TEST(BodyFraming, ContentLengthGivesTheLength) {
  const auto framing = body_framing(with_headers({{"Content-Length", "12"}}), 1000);
  EXPECT_EQ(std::get<BodyFraming>(framing).length, 12u);
}

TEST(BodyFraming, ContentLengthOverTheLimitIs413BeforeReading) {
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "1001"}})), 413);
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "99999999999999999999999"}})), 400);
}

TEST(BodyFraming, ContentLengthThatIsNotOneNumberIs400) {
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "1x"}})), 400);
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "-1"}})), 400);
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "1"}, {"content-length", "2"}})), 400);
  EXPECT_EQ(framing_problem(with_headers({{"Content-Length", "2"}, {"content-length", "2"}})), 0);
}

TEST(BodyFraming, TransferEncodingWithContentLengthIs400) {
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})), 400);
}

TEST(BodyFraming, TransferCodingsOtherThanChunkedAre501) {
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "gzip, chunked"}})), 501);
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "Chunked"}})), 0);
}

TEST(BodyFraming, ChunkedGivenTwiceIs400) {
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "chunked, chunked"}})), 400);
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})), 400);
}

TEST(BodyFraming, ChunkedInHttp10Is400) {
  EXPECT_EQ(framing_problem(with_headers({{"Transfer-Encoding", "chunked"}}, 0)), 400);
}

TEST(ChunkedDecoder, DecodesChunksWithExtensionsAndTrailers) {
  ChunkedDecoder decoder(1000);
  std::string body;
  const std::string wire = "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT";
  const auto used = decoder.feed(wire, body);
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(body, "Wikipedia in\r\n\r\nchunks.");
  EXPECT_EQ(wire.substr(used), "NEXT");
}

TEST(ChunkedDecoder, DecodesBytesFedOneAtATime) {
  ChunkedDecoder decoder(1000);
  std::string body;
  for (const char c : std::string("3\r\nabc\r\n0\r\n\r\n")) {
    ASSERT_FALSE(decoder.done());
    EXPECT_EQ(decoder.feed(std::string_view(&c, 1), body), 1u);
  }
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(body, "abc");
}

TEST(ChunkedDecoder, DataPastTheLimitIs413) {
  ChunkedDecoder decoder(10);
  std::string body;
  decoder.feed("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", body);
  ASSERT_TRUE(decoder.problem());
  EXPECT_EQ(decoder.problem()->status, 413);
  EXPECT_LE(body.size(), 10u);
}

TEST(ChunkedDecoder, HugeChunkSizeIs413) {
  ChunkedDecoder decoder(10);
  std::string body;
  decoder.feed("ffffffffffffffffffffffff\r\n", body);
  ASSERT_TRUE(decoder.problem());
  EXPECT_EQ(decoder.problem()->status, 413);
}

TEST(ChunkedDecoder, BrokenFramingIs400) {
  for (const std::string& wire : {std::string("zz\r\n"), std::string("3\r\nabcdef\r\n"), std::string(2000, '1')}) {
    ChunkedDecoder decoder(100000);
    std::string body;
    decoder.feed(wire, body);
    ASSERT_TRUE(decoder.problem()) << wire;
    EXPECT_EQ(decoder.problem()->status, 400);
  }
}

TEST(DecodeContent, GzipBodyIsInflated) {
  std::string body = gzipped(R"({"invoiceId":"G1"})");
  EXPECT_FALSE(decode_content(with_headers({{"Content-Encoding", "gzip"}}), body, 1000));
  EXPECT_EQ(body, R"({"invoiceId":"G1"})");
}

TEST(DecodeContent, InflatingPastTheLimitIs413) {
  std::string body = gzipped(std::string(1'000'000, ' '));
  const auto problem = decode_content(with_headers({{"Content-Encoding", "gzip"}}), body, 64 * 1024);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->status, 413);
}

TEST(DecodeContent, BytesThatDoNotInflateAre400) {
  std::string body = "not gzip at all";
  const auto problem = decode_content(with_headers({{"Content-Encoding", "gzip"}}), body, 1000);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->status, 400);
}

TEST(DecodeContent, TruncatedGzipIs400) {
  std::string body = gzipped(std::string(10'000, 'x'));
  body.resize(body.size() / 2);
  const auto problem = decode_content(with_headers({{"Content-Encoding", "gzip"}}), body, 100'000);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->status, 400);
}

TEST(DecodeContent, UnknownCodingIs415) {
  std::string body = "x";
  const auto problem = decode_content(with_headers({{"Content-Encoding", "br"}}), body, 1000);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->status, 415);
}

TEST(ContentCodingProblem, OnlyUnknownCodingsAreAProblem) {
  EXPECT_FALSE(content_coding_problem(with_headers({{"Content-Encoding", "gzip, deflate"}})));
  EXPECT_EQ(content_coding_problem(with_headers({{"Content-Encoding", "gzip, zstd"}}))->status, 415);
}

TEST(DecodeContent, IdentityLeavesTheBodyAlone) {
  std::string body = "x";
  EXPECT_FALSE(decode_content(with_headers({{"Content-Encoding", "identity"}}), body, 1000));
  EXPECT_EQ(body, "x");
}

}  // namespace
}  // namespace graphfake::http
