// Export request validation and the 202 (Graph docs, the export pages; the
// answers to bad input are graphfake's inference, Q11), for each export kind.
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

// Tests that POST an export of their kind.
class ExportPosting : public ExportKindTest {
 protected:
  // The body of a valid full export of this kind.
  Json valid_body() const { return target().request_for(kind(), "full").body(); }
  std::string valid_body_without(std::string_view parameter) const {
    Json body = valid_body();
    body.erase(std::string(parameter));
    return body.dump();
  }
  std::string path() const { return export_path(kind(), target().version); }
  httplib::Response post(const std::string& body, httplib::Headers extra = {}) {
    auto result = session_.post(path(), body, std::move(extra));
    if (!result) throw std::runtime_error("no response to the export: " + httplib::to_string(result.error()));
    return *result;
  }

  Session session_{target()};
};

// What every export action answers alike.
class ExportRequest : public ExportPosting {};
// The required parameters of the exports of an invoice, and of unbilled data.
class BilledExportRequest : public ExportPosting {};
class UnbilledExportRequest : public ExportPosting {};

TEST_P(ExportRequest, Export_Returns202WithAbsoluteLocationOnTheRequestOrigin) {
  EXPECT_CONFORMS(check_export_accepted(full_export().accepted, target().base_url, target().version));
}

TEST_P(ExportRequest, Export_SendsRequestIdAndEchoesClientRequestId) {
  const auto& run = full_export();
  EXPECT_CONFORMS(check_graph_headers(run.accepted, run.client_request_id));
}

TEST_P(ExportRequest, Export_WithoutAttributeSet_IsAccepted) {
  EXPECT_CONFORMS(check_export_accepted(post(valid_body_without("attributeSet")), target().base_url, target().version));
}

TEST_P(ExportRequest, Export_WithUnknownAttributeSet_Returns400WithGraphEnvelope) {
  Json body = valid_body();
  body["attributeSet"] = "partial";
  EXPECT_CONFORMS(check_error(post(body.dump()), 400));
}

TEST_P(ExportRequest, Export_WithBodyThatIsNotJson_Returns400WithGraphEnvelope) {
  EXPECT_CONFORMS(check_error(post(R"({"attributeSet": )"), 400));
}

TEST_P(ExportRequest, Export_WithoutToken_Returns401WithBearerChallenge) {
  auto result = session_.post_without_token(path(), valid_body().dump());
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_CONFORMS(check_error(*result, 401));
  EXPECT_EQ(result->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u)
      << "WWW-Authenticate: " << result->get_header_value("WWW-Authenticate");
}

TEST_P(ExportRequest, Export_WithMalformedToken_Returns401WithGraphEnvelope) {
  EXPECT_CONFORMS(check_error(post(valid_body().dump(), {{"Authorization", "Bearer not-a-token"}}), 401));
}

TEST_P(BilledExportRequest, BilledExport_WithoutInvoiceId_Returns400WithGraphEnvelope) {
  EXPECT_CONFORMS(check_error(post(valid_body_without("invoiceId")), 400));
}

TEST_P(UnbilledExportRequest, UnbilledExport_WithoutCurrencyCode_Returns400WithGraphEnvelope) {
  EXPECT_CONFORMS(check_error(post(valid_body_without("currencyCode")), 400));
}

TEST_P(UnbilledExportRequest, UnbilledExport_WithoutBillingPeriod_Returns400WithGraphEnvelope) {
  EXPECT_CONFORMS(check_error(post(valid_body_without("billingPeriod")), 400));
}

TEST_P(UnbilledExportRequest, UnbilledExport_WithUnknownBillingPeriod_Returns400WithGraphEnvelope) {
  Json body = valid_body();
  body["billingPeriod"] = "nextYear";
  EXPECT_CONFORMS(check_error(post(body.dump()), 400));
}

INSTANTIATE_TEST_SUITE_P(, ExportRequest, ::testing::ValuesIn(kExportKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, BilledExportRequest, ::testing::ValuesIn(kBilledKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, UnbilledExportRequest, ::testing::ValuesIn(kUnbilledKinds), ReadableTestName());

}  // namespace
}  // namespace graphfake::conformance
