// What every Graph response carries: ids (observed in real Graph responses),
// the error envelope and auth (Graph docs, error responses and Resolve
// Microsoft Graph authorization errors; see docs/sources.md).
#include <regex>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

const std::regex kGuidPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

class GraphConventions : public FakeTest {
 protected:
  httplib::Result export_with_token(const std::string& token) {
    return client_->Post(kBilledExportPath, {{"Authorization", "Bearer " + token}}, R"({"invoiceId":"G1"})",
                         "application/json");
  }

  static void expect_envelope(const httplib::Result& result, int status, const std::string& code) {
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, status);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    const auto body = Json::parse(result->body);
    ASSERT_EQ(body.size(), 1u) << result->body;
    const auto& error = body.at("error");
    EXPECT_EQ(error.at("code"), code);
    EXPECT_TRUE(error.at("message").is_string());
    const auto& inner = error.at("innerError");
    EXPECT_TRUE(std::regex_match(inner.at("date").get<std::string>(),
                                 std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})")));
    EXPECT_EQ(inner.at("request-id"), result->get_header_value("request-id"));
    EXPECT_EQ(inner.at("client-request-id"), result->get_header_value("client-request-id"));
  }
};

TEST_F(GraphConventions, EveryResponse_CarriesAGuidRequestId) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(result);
  EXPECT_TRUE(std::regex_match(result->get_header_value("request-id"), kGuidPattern));
}

TEST_F(GraphConventions, ClientRequestId_IsEchoed) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1"})",
                          {{"client-request-id", "9d3a3c8b-0f3e-4a4b-9d7e-6c1f1f0d2a11"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("client-request-id"), "9d3a3c8b-0f3e-4a4b-9d7e-6c1f1f0d2a11");
}

TEST_F(GraphConventions, WithoutClientRequestId_ItEqualsRequestId) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("client-request-id"), result->get_header_value("request-id"));
}

TEST_F(GraphConventions, RequestIds_DifferPerRequest) {
  EXPECT_NE(post_json(kBilledExportPath, R"({"invoiceId":"G1"})")->get_header_value("request-id"),
            post_json(kBilledExportPath, R"({"invoiceId":"G1"})")->get_header_value("request-id"));
}

TEST_F(GraphConventions, ErrorEnvelope_HasCodeMessageAndInnerError) {
  expect_envelope(post_json(kBilledExportPath, "{}", {{"client-request-id", "abc"}}), 400, "BadRequest");
}

TEST_F(GraphConventions, UnknownPathUnderAVersion_Returns404NamingTheSegment) {
  auto result = get("/v1.0/reports/partners/billing/invoices");
  expect_envelope(result, 404, "ResourceNotFound");
  EXPECT_NE(result->body.find("'invoices'"), std::string::npos) << result->body;
}

TEST_F(GraphConventions, UnknownPathOutsideGraph_Returns404Envelope) {
  expect_envelope(get("/v2.0/me"), 404, "ResourceNotFound");
}

TEST_F(GraphConventions, MissingToken_Returns401WithBearerChallengeWithoutClaims) {
  auto result = client_->Post(kBilledExportPath, R"({"invoiceId":"G1"})", "application/json");
  expect_envelope(result, 401, "InvalidAuthenticationToken");
  const auto challenge = result->get_header_value("WWW-Authenticate");
  EXPECT_EQ(challenge.rfind("Bearer", 0), 0u) << challenge;
  EXPECT_EQ(challenge.find("claims="), std::string::npos) << challenge;
}

TEST_F(GraphConventions, MissingToken_IsCheckedOnPolls) {
  expect_envelope(get_unauthenticated("/v1.0/reports/partners/billing/operations/6fe687d7-1e0f-4bd6-9091-4672691f64bc"),
                  401, "InvalidAuthenticationToken");
}

TEST_F(GraphConventions, GarbageToken_Returns401) {
  expect_envelope(export_with_token("not-a-token"), 401, "InvalidAuthenticationToken");
}

TEST_F(GraphConventions, JwtWithApplicationRole_IsAccepted) {
  EXPECT_EQ(export_with_token(make_token({.roles = {"PartnerBilling.Read.All"}}))->status, 202);
}

TEST_F(GraphConventions, JwtWithDelegatedScope_IsAccepted) {
  EXPECT_EQ(export_with_token(make_token({.roles = {}, .scp = "User.Read PartnerBilling.Read.All"}))->status, 202);
}

TEST_F(GraphConventions, JwtWithoutThePermission_Returns403) {
  auto result = export_with_token(make_token({.roles = {"User.Read.All"}}));
  expect_envelope(result, 403, "Forbidden");
  EXPECT_NE(result->body.find("PartnerBilling.Read.All"), std::string::npos);
}

TEST_F(GraphConventions, JwtExpiredOnTheFakesClock_Returns401) {
  const auto token = make_token({.expires_at = clock_->now() + 1h});
  EXPECT_EQ(export_with_token(token)->status, 202);
  clock_->advance(1h);
  expect_envelope(export_with_token(token), 401, "InvalidAuthenticationToken");
}

TEST_F(GraphConventions, JwtForAnotherAudience_Returns401) {
  expect_envelope(export_with_token(make_token({.audience = "https://management.azure.com"})), 401,
                  "InvalidAuthenticationToken");
}

// Started with --token: those tokens and no others.
class GraphConventionsWithTokens : public GraphConventions {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.accepted_tokens = {"opaque-ci-token"};
    return options;
  }
};

TEST_F(GraphConventionsWithTokens, ConfiguredOpaqueToken_IsAccepted) {
  EXPECT_EQ(export_with_token("opaque-ci-token")->status, 202);
}

TEST_F(GraphConventionsWithTokens, UnsignedJwtWithTheRole_Returns401) {
  expect_envelope(export_with_token(make_token({.roles = {"PartnerBilling.Read.All"}})), 401,
                  "InvalidAuthenticationToken");
}

TEST_F(GraphConventions, Blobs_NeedNoAuthorizationHeader_ButTheManifestRouteDoes) {
  const auto manifest = poll_to_completion(start_export())["resourceLocation"];
  const auto url = blob_url(manifest, 0);
  EXPECT_EQ(get_unauthenticated(url)->status, 200);
  EXPECT_EQ(get_unauthenticated("/v1.0/reports/partners/billing/manifests/" + manifest["id"].get<std::string>())->status,
            401);
}

}  // namespace
}  // namespace graphfake::testing
