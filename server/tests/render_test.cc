#include "domain/render.h"

#include <gtest/gtest.h>

#include <set>

#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::t0;

using namespace std::chrono_literals;
using model::OperationStatus;

const ResponseOrigin kV1{"http://127.0.0.1:8080", model::ApiVersion::v1_0};
const ResponseOrigin kBeta{"http://127.0.0.1:8080", model::ApiVersion::beta};

OperationView operation(OperationStatus status) {
  OperationView view;
  view.id = "6fe687d7-1e0f-4bd6-9091-4672691f64bc";
  view.status = status;
  view.created_at = t0;
  view.last_action_at = t0 + 1500ms;
  return view;
}

ManifestRead manifest_read() {
  auto manifest = std::make_shared<Manifest>();
  manifest->id = "8fe347d7-1e0f-4bd6-9091-4672691f32db";
  manifest->created_at = t0 + 2s;
  manifest->schema_version = "2";
  manifest->data_format = "compressedJSON";
  manifest->partition_type = "default";
  manifest->etag = "WYjLro78HdMg6vUWR";
  manifest->partner_tenant_id = "0e195b37-4574-4539-bc42-0e539b9684c0";
  manifest->root_path = "/devstoreaccount1/container/v1/Fragment=full";
  manifest->row_count = 15;
  manifest->rows_per_blob = 10;
  manifest->blob_count = 2;
  manifest->blob_run_id = "a";
  SasGrant sas;
  sas.fields = {{"se", "2025-01-01T01:00:00Z"}, {"sig", "a+b/c="}};
  return ManifestRead{manifest, sas};
}

// --- Location ----------------------------------------------------------------------

constexpr const char* kOperationId = "6fe687d7-1e0f-4bd6-9091-4672691f64bc";
const ResponseOrigin kInNamespace{"http://127.0.0.1:8080", model::ApiVersion::v1_0, "/_ns/shard-1"};

TEST(LocationHeader, IsTheAbsoluteOperationUrlUnderTheNamespacePrefix) {
  EXPECT_EQ(location_header(kInNamespace, kOperationId, std::nullopt),
            std::string("http://127.0.0.1:8080/_ns/shard-1/v1.0/reports/partners/billing/operations/") + kOperationId);
}

TEST(LocationHeader, RelativeFault_KeepsTheNamespacePrefix) {
  EXPECT_EQ(location_header(kInNamespace, kOperationId, faults::Fault::Location::relative),
            std::string("/_ns/shard-1/v1.0/reports/partners/billing/operations/") + kOperationId);
}

TEST(LocationHeader, WrongHostFault_ChangesOnlyTheHost) {
  EXPECT_EQ(location_header(kInNamespace, kOperationId, faults::Fault::Location::wrong_host),
            std::string("http://wrong-host.invalid:8080/_ns/shard-1/v1.0/reports/partners/billing/operations/") +
                kOperationId);
}

TEST(LocationHeader, WrongHostFault_OnAHostWithoutAPort_AddsNone) {
  const ResponseOrigin no_port{"http://localhost", model::ApiVersion::v1_0, "/_ns/a"};
  EXPECT_EQ(location_header(no_port, kOperationId, faults::Fault::Location::wrong_host),
            std::string("http://wrong-host.invalid/_ns/a/v1.0/reports/partners/billing/operations/") + kOperationId);
}

TEST(LocationHeader, WrongHostFault_OnAnIpv6Host_KeepsThePort) {
  const ResponseOrigin ipv6{"http://[::1]:8080", model::ApiVersion::v1_0};
  EXPECT_EQ(location_header(ipv6, kOperationId, faults::Fault::Location::wrong_host),
            std::string("http://wrong-host.invalid:8080/v1.0/reports/partners/billing/operations/") + kOperationId);
}

TEST(RenderManifest, RootDirectoryIsUnderTheNamespacePrefix) {
  const auto body = render_manifest_entity(manifest_read(), kInNamespace);
  EXPECT_EQ(body["rootDirectory"].get<std::string>().rfind("http://127.0.0.1:8080/_ns/shard-1/", 0), 0u)
      << body["rootDirectory"];
}

TEST(RenderOperation, NotStartedIsARunningOperationWithTheExactDiscriminator) {
  const auto body = render_operation(operation(OperationStatus::not_started), nullptr, kV1);
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.runningOperation");
  EXPECT_EQ(body["status"], "notStarted");
  EXPECT_FALSE(body.contains("resourceLocation"));
  EXPECT_FALSE(body.contains("error"));
}

