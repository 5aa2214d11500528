// The documented examples (Graph docs: the four export pages, Get operation,
// Get manifest; addresses in docs/sources.md), copied exactly, held against
// what the fake serves. Values that identify one export (ids, times, hosts)
// differ; names, JSON types, type discriminators, status literals and URL
// shapes must not.
#include <regex>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

// Graph docs, billedReconciliation: export: the example request body, v1.0 and beta.
constexpr const char* kExportRequestBody = R"({
  "invoiceId": "G016907411",
  "attributeSet": "full"
})";
constexpr const char* kExportLocationV1 =
    "https://graph.microsoft.com/v1.0/reports/partners/billing/operations/9ab9cb54-d07f-4f52-9ea6-a09d7de52c14";
constexpr const char* kExportLocationBeta =
    "https://graph.microsoft.com/beta/reports/partners/billing/operations/9ab9cb54-d07f-4f52-9ea6-a09d7de52c14";

// Graph docs, unbilledReconciliation: export, billedUsage: export and
// unbilledUsage: export: their example request bodies, as the documentation
// spaces them.
constexpr const char* kUnbilledReconciliationBody = R"({
  "attributeSet": "full",
  "billingPeriod": "current",
  "currencyCode": "USD"
})";
constexpr const char* kBilledUsageBody = R"({
  "invoiceId" : "G016907411",
  "attributeSet" : "full"
})";
constexpr const char* kUnbilledUsageBody = R"({
  "currencyCode": "USD",
  "attributeSet": "full",
  "billingPeriod": "current"
})";

// Graph docs, Get operation: the running example.
constexpr const char* kRunningOperation = R"({
  "@odata.type": "#microsoft.graph.partners.billing.runningOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "running",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z"
})";

// Graph docs, Get operation: the succeeded example.
constexpr const char* kSucceededOperation = R"({
  "@odata.type": "#microsoft.graph.partners.billing.exportSuccessOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "succeeded",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z",
  "resourceLocation@odata.navigationLink": "https://graph.microsoft.com/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db"
})";

// Graph docs, Get manifest: the example.
constexpr const char* kManifest = R"({
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "schemaVersion": "1",
  "dataFormat": "compressedJSON",
  "createdDateTime": "2023-03-09T06:34:34.87Z",
  "eTag": "WYjLro78HdMg6vUWR",
  "partnerTenantId": "0e195b37-4574-4539-bc42-0e539b9684c0",
  "rootDirectory": "https://adlsreconbuprodeastus201.blob.core.windows.net/billedusagefastpath/v1/PartnerTenantId=0e195b37-4574-4539-bc42-0e539b9684c0/BillingMonth=202310/InvoiceId=G031809528/InvoiceVersion=202311/Fragment=basic/PartitionType=default",
  "sasToken": "skoid=0c414a25-fd23-4785-815f-1258467f9ab7&sktid=975f013f-7f24-47e8-a7d3-abc4752bf346&skt=2023-12-13T00%3A37%3A17Z&ske=2023-12-14T00%3A37%3A17Z&sks=b&skv=2021-08-06&sv=2021-08-06&se=2023-12-13T12%3A37%3A17Z&sr=d&sp=rl&sdd=7&sig=RpVY0WBGUHJ2APB3N76jtMak8loAWY4oiA0%2FaoJX1bM%3D",
  "partitionType": "Default",
  "blobCount": 1,
  "blobs": [
    {
      "name": "part-00049-b016029b-a7a7-4c46-9b5e-c925ac317ac6.c000.json.gz",
      "partitionValue": "default"
    }
  ]
})";

