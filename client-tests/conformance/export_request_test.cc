// Export request validation and the 202 (§2.3, §2.4, §6.6).
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

httplib::Response post_export(Session& session, const std::string& body) {
  auto result = session.post(billed_export_path(target().version), body);
  if (!result) throw std::runtime_error("no response to the export: " + httplib::to_string(result.error()));
  return *result;
}

TEST(ExportRequest, Export_Returns202WithAbsoluteLocationOnTheRequestOrigin) {
  const auto& run = shared_export("full");
  EXPECT_CONFORMS(check_export_accepted(run.accepted, target().base_url, target().version));
}

TEST(ExportRequest, Export_SendsRequestIdAndEchoesClientRequestId) {
  Session session(target());
  const auto accepted = post_export(session, Json{{"invoiceId", target().invoice_id}}.dump());
  EXPECT_CONFORMS(check_graph_headers(accepted, session.last_client_request_id()));
}

TEST(ExportRequest, Export_WithoutAttributeSet_IsAccepted) {
  Session session(target());
  const auto accepted = post_export(session, Json{{"invoiceId", target().invoice_id}}.dump());
  EXPECT_CONFORMS(check_export_accepted(accepted, target().base_url, target().version));
}

TEST(ExportRequest, Export_WithoutInvoiceId_Returns400WithGraphEnvelope) {
  Session session(target());
  EXPECT_CONFORMS(check_error(post_export(session, R"({"attributeSet":"full"})"), 400));
}

TEST(ExportRequest, Export_WithUnknownAttributeSet_Returns400WithGraphEnvelope) {
  Session session(target());
  const Json body = {{"invoiceId", target().invoice_id}, {"attributeSet", "partial"}};
  EXPECT_CONFORMS(check_error(post_export(session, body.dump()), 400));
}

TEST(ExportRequest, Export_WithBodyThatIsNotJson_Returns400WithGraphEnvelope) {
  Session session(target());
  EXPECT_CONFORMS(check_error(post_export(session, R"({"invoiceId": )"), 400));
}

TEST(ExportRequest, Export_WithoutToken_Returns401WithBearerChallenge) {
  Session session(target());
  auto result =
      session.post_without_token(billed_export_path(target().version), Json{{"invoiceId", target().invoice_id}}.dump());
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_CONFORMS(check_error(*result, 401));
  EXPECT_EQ(result->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u)
      << "WWW-Authenticate: " << result->get_header_value("WWW-Authenticate");
}

TEST(ExportRequest, Export_WithMalformedToken_Returns401WithGraphEnvelope) {
  Session session(target());
  auto result = session.post(billed_export_path(target().version), Json{{"invoiceId", target().invoice_id}}.dump(),
                             {{"Authorization", "Bearer not-a-token"}});
  ASSERT_TRUE(result);
  EXPECT_CONFORMS(check_error(*result, 401));
}

}  // namespace
}  // namespace graphfake::conformance
