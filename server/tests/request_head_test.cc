#include "http/request_head.h"

#include <gtest/gtest.h>

namespace graphfake::http {
namespace {

ParsedHead parsed(std::string_view head, const HeadLimits& limits = {}) { return parse_request_head(head, limits); }

int problem_status(std::string_view head, const HeadLimits& limits = {}) {
  const auto result = parsed(head, limits);
  return result.problem ? result.problem->status : 0;
}

TEST(RequestHead, ReadsMethodPathQueryAndHeadersInOrder) {
  const auto result =
      parsed("GET /v1.0/a%20b?x=1&y=two+words HTTP/1.1\r\nHost: h\r\nX-One:  v1 \r\nx-one: v2\r\n\r\n");
  ASSERT_FALSE(result.problem);
  const auto& request = result.request;
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/v1.0/a%20b?x=1&y=two+words");
  EXPECT_EQ(request.path, "/v1.0/a b");
  EXPECT_EQ(request.query, "x=1&y=two+words");
  EXPECT_EQ(request.params.find("y")->second, "two words");
  ASSERT_EQ(request.headers.size(), 3u);
  EXPECT_EQ(request.headers[1], (std::pair<std::string, std::string>{"X-One", "v1"}));
  EXPECT_EQ(request.header("X-ONE"), "v1");
  EXPECT_EQ(request.minor_version, 1);
}

TEST(RequestHead, AcceptsBareLineFeeds) {
  const auto result = parsed("GET / HTTP/1.0\nHost: h\n\n");
  ASSERT_FALSE(result.problem);
  EXPECT_EQ(result.request.minor_version, 0);
  EXPECT_EQ(result.request.header("host"), "h");
}

TEST(RequestHead, SkipsEmptyLinesBeforeTheRequestLine) {
  const auto result = parsed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_FALSE(result.problem);
  EXPECT_EQ(result.request.path, "/");
}

TEST(RequestHead, AbsoluteFormTargetServesItsPath) {
  const auto result = parsed("GET http://example.test:8080/v1.0/x?q=1 HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_FALSE(result.problem);
  EXPECT_EQ(result.request.path, "/v1.0/x");
  EXPECT_EQ(result.request.query, "q=1");
}

TEST(RequestHead, InvalidPercentEscapesStayAsSent) {
  EXPECT_EQ(parsed("GET /a%zz%4 HTTP/1.1\r\nHost: h\r\n\r\n").request.path, "/a%zz%4");
}

TEST(RequestHead, QueryKeyWithoutValueHasAnEmptyValue) {
  const auto result = parsed("GET /?flag&&=x HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_FALSE(result.problem);
  EXPECT_EQ(result.request.params.count("flag"), 1u);
  EXPECT_EQ(result.request.params.find("flag")->second, "");
}

TEST(RequestHead, GarbledRequestLineIs400) {
  EXPECT_EQ(problem_status("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET /\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET / HTTP/x\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET relative HTTP/1.1\r\nHost: h\r\n\r\n"), 400);
}

TEST(RequestHead, OtherHttpVersionsAre505) { EXPECT_EQ(problem_status("GET / HTTP/2.0\r\n\r\n"), 505); }

TEST(RequestHead, TargetOverTheLimitIs414) {
  const HeadLimits limits{.max_target_bytes = 16};
  EXPECT_EQ(problem_status("GET /0123456789abcde HTTP/1.1\r\nHost: h\r\n\r\n", limits), 0);
  EXPECT_EQ(problem_status("GET /0123456789abcdef HTTP/1.1\r\nHost: h\r\n\r\n", limits), 414);
}

TEST(RequestHead, MoreHeaderFieldsThanTheLimitIs431) {
  const HeadLimits limits{.max_header_fields = 3};
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", limits), 0);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), 431);
}

TEST(RequestHead, HeadOverTheByteLimitIs431) {
  const HeadLimits limits{.max_head_bytes = 40};
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nLong: " + std::string(40, 'x') + "\r\n\r\n", limits), 431);
}

TEST(RequestHead, FoldedHeaderIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n continued\r\n\r\n"), 400);
}

TEST(RequestHead, HeaderWithoutColonIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n"), 400);
}

TEST(RequestHead, SpaceBeforeTheColonIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nName : v\r\n\r\n"), 400);
}

TEST(RequestHead, Http11WithoutHostIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET / HTTP/1.0\r\n\r\n"), 0);
}

TEST(RequestHead, TwoHostsAre400) { EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400); }

TEST(RequestHead, HostThatIsNotAHostAndPortIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"), 0);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: fake.example:443\r\n\r\n"), 0);
}

TEST(RequestHead, HostThatAUrlCouldNotCarryIs400) {
  for (const std::string host : {"[", ":", "[::1", "a:b:c", "x:-1", "x:+1", "[v1.x]", "[]", "x:",
                                 "[::1]:99999999999999999999", "x:65536", "[::1]x"}) {
    EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), 400) << host;
  }
}

