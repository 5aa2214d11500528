// POST .../reconciliation/billed/export: validation, and 202 + Location.
#include <regex>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

class Export : public FakeTest {};

TEST_F(Export, ValidRequest_Returns202WithEmptyBodyAndNoContentType) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G016907411","attributeSet":"full"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_TRUE(result->body.empty());
  EXPECT_FALSE(result->has_header("Content-Type"));
  EXPECT_EQ(result->get_header_value("Content-Length"), "0");
}

TEST_F(Export, Location_IsAbsoluteOnTheRequestsHost) {
  auto result = client_->Post(kBilledExportPath, auth_headers({{"Host", "graph.contoso.test:8443"}}),
                              R"({"invoiceId":"G1"})", "application/json");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 202);
  EXPECT_EQ(result->get_header_value("Location").rfind("http://graph.contoso.test:8443/v1.0/", 0), 0u)
      << result->get_header_value("Location");
}

TEST_F(Export, AttributeSetIsOptional) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G016907411"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
}

TEST_F(Export, BasicAttributeSetIsAccepted) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G016907411","attributeSet":"basic"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
}

TEST_F(Export, EachExportGetsItsOwnOperation) {
  EXPECT_NE(start_export("G1"), start_export("G1"));
}

// Both API versions × both spellings of the bound action (the docs use the
// short one, Graph's SDKs the namespace-qualified one; see docs/sources.md).
struct RouteCase {
  std::string version;
  std::string action;
  friend void PrintTo(const RouteCase& c, std::ostream* os) { *os << c.version << " " << c.action; }
};

class ExportRoutes : public FakeTest, public ::testing::WithParamInterface<RouteCase> {};

TEST_P(ExportRoutes, Returns202WithLocationOnSameVersion) {
  const auto& [version, action] = GetParam();
  const std::string path = "/" + version + "/reports/partners/billing/reconciliation/billed/" + action;
  auto result = post_json(path, R"({"invoiceId":"G016907411","attributeSet":"full"})");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 202) << result->body;
  const std::regex expected(fake_->base_url() + "/" + std::regex_replace(version, std::regex("\\."), "\\.") +
                            "/reports/partners/billing/operations/"
                            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(result->get_header_value("Location"), expected))
      << result->get_header_value("Location");
}

INSTANTIATE_TEST_SUITE_P(AllForms, ExportRoutes,
                         ::testing::Values(RouteCase{"v1.0", "export"},
                                           RouteCase{"v1.0", "microsoft.graph.partners.billing.export"},
                                           RouteCase{"beta", "export"},
                                           RouteCase{"beta", "microsoft.graph.partners.billing.export"}),
                         [](const auto& info) {
                           return (info.param.version == "beta" ? std::string("Beta") : std::string("V1")) +
                                  (info.param.action == "export" ? "Short" : "Qualified");
                         });

// Every body the action must refuse: the export pages' parameters (Graph
// docs), and graphfake's inference for what the docs leave open.
struct BadBody {
  std::string name;
  std::string body;
  std::string message_part;
  friend void PrintTo(const BadBody& c, std::ostream* os) { *os << c.name; }
};

class ExportValidation : public FakeTest, public ::testing::WithParamInterface<BadBody> {};

TEST_P(ExportValidation, Returns400WithGraphEnvelopeNamingTheProblem) {
  auto result = post_json(kBilledExportPath, GetParam().body);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["error"]["code"], "BadRequest");
  EXPECT_NE(body["error"]["message"].get<std::string>().find(GetParam().message_part), std::string::npos)
      << body["error"]["message"];
  EXPECT_FALSE(result->has_header("Location"));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ExportValidation,
    ::testing::Values(
        BadBody{"MissingInvoiceId", R"({"attributeSet":"full"})", "'invoiceId'"},
        BadBody{"EmptyInvoiceId", R"({"invoiceId":""})", "'invoiceId'"},
        BadBody{"NumericInvoiceId", R"({"invoiceId":42})", "'invoiceId'"},
        BadBody{"NullInvoiceId", R"({"invoiceId":null})", "'invoiceId'"},
        BadBody{"UnknownFutureValueAttributeSet", R"({"invoiceId":"G1","attributeSet":"unknownFutureValue"})",
                "unknownFutureValue"},
        BadBody{"MisspelledAttributeSet", R"({"invoiceId":"G1","attributeSet":"fu"})", "'fu'"},
        BadBody{"PascalCaseAttributeSet", R"({"invoiceId":"G1","attributeSet":"Full"})", "'Full'"},
        BadBody{"NullAttributeSet", R"({"invoiceId":"G1","attributeSet":null})", "'attributeSet'"},
        BadBody{"UnknownProperty", R"({"invoiceId":"G1","currencyCode":"USD"})",
                "The parameter 'currencyCode' in the request payload is not a valid parameter for the "
                "operation 'export'."},
        BadBody{"MalformedJson", R"({"invoiceId":)", "not valid JSON"},
        BadBody{"ArrayBody", R"(["G1"])", "JSON object"},
        BadBody{"StringBody", R"("G1")", "JSON object"},
        BadBody{"EmptyBody", "", "empty"}),
    [](const auto& info) { return info.param.name; });

TEST_F(Export, NonJsonContentType_Returns415) {
  auto result = client_->Post(kBilledExportPath, auth_headers(), R"({"invoiceId":"G1"})", "text/plain");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 415);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "UnsupportedMediaType");
}

TEST_F(Export, JsonContentTypeWithCharset_IsAccepted) {
  auto result = client_->Post(kBilledExportPath, auth_headers(), R"({"invoiceId":"G1"})",
                              "application/json; charset=utf-8");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
}

TEST_F(Export, Get_Returns405AllowingPost) {
  auto result = get(kBilledExportPath);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->get_header_value("Allow"), "POST");
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "MethodNotAllowed");
}

TEST_F(Export, UnbilledExportWithoutBillingPeriod_Returns400WithGraphEnvelope) {
  auto result = post_json("/v1.0/reports/partners/billing/usage/unbilled/export", R"({"currencyCode":"USD"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["error"]["code"], "BadRequest");
  EXPECT_EQ(body["error"]["message"], "The parameter 'billingPeriod' is required for the operation 'export'.");
}

TEST_F(Export, SiblingExportByTheLongActionName_Returns202) {
  auto result = post_json("/beta/reports/partners/billing/usage/billed/microsoft.graph.partners.billing.export",
                          R"({"invoiceId" : "G016907411", "attributeSet" : "full"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_TRUE(result->get_header_value("Location").starts_with(fake_->base_url() + "/beta/reports/partners/billing/operations/"));
}

}  // namespace
}  // namespace graphfake::testing