TEST(RenderOperation, TimestampsAreUtcWithMilliseconds) {
  const auto body = render_operation(operation(OperationStatus::running), nullptr, kV1);
  EXPECT_EQ(body["createdDateTime"], "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(body["lastActionDateTime"], "2025-01-01T00:00:01.500Z");
}

TEST(RenderOperation, DocumentedTimestampsDropTheOffsetOnCreatedAndGiveTicksOnLastAction) {
  auto view = operation(OperationStatus::running);
  view.last_action_at = t0 + 1504669100ns;
  const auto body = render_operation(view, nullptr, kV1, Dialect::Timestamps::documented);
  EXPECT_EQ(body["createdDateTime"], "2025-01-01T00:00:00");
  EXPECT_EQ(body["lastActionDateTime"], "2025-01-01T00:00:01.5046691Z");
}

TEST(RenderOperation, ContextNamesTheVersionAndEntitySet) {
  EXPECT_EQ(render_operation(operation(OperationStatus::running), nullptr, kBeta)["@odata.context"],
            "http://127.0.0.1:8080/beta/$metadata#reports/partners/billing/operations/$entity");
}

TEST(RenderOperation, SucceededLinksAndInlinesTheManifest) {
  const auto read = manifest_read();
  const auto body = render_operation(operation(OperationStatus::succeeded), &read, kBeta);
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.exportSuccessOperation");
  EXPECT_EQ(body["resourceLocation@odata.navigationLink"],
            "http://127.0.0.1:8080/beta/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db");
  EXPECT_EQ(body["resourceLocation"]["id"], "8fe347d7-1e0f-4bd6-9091-4672691f32db");
  EXPECT_FALSE(body["resourceLocation"].contains("@odata.context"));
}

TEST(RenderOperation, FailedCarriesTheScriptedError) {
  auto view = operation(OperationStatus::failed);
  view.failure = model::OperationFailure{"5000", "No data available"};
  const auto body = render_operation(view, nullptr, kV1);
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.failedOperation");
  EXPECT_EQ(body["status"], "failed");
  EXPECT_EQ(body["error"], (nlohmann::ordered_json{{"code", "5000"}, {"message", "No data available"}}));
}

// Evolution: what a newer service might send.

std::vector<std::string> rendered_keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

TEST(RenderEvolution, UnknownPropertiesFollowTheOperationsOwnOneOfEachJsonType) {
  auto view = operation(OperationStatus::running);
  const auto plain = render_operation(view, nullptr, kV1);
  view.evolution.unknown_properties = true;
  const auto evolved = render_operation(view, nullptr, kV1);
  const auto keys = rendered_keys(evolved);
  const auto documented = rendered_keys(plain);
  ASSERT_EQ(keys.size(), documented.size() + 6);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(documented.size())),
            documented)
      << "the documented properties first, unchanged";
  std::set<nlohmann::ordered_json::value_t> types;
  for (std::size_t i = documented.size(); i < keys.size(); ++i) types.insert(evolved[keys[i]].type());
  EXPECT_EQ(types.size(), 6u) << "a string, a number, a boolean, an object, an array and a null";
  for (const auto& [name, value] : plain.items()) EXPECT_EQ(evolved[name], value) << name;
}

TEST(RenderEvolution, UnknownPropertiesOnTheManifestAndEveryBlob) {
  auto read = manifest_read();
  std::const_pointer_cast<Manifest>(read.manifest)->unknown_properties = true;
  const auto body = render_manifest_entity(read, kV1);
  EXPECT_TRUE(body.contains("manifestVersion")) << body.dump();
  EXPECT_TRUE(body.contains("manifestReplacedBy"));
  ASSERT_EQ(body["blobs"].size(), 2u);
  for (const auto& blob : body["blobs"]) {
    EXPECT_TRUE(blob.contains("blobDiagnostics")) << blob.dump();
    EXPECT_EQ(blob["partitionValue"], "default");
  }
  EXPECT_EQ(body["blobCount"], 2);
}

TEST(RenderEvolution, WithoutItNoUnknownPropertyIsSent) {
  const auto read = manifest_read();
  const auto body = render_operation(operation(OperationStatus::succeeded), &read, kV1);
  for (const auto& [name, value] : body.items()) EXPECT_EQ(name.find("Version"), std::string::npos) << name;
  EXPECT_FALSE(body["resourceLocation"].contains("manifestVersion"));
  EXPECT_FALSE(body["resourceLocation"]["blobs"][0].contains("blobVersion"));
}

