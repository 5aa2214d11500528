#include "handlers/router.h"

#include <gtest/gtest.h>

#include <ostream>

#include <string>

namespace graphfake::handlers {
namespace {

using model::ApiVersion;
using model::ExportKind;

constexpr const char* kBilling = "/reports/partners/billing";

std::string under(const char* version, const std::string& rest) { return std::string("/") + version + kBilling + rest; }

// --- export actions --------------------------------------------------------------

struct ExportCase {
  const char* version_segment;
  ApiVersion version;
  const char* action;
};

void PrintTo(const ExportCase& c, std::ostream* os) { *os << c.version_segment << " " << c.action; }

class ExportActionRoute : public ::testing::TestWithParam<ExportCase> {};

TEST_P(ExportActionRoute, BilledReconciliationIsTheExportAction) {
  const auto& c = GetParam();
  const auto route = match_route(under(c.version_segment, std::string("/reconciliation/billed/") + c.action));
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
  EXPECT_EQ(route.version, c.version);
  EXPECT_EQ(route.export_kind, model::ExportKind::billed_reconciliation);
  EXPECT_EQ(route.allowed_methods, "POST");
}

INSTANTIATE_TEST_SUITE_P(
    Router, ExportActionRoute,
    ::testing::Values(ExportCase{"v1.0", ApiVersion::v1_0, "export"},
                      ExportCase{"v1.0", ApiVersion::v1_0, "microsoft.graph.partners.billing.export"},
                      ExportCase{"beta", ApiVersion::beta, "export"},
                      ExportCase{"beta", ApiVersion::beta, "microsoft.graph.partners.billing.export"}));

TEST(Router, SegmentsMatchCaseInsensitively) {
  const auto route = match_route("/V1.0/Reports/PARTNERS/billing/Reconciliation/BILLED/Export");
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
  EXPECT_EQ(route.version, ApiVersion::v1_0);
}

TEST(Router, VersionSegmentMatchesCaseInsensitively) {
  const auto route = match_route("/BETA/reports/partners/billing/reconciliation/billed/export");
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
  EXPECT_EQ(route.version, ApiVersion::beta);
}

TEST(Router, QualifiedActionNameMatchesCaseInsensitively) {
  const auto route = match_route("/v1.0/reports/partners/billing/reconciliation/billed/Microsoft.Graph.Partners.Billing.Export");
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
}

TEST(Router, TrailingSlashIsTolerated) {
  const auto route = match_route("/v1.0/reports/partners/billing/reconciliation/billed/export/");
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
  EXPECT_EQ(route.version, ApiVersion::v1_0);
}

// --- operations and manifests ------------------------------------------------------

TEST(Router, OperationCarriesItsIdAndAllowsGet) {
  const auto route = match_route(under("v1.0", "/operations/9ab9cb54-d07f-4f52-9ea6-a09d7de52c14"));
  EXPECT_EQ(route.endpoint, RouteKind::operation);
  EXPECT_EQ(route.version, ApiVersion::v1_0);
  EXPECT_EQ(route.id, "9ab9cb54-d07f-4f52-9ea6-a09d7de52c14");
  EXPECT_EQ(route.allowed_methods, "GET");
}

TEST(Router, ManifestCarriesItsIdAndAllowsGet) {
  const auto route = match_route(under("beta", "/manifests/1f4b2c8e-0000-4000-8000-1234567890ab"));
  EXPECT_EQ(route.endpoint, RouteKind::manifest);
  EXPECT_EQ(route.version, ApiVersion::beta);
  EXPECT_EQ(route.id, "1f4b2c8e-0000-4000-8000-1234567890ab");
  EXPECT_EQ(route.allowed_methods, "GET");
}

TEST(Router, IdKeepsItsCase) {
  const auto route = match_route(under("v1.0", "/Operations/9AB9CB54-d07f-4F52-9ea6-A09D7DE52C14"));
  EXPECT_EQ(route.endpoint, RouteKind::operation);
  EXPECT_EQ(route.id, "9AB9CB54-d07f-4F52-9ea6-A09D7DE52C14");
}

TEST(Router, OperationWithTrailingSlashStillCarriesTheId) {
  const auto route = match_route(under("v1.0", "/operations/abc/"));
  EXPECT_EQ(route.endpoint, RouteKind::operation);
  EXPECT_EQ(route.id, "abc");
}

TEST(Router, ManifestsSegmentMatchesCaseInsensitively) {
  const auto route = match_route("/v1.0/REPORTS/partners/Billing/MANIFESTS/m1");
  EXPECT_EQ(route.endpoint, RouteKind::manifest);
  EXPECT_EQ(route.id, "m1");
}

// --- the sibling exports ---------------------------------------------------------------

struct SiblingCase {
  const char* path;
  ExportKind kind;
};

void PrintTo(const SiblingCase& c, std::ostream* os) { *os << c.path; }

class SiblingExportRoute : public ::testing::TestWithParam<SiblingCase> {};

TEST_P(SiblingExportRoute, RoutesToItsKindInBothVersionsAndActionSpellings) {
  for (const char* version : {"v1.0", "beta"}) {
    for (const char* action : {"export", "microsoft.graph.partners.billing.export"}) {
      SCOPED_TRACE(std::string(version) + " " + action);
      const auto route = match_route(under(version, std::string(GetParam().path) + action));
      EXPECT_EQ(route.endpoint, RouteKind::export_action);
      EXPECT_EQ(route.export_kind, GetParam().kind);
      EXPECT_EQ(route.allowed_methods, "POST");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Router, SiblingExportRoute,
                         ::testing::Values(SiblingCase{"/reconciliation/unbilled/", ExportKind::unbilled_reconciliation},
                                           SiblingCase{"/usage/billed/", ExportKind::billed_usage},
                                           SiblingCase{"/usage/unbilled/", ExportKind::unbilled_usage}));

TEST(Router, SiblingExportMatchesCaseInsensitively) {
  const auto route = match_route("/v1.0/reports/partners/billing/Usage/Unbilled/EXPORT");
  EXPECT_EQ(route.endpoint, RouteKind::export_action);
  EXPECT_EQ(route.export_kind, ExportKind::unbilled_usage);
}

// --- real Graph paths the fake does not serve ------------------------------------------

TEST(Router, OperationsCollectionIsUnsupported) {
  const auto route = match_route(under("v1.0", "/operations"));
  EXPECT_EQ(route.endpoint, RouteKind::unsupported);
  EXPECT_NE(route.detail.find("operations"), std::string::npos) << route.detail;
}

TEST(Router, ManifestsCollectionIsUnsupported) {
  const auto route = match_route(under("beta", "/manifests/"));
  EXPECT_EQ(route.endpoint, RouteKind::unsupported);
  EXPECT_NE(route.detail.find("manifests"), std::string::npos) << route.detail;
}

// --- unknown Graph paths ---------------------------------------------------------------

struct UnknownCase {
  const char* path;
  const char* first_unknown;
};

void PrintTo(const UnknownCase& c, std::ostream* os) { *os << c.path; }

class UnknownGraphRoute : public ::testing::TestWithParam<UnknownCase> {};

TEST_P(UnknownGraphRoute, IsGraphUnknownNamingTheFirstUnknownSegment) {
  const auto route = match_route(GetParam().path);
  EXPECT_EQ(route.endpoint, RouteKind::graph_unknown);
  EXPECT_EQ(route.detail, GetParam().first_unknown);
}

INSTANTIATE_TEST_SUITE_P(
    Router, UnknownGraphRoute,
    ::testing::Values(UnknownCase{"/v1.0/me", "me"}, UnknownCase{"/beta/users/abc", "users"},
                      UnknownCase{"/v1.0/reports/foo", "foo"}, UnknownCase{"/v1.0/reports/partners/foo", "foo"},
                      UnknownCase{"/v1.0/reports/partners/billing/foo", "foo"},
                      UnknownCase{"/v1.0/reports/partners/billing/invoices/G016907411", "invoices"},
                      UnknownCase{"/v1.0/partners/billing/operations/abc", "partners"},
                      UnknownCase{"/v1.0/reports/partners/billing/reconciliation/billed/foo", "foo"},
                      UnknownCase{"/v1.0/reports/partners/billing/reconciliation/foo/export", "foo"},
                      UnknownCase{"/beta/reports/partners/billing/usage/monthly/export", "monthly"}));

TEST(Router, VersionAloneIsGraphUnknown) {
  EXPECT_EQ(match_route("/v1.0").endpoint, RouteKind::graph_unknown);
  EXPECT_EQ(match_route("/beta/").endpoint, RouteKind::graph_unknown);
}

TEST(Router, UnknownPathCarriesTheVersion) {
  EXPECT_EQ(match_route("/beta/me").version, ApiVersion::beta);
  EXPECT_EQ(match_route("/v1.0/me").version, ApiVersion::v1_0);
}

// --- blob storage ---------------------------------------------------------------------

TEST(Router, BlobPathUnderTheStorageAccountIsBlobAllowingGetAndHead) {
  const auto route = match_route("/devstoreaccount1/container/x/y.json.gz");
  EXPECT_EQ(route.endpoint, RouteKind::blob);
  EXPECT_EQ(route.allowed_methods, "GET, HEAD");
}

TEST(Router, DeepBlobPathIsBlob) {
  const auto route = match_route(
      "/devstoreaccount1/billing/v1/ReconLineItems/G016907411/part-00000-9a209a5e-0378-4bb5-9b6a-75bb0fe7ae84.c000.json.gz");
  EXPECT_EQ(route.endpoint, RouteKind::blob);
}

TEST(Router, StorageAccountAndContainerAreBlobRoutesNamingNoBlob) {
  EXPECT_EQ(match_route("/devstoreaccount1").endpoint, RouteKind::blob);
  EXPECT_EQ(match_route("/devstoreaccount1").detail, "account");
  EXPECT_EQ(match_route("/devstoreaccount1/container").endpoint, RouteKind::blob);
  EXPECT_EQ(match_route("/devstoreaccount1/container").detail, "container");
}

// --- outside every API ------------------------------------------------------------------

TEST(Router, RootIsNotFound) {
  EXPECT_EQ(match_route("/").endpoint, RouteKind::not_found);
  EXPECT_EQ(match_route("").endpoint, RouteKind::not_found);
}

TEST(Router, UnknownTopLevelIsNotFoundNamingIt) {
  const auto route = match_route("/foo");
  EXPECT_EQ(route.endpoint, RouteKind::not_found);
  EXPECT_EQ(route.detail, "foo");
}

TEST(Router, OtherVersionsAreNotFound) {
  for (const char* path : {"/v2.0/reports/partners/billing/operations/abc", "/v1/reports/partners/billing/operations/abc",
                           "/reports/partners/billing/operations/abc"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(match_route(path).endpoint, RouteKind::not_found);
  }
}


// --- nearest_route ----------------------------------------------------------------------

constexpr const char* kGuid = "0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e";

TEST(NearestRoute, SingularOperationIsTheOperationsRoute) {
  EXPECT_EQ(nearest_route("GET", under("v1.0", std::string("/operation/") + kGuid)),
            "GET /v1.0/reports/partners/billing/operations/{id}");
}

TEST(NearestRoute, SingularManifestIsTheManifestsRoute) {
  EXPECT_EQ(nearest_route("GET", under("v1.0", std::string("/manifest/") + kGuid)),
            "GET /v1.0/reports/partners/billing/manifests/{id}");
}

TEST(NearestRoute, VersionWithoutItsMinorIsV1_0) {
  EXPECT_EQ(nearest_route("GET", under("v1", std::string("/operations/") + kGuid)),
            "GET /v1.0/reports/partners/billing/operations/{id}");
  EXPECT_EQ(nearest_route("POST", under("v1", "/reconciliation/billed/export")),
            "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
}

TEST(NearestRoute, MisspeltSiblingExportIsThatExport) {
  EXPECT_EQ(nearest_route("POST", under("v1.0", "/usage/biled/export")),
            "POST /v1.0/reports/partners/billing/usage/billed/export");
  EXPECT_EQ(nearest_route("POST", under("beta", "/usage/unbiled/export")),
            "POST /beta/reports/partners/billing/usage/unbilled/export");
  EXPECT_EQ(nearest_route("POST", under("v1.0", "/reconciliation/unbiled/export")),
            "POST /v1.0/reports/partners/billing/reconciliation/unbilled/export");
}

TEST(NearestRoute, MisspeltExportIsTheExportAction) {
  EXPECT_EQ(nearest_route("POST", under("v1.0", "/reconciliation/billed/exprot")),
            "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
  EXPECT_EQ(nearest_route("POST", under("v1.0", "/reconcilation/biled/export")),
            "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
}

TEST(NearestRoute, MissingSegmentIsTheRouteWithIt) {
  EXPECT_EQ(nearest_route("GET", std::string("/v1.0/reports/billing/operations/") + kGuid),
            "GET /v1.0/reports/partners/billing/operations/{id}");
}

TEST(NearestRoute, PostOnAnOperationIsTheGetOfIt) {
  // A wrong method costs less than walking to the export action's path.
  EXPECT_EQ(nearest_route("POST", under("v1.0", std::string("/operations/") + kGuid)),
            "GET /v1.0/reports/partners/billing/operations/{id}");
}

TEST(NearestRoute, GetOnTheExportActionIsThePostOfIt) {
  EXPECT_EQ(nearest_route("GET", under("v1.0", "/reconciliation/billed/export")),
            "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
}

TEST(NearestRoute, BetaPathsStayOnBeta) {
  EXPECT_EQ(nearest_route("GET", under("beta", std::string("/operation/") + kGuid)),
            "GET /beta/reports/partners/billing/operations/{id}");
  EXPECT_EQ(nearest_route("GET", under("beta", std::string("/manifest/") + kGuid)),
            "GET /beta/reports/partners/billing/manifests/{id}");
  EXPECT_EQ(nearest_route("POST", "/beta/reports/partner/billing/reconciliation/billed/export"),
            "POST /beta/reports/partners/billing/reconciliation/billed/export");
}

TEST(NearestRoute, CaseOfPathAndGuidDoesNotMatter) {
  EXPECT_EQ(nearest_route("GET", "/V1.0/Reports/Partners/Billing/Operation/0B5C0F3E-6C2A-4A8E-9D7E-1F2A3B4C5D6E"),
            "GET /v1.0/reports/partners/billing/operations/{id}");
}

TEST(NearestRoute, AnyGuidStandsForTheId) {
  for (const char* id : {kGuid, "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(nearest_route("GET", under("v1.0", std::string("/operationz/") + id)),
              "GET /v1.0/reports/partners/billing/operations/{id}");
  }
}

TEST(NearestRoute, TheRouteItselfIsItsOwnNearest) {
  EXPECT_EQ(nearest_route("GET", under("beta", std::string("/manifests/") + kGuid)),
            "GET /beta/reports/partners/billing/manifests/{id}");
  EXPECT_EQ(nearest_route("POST", under("v1.0", "/reconciliation/billed/export")),
            "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
}

TEST(NearestRoute, AnythingGetsSomeSuggestion) {
  for (const char* path : {"/", "", "/foo", "/devstoreaccount1"}) {
    SCOPED_TRACE(path);
    const auto suggestion = nearest_route("DELETE", path);
    EXPECT_TRUE(suggestion.starts_with("GET /") || suggestion.starts_with("POST /")) << suggestion;
  }
}

}  // namespace
}  // namespace graphfake::handlers
