// Answers made outside read_blob for a blob path — a handler that threw, a
// request that could not be read, a namespace that does not exist — are
// Azure's XML error, as every answer on a blob path is; Graph paths keep
// Graph's envelope.
#include <gtest/gtest.h>

#include "handlers/handlers.h"
#include "unit_test_values.h"

namespace graphfake::handlers {
namespace {

constexpr std::string_view kRepliesBlobPath = "/devstoreaccount1/billed/v1/part-00005-x.c000.json.gz";
constexpr std::string_view kRepliesGraphPath = "/v1.0/reports/partners/billing/operations/x";

class BlobPathReplies : public ::testing::Test {
 protected:
  Call call_on(std::string_view path) const { return Call{"GET", path, path, headers_, parameters_, ""}; }

  static void expect_azure_xml(const Reply& reply, int status, const std::string& code) {
    EXPECT_EQ(reply.status, status);
    EXPECT_EQ(reply.header("x-ms-error-code"), code);
    EXPECT_EQ(reply.header("x-ms-request-id"), "request-1");
    EXPECT_EQ(reply.header("Content-Type"), "application/xml");
    EXPECT_NE(reply.body.find("<Error><Code>" + code + "</Code><Message>"), std::string::npos) << reply.body;
  }

  const Headers headers_{};
  const std::multimap<std::string, std::string> parameters_{};
  const Context context_{unit_test::t0, "http://127.0.0.1:8080", "", "request-1", "request-1"};
};

TEST_F(BlobPathReplies, AHandlerThatThrewOnABlobPathIs500InternalErrorInAzureXml) {
  expect_azure_xml(answer_failure(call_on(kRepliesBlobPath), context_, "boom"), 500, "InternalError");
}

TEST_F(BlobPathReplies, AHandlerThatThrewOnAGraphPathIs500InGraphsEnvelope) {
  const auto reply = answer_failure(call_on(kRepliesGraphPath), context_, "boom");
  EXPECT_EQ(reply.status, 500);
  EXPECT_NE(reply.body.find("\"code\":\"InternalServerError\""), std::string::npos) << reply.body;
}

TEST_F(BlobPathReplies, AnUnreadableRequestForABlobInAMissingNamespaceIsAzureXml) {
  const std::string sent = "/_ns/nowhere" + std::string(kRepliesBlobPath);
  expect_azure_xml(answer_unreadable(call_on(sent), context_, kRepliesBlobPath, 431, "too many fields"), 431,
                   "InvalidHeaderValue");
}

TEST_F(BlobPathReplies, AMissingNamespaceAskedForABlobIs404ResourceNotFoundInAzureXml) {
  const std::string sent = "/_ns/nowhere" + std::string(kRepliesBlobPath);
  expect_azure_xml(answer_unknown_namespace(call_on(sent), context_, "nowhere", kRepliesBlobPath), 404,
                   "ResourceNotFound");
}

TEST_F(BlobPathReplies, AMissingNamespaceAskedForAGraphPathIs404InGraphsEnvelope) {
  const auto reply = answer_unknown_namespace(call_on(kRepliesGraphPath), context_, "nowhere", kRepliesGraphPath);
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.body.find("\"code\":\"ResourceNotFound\""), std::string::npos) << reply.body;
}

}  // namespace
}  // namespace graphfake::handlers