TEST(RequestHead, HostNameLongerThanADnsNameIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: " + std::string(253, 'a') + ":65535\r\n\r\n"), 0);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: " + std::string(254, 'a') + "\r\n\r\n"), 400);
}

TEST(RequestHead, TargetOverTheLimitKeepsAPathForRouting) {
  const auto result = parsed("GET /devstoreaccount1/" + std::string(100, 'x') + " HTTP/1.1\r\nHost: h\r\n\r\n",
                             HeadLimits{.max_target_bytes = 40});
  ASSERT_TRUE(result.problem);
  EXPECT_EQ(result.problem->status, 414);
  EXPECT_TRUE(result.request.path.starts_with("/devstoreaccount1/xxx")) << result.request.path;
}

TEST(RequestHead, ControlCharacterInAValueIs400) {
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nA: x\x01y\r\n\r\n"), 400);
  EXPECT_EQ(problem_status("GET / HTTP/1.1\r\nHost: h\r\nA: x\ty\r\n\r\n"), 0);
}

TEST(RequestHead, NulByteAnywhereIs400) {
  EXPECT_EQ(problem_status(std::string("GET / HTTP/1.1\r\nHost: h\r\nA: ") + '\0' + "\r\n\r\n"), 400);
}

TEST(RequestHead, AProblemKeepsWhatWasReadForRouting) {
  const auto result = parsed("POST /devstoreaccount1/c/b HTTP/1.1\r\nHost: h\r\nA: 1\r\n continued\r\n\r\n");
  ASSERT_TRUE(result.problem);
  EXPECT_EQ(result.request.method, "POST");
  EXPECT_EQ(result.request.path, "/devstoreaccount1/c/b");
}

TEST(HeadScanner, FindsTheEndOnceTheEmptyLineArrives) {
  HeadScanner scanner;
  std::string buffered = "GET / HTTP/1.1\r\nHost: h\r\n";
  EXPECT_FALSE(scanner.scan(buffered));
  buffered += "\r\nGET /next";
  EXPECT_EQ(scanner.scan(buffered), buffered.find("GET /next"));
}

TEST(HeadScanner, LeadingEmptyLinesDoNotEndAHead) {
  HeadScanner scanner;
  EXPECT_FALSE(scanner.scan("\r\n\r\n"));
  EXPECT_EQ(scanner.scan("\r\n\r\nGET / HTTP/1.1\n\n"), std::string_view("\r\n\r\nGET / HTTP/1.1\n\n").size());
}

TEST(HeadScanner, UnfinishedLongRequestLineIs414AndLongHeadIs431) {
  const HeadLimits limits{.max_target_bytes = 100, .max_head_bytes = 1000};
  HeadScanner scanner;
  const std::string line = "GET /" + std::string(300, 'a');
  EXPECT_FALSE(scanner.scan(line));
  EXPECT_EQ(scanner.too_long(line, limits)->status, 414);

  HeadScanner fields;
  const std::string head = "GET / HTTP/1.1\r\nHost: h\r\n" + std::string(2000, 'h');
  EXPECT_FALSE(fields.scan(head));
  EXPECT_EQ(fields.too_long(head, limits)->status, 431);
}

TEST(PercentDecode, PlusIsASpaceOnlyInQueries) {
  EXPECT_EQ(percent_decode("a+b%2B", true), "a b+");
  EXPECT_EQ(percent_decode("a+b%2B", false), "a+b+");
}

}  // namespace
}  // namespace graphfake::http