TEST(RenderEvolution, UnknownSubtypeRenamesOnlyTheSucceededOperationsType) {
  const auto read = manifest_read();
  auto succeeded = operation(OperationStatus::succeeded);
  succeeded.evolution.unknown_subtype = true;
  const auto body = render_operation(succeeded, &read, kV1);
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.partitionedExportSuccessOperation");
  EXPECT_EQ(body["status"], "succeeded") << "the base status still says what happened";
  EXPECT_EQ(body["resourceLocation"]["id"], "8fe347d7-1e0f-4bd6-9091-4672691f32db");
  auto running = operation(OperationStatus::running);
  running.evolution.unknown_subtype = true;
  EXPECT_EQ(render_operation(running, nullptr, kV1)["@odata.type"],
            "#microsoft.graph.partners.billing.runningOperation");
}

TEST(RenderManifest, PropertiesComeInTheOrderRealManifestsUse) {
  const auto body = render_manifest_entity(manifest_read(), kV1);
  std::vector<std::string> keys;
  for (const auto& item : body.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"@odata.context", "id", "createdDateTime", "schemaVersion", "dataFormat",
                                            "partitionType", "eTag", "partnerTenantId", "rootDirectory", "sasToken",
                                            "blobCount", "blobs"}));
}

TEST(RenderManifest, RootDirectoryIsOnTheOriginAndBlobCountMatches) {
  const auto body = render_manifest_entity(manifest_read(), kV1);
  EXPECT_EQ(body["rootDirectory"], "http://127.0.0.1:8080/devstoreaccount1/container/v1/Fragment=full");
  EXPECT_EQ(body["blobCount"], 2);
  EXPECT_EQ(body["blobs"][1], (nlohmann::ordered_json{{"name", "part-00001-a.c000.json.gz"}, {"partitionValue", "default"}}));
}

TEST(RenderManifest, LiteralsAreTheManifestsOwn) {
  auto read = manifest_read();
  auto manifest = std::make_shared<Manifest>(*read.manifest);
  manifest->schema_version = "1";
  manifest->data_format = "compressedJSONLines";
  manifest->partition_type = "Default";
  read.manifest = manifest;
  const auto body = render_manifest_entity(read, kV1);
  EXPECT_EQ(body["schemaVersion"], "1");
  EXPECT_EQ(body["dataFormat"], "compressedJSONLines");
  EXPECT_EQ(body["partitionType"], "Default");
}

TEST(RenderManifest, BlobsListSizeAndItemCountWhenTheReadCarriesSizes) {
  auto read = manifest_read();
  read.blob_sizes = {1234, 567};
  const auto body = render_manifest_entity(read, kV1);
  EXPECT_EQ(body["blobs"][0], (nlohmann::ordered_json{{"name", "part-00000-a.c000.json.gz"},
                                                      {"partitionValue", "default"},
                                                      {"sizeInBytes", 1234},
                                                      {"itemCount", 10}}));
  EXPECT_EQ(body["blobs"][1]["sizeInBytes"], 567);
  EXPECT_EQ(body["blobs"][1]["itemCount"], 5);
}

TEST(RenderManifest, SasTokenIsTheEncodedQuery) {
  EXPECT_EQ(render_manifest_entity(manifest_read(), kV1)["sasToken"], "se=2025-01-01T01%3A00%3A00Z&sig=a%2Bb%2Fc%3D");
}

TEST(RenderGraphError, HasCodeMessageAndInnerErrorWithIds) {
  const auto body = render_graph_error(core::GraphError(400, "BadRequest", "nope"), {"rid", "crid", t0 + 61s});
  EXPECT_EQ(body, (nlohmann::ordered_json{{"error",
                                           {{"code", "BadRequest"},
                                            {"message", "nope"},
                                            {"innerError",
                                             {{"date", "2025-01-01T00:01:01"},
                                              {"request-id", "rid"},
                                              {"client-request-id", "crid"}}}}}}));
}

TEST(RenderStorageError, IsAzureXmlWithCodeRequestIdAndEscapedDetail) {
  const auto xml = render_storage_error({403, "AuthenticationFailed", "Server failed", "a < b & c"}, {"rid", "crid", t0});
  EXPECT_NE(xml.find("<Code>AuthenticationFailed</Code>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("RequestId:rid"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<AuthenticationErrorDetail>a &lt; b &amp; c</AuthenticationErrorDetail>"), std::string::npos)
      << xml;
}

TEST(RenderStorageError, OmitsTheDetailElementWhenThereIsNone) {
  const auto xml = render_storage_error({404, "BlobNotFound", "The specified blob does not exist.", ""}, {"r", "c", t0});
  EXPECT_EQ(xml.find("AuthenticationErrorDetail"), std::string::npos);
}

}  // namespace
}  // namespace graphfake::domain
