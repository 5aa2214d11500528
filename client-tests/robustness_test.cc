// Inputs a client should never send, answered the way Graph and Azure would:
// with an error in the right format, never a 500, a hang or a crash.

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

class Robustness : public FakeTest {
 protected:
  std::string first_blob_url() {
    const auto manifest = poll_to_completion(start_export())["resourceLocation"];
    return blob_url(manifest, 0);
  }
};

TEST_F(Robustness, InvalidUtf8InTheBody_Returns400WithValidJson) {
  auto result = post_json(kBilledExportPath, "{\"invoiceId\":\"\xff\"");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_TRUE(Json::accept(result->body)) << result->body;
}

TEST_F(Robustness, InvalidUtf8InThePath_Returns404WithValidJson) {
  auto result = get("/v1.0/%FF");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_TRUE(Json::accept(result->body)) << result->body;
}

TEST_F(Robustness, InvalidUtf8InClientRequestId_StillGetsAValidEnvelope) {
  auto result = post_json(kBilledExportPath, "{}", {{"client-request-id", "\xff\xfe"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_TRUE(Json::accept(result->body)) << result->body;
}

TEST_F(Robustness, OverlongInvoiceId_Returns400) {
  auto result = post_json(kBilledExportPath, Json{{"invoiceId", std::string(10'000, 'G')}}.dump());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_NE(result->body.find("longer than"), std::string::npos) << result->body;
}

TEST_F(Robustness, InvoiceIdWithPathCharacters_StillGivesDownloadableBlobs) {
  const auto manifest = poll_to_completion(start_export("G/../1?x=%"))["resourceLocation"];
  const auto url = blob_url(manifest, 0);
  auto result = get_unauthenticated(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(Robustness, UnparsableRangeOnABlob_ServesTheWholeBlob) {
  const auto url = first_blob_url();
  const auto whole = get_unauthenticated(url)->body;
  for (const char* range : {"bytes=abc", "items=0-5", "bytes=5-2", "bytes=0--5"}) {
    SCOPED_TRACE(range);
    auto result = get_unauthenticated(url, {{"Range", range}});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->body, whole);
  }
}

TEST_F(Robustness, MalformedXMsRange_ServesTheWholeBlob) {
  const auto url = first_blob_url();
  auto result = get_unauthenticated(url, {{"x-ms-range", "bytes=0--5"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(Robustness, RangeHeaderOnAGraphRoute_IsIgnored) {
  const auto location = start_export();
  auto result = get(location, {{"Range", "bytes=abc"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Json::parse(result->body)["status"], "notStarted");
}

TEST_F(Robustness, TraceOnAGraphRoute_Returns405) {
  auto result = client_->send([&] {
    httplib::Request request;
    request.method = "TRACE";
    request.path = kBilledExportPath;
    request.headers = auth_headers();
    return request;
  }());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "MethodNotAllowed");
}

TEST_F(Robustness, OverlongUri_Returns414InAGraphEnvelope) {
  auto result = get("/v1.0/" + std::string(10'000, 'a'));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 414);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "RequestUriTooLong");
}

TEST_F(Robustness, OversizedBodyOnAGraphRoute_Returns413EchoingClientRequestId) {
  auto result = post_json(kBilledExportPath, std::string(2 * 1024 * 1024, ' '), {{"client-request-id", "trace-me"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["error"]["code"], "RequestEntityTooLarge");
  EXPECT_EQ(body["error"]["innerError"]["client-request-id"], "trace-me");
}

TEST_F(Robustness, OversizedBodyOnABlobPath_ReturnsAzureXml) {
  auto result = client_->Put("/devstoreaccount1/c/blob.json.gz", std::string(2 * 1024 * 1024, 'x'),
                             "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "RequestBodyTooLarge");
  EXPECT_NE(result->body.find("<Error><Code>RequestBodyTooLarge</Code>"), std::string::npos) << result->body;
}

TEST_F(Robustness, OverlongBlobUri_Returns414InAzureXml) {
  auto result = get_unauthenticated("/devstoreaccount1/c/" + std::string(10'000, 'a'));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 414);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "InvalidUri");
}

TEST_F(Robustness, StorageAccountAndContainer_AnswerAzureXml) {
  for (const char* path : {"/devstoreaccount1", "/devstoreaccount1/", "/devstoreaccount1/billed?restype=container"}) {
    SCOPED_TRACE(path);
    auto result = get_unauthenticated(path);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 404);
    EXPECT_EQ(result->get_header_value("x-ms-error-code"), "ResourceNotFound");
    EXPECT_NE(result->body.find("<Error><Code>ResourceNotFound</Code>"), std::string::npos) << result->body;
  }
}

TEST_F(Robustness, DeeplyNestedJson_Returns400) {
  auto result = post_json(kBilledExportPath, std::string(5'000, '[') + std::string(5'000, ']'));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
}

// The SAS in a manifest is minted when the manifest is served, so a client
// that comes back after the first one expired still gets working URLs.
TEST_F(Robustness, LateFirstPoll_GetsASasThatStillWorks) {
  const auto location = start_export();
  for (int poll = 0; poll < 3; ++poll) get(location);
  clock_->advance(2h);
  const auto manifest = Json::parse(get(location)->body)["resourceLocation"];
  const auto url = blob_url(manifest, 0);
  EXPECT_EQ(get_unauthenticated(url)->status, 200);
}

TEST_F(Robustness, RepollingAfterExpiry_GetsAFreshSas) {
  const auto location = start_export();
  const auto url = first_blob_url();
  clock_->advance(2h);
  EXPECT_EQ(get_unauthenticated(url)->status, 403);
  const auto manifest = poll_to_completion(location)["resourceLocation"];
  const auto fresh = blob_url(manifest, 0);
  EXPECT_EQ(get_unauthenticated(fresh)->status, 200);
}

TEST(Lifecycle, Stop_ClosesIdleKeepAliveConnectionsInsteadOfWaitingForThem) {
  // With an hour-long keep-alive timeout, a stop() that waited for idle
  // connections would hang this test until ctest's timeout fails it.
  Server fake({.keep_alive_timeout = std::chrono::hours(1)});
  httplib::Client client(fake.base_url());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/"));
  fake.stop();
  EXPECT_FALSE(client.Get("/"));
}

TEST(Lifecycle, InvalidOptions_AreRejectedNamingTheOption) {
  try {
    Server fake({.retry_after = std::chrono::seconds(-1)});
    FAIL() << "a negative retry_after was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("retry_after"), std::string::npos) << error.what();
  }
}

TEST(Lifecycle, ExportsWithTooManyBlobs_AreRejectedAtStart) {
  EXPECT_THROW(Server({.rows_per_export = 10'000'000, .rows_per_blob = 1}), std::invalid_argument);
}

}  // namespace
}  // namespace graphfake::testing