// The documented URL with its host swapped for the fake's and every GUID
// turned into a GUID pattern.
std::regex url_shape(std::string documented, const std::string& origin) {
  documented.replace(0, std::string("https://graph.microsoft.com").size(), origin);
  std::string pattern = std::regex_replace(documented, std::regex(R"([.?+*()\[\]{}|^$\\])"), R"(\$&)");
  pattern = std::regex_replace(pattern, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                               "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex(pattern);
}

bool same_json_kind(const Json& a, const Json& b) {
  return a.type() == b.type() || (a.is_number_integer() && b.is_number_integer());
}

// Every property of the documented object is present in the served one with
// the same JSON type, recursively through objects and arrays of objects.
void expect_documented_shape(const Json& documented, const Json& served, const std::string& where) {
  for (const auto& [name, value] : documented.items()) {
    ASSERT_TRUE(served.contains(name)) << where << "/" << name << " is missing from " << served.dump();
    EXPECT_TRUE(same_json_kind(value, served[name]))
        << where << "/" << name << ": documented " << value.type_name() << ", served " << served[name].type_name();
    if (value.is_object()) expect_documented_shape(value, served[name], where + "/" + name);
    if (value.is_array() && !value.empty() && value[0].is_object()) {
      ASSERT_FALSE(served[name].empty()) << where << "/" << name;
      for (const auto& element : served[name]) expect_documented_shape(value[0], element, where + "/" + name + "/*");
    }
  }
}

class GoldenFixtures : public FakeTest {};

TEST_F(GoldenFixtures, BilledExportV1_AnswersLikeSection7_1) {
  auto result = post_json("/v1.0/reports/partners/billing/reconciliation/billed/export", kExportRequestBody);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_TRUE(std::regex_match(result->get_header_value("Location"), url_shape(kExportLocationV1, fake_->base_url())))
      << result->get_header_value("Location");
}

TEST_F(GoldenFixtures, BilledExportBeta_AnswersLikeSection7_1) {
  auto result = post_json("/beta/reports/partners/billing/reconciliation/billed/export", kExportRequestBody);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_TRUE(std::regex_match(result->get_header_value("Location"), url_shape(kExportLocationBeta, fake_->base_url())))
      << result->get_header_value("Location");
}

struct SiblingFixture {
  const char* section;
  const char* path;
  const char* body;
};

class GoldenSiblingExport : public FakeTest, public ::testing::WithParamInterface<SiblingFixture> {};

TEST_P(GoldenSiblingExport, AnswersLikeItsSection) {
  auto result = post_json(std::string("/v1.0/reports/partners/billing/") + GetParam().path, GetParam().body);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202) << result->body;
  EXPECT_TRUE(std::regex_match(result->get_header_value("Location"), url_shape(kExportLocationV1, fake_->base_url())))
      << result->get_header_value("Location");
}

INSTANTIATE_TEST_SUITE_P(
    GoldenFixtures, GoldenSiblingExport,
    ::testing::Values(SiblingFixture{"Section7_2", "reconciliation/unbilled/export", kUnbilledReconciliationBody},
                      SiblingFixture{"Section7_3", "usage/billed/export", kBilledUsageBody},
                      SiblingFixture{"Section7_4", "usage/unbilled/export", kUnbilledUsageBody}),
    [](const auto& info) { return std::string(info.param.section); });

TEST_F(GoldenFixtures, RunningOperation_HasTheDocumentedShape) {
  const auto location = start_export();
  get(location);  // notStarted
  const auto served = Json::parse(get(location)->body);
  const auto documented = Json::parse(kRunningOperation);
  expect_documented_shape(documented, served, "runningOperation");
  EXPECT_EQ(served["@odata.type"], documented["@odata.type"]);
  EXPECT_EQ(served["status"], documented["status"]);
}

TEST_F(GoldenFixtures, SucceededOperation_HasTheDocumentedShape) {
  const auto served = poll_to_completion(start_export());
  const auto documented = Json::parse(kSucceededOperation);
  expect_documented_shape(documented, served, "exportSuccessOperation");
  EXPECT_EQ(served["@odata.type"], documented["@odata.type"]);
  EXPECT_EQ(served["status"], documented["status"]);
  EXPECT_TRUE(std::regex_match(served["resourceLocation@odata.navigationLink"].get<std::string>(),
                               url_shape(documented["resourceLocation@odata.navigationLink"], fake_->base_url())))
      << served["resourceLocation@odata.navigationLink"];
}

TEST_F(GoldenFixtures, Manifest_HasTheDocumentedShape) {
  const auto operation = poll_to_completion(start_export());
  const auto served = Json::parse(get(operation["resourceLocation@odata.navigationLink"])->body);
  expect_documented_shape(Json::parse(kManifest), served, "manifest");
}

TEST_F(GoldenFixtures, InlineManifest_HasTheDocumentedShape) {
  const auto operation = poll_to_completion(start_export());
  expect_documented_shape(Json::parse(kManifest), operation["resourceLocation"], "resourceLocation");
}

}  // namespace
}  // namespace graphfake::testing
