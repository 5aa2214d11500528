// The manifest a succeeded export points at, and the blobs it lists.
#include <algorithm>
#include <map>
#include <regex>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kFullColumns = {
    "PartnerId", "CustomerId", "CustomerName", "CustomerDomainName", "CustomerCountry", "InvoiceNumber",
    "MpnId", "Tier2MpnId", "OrderId", "OrderDate", "ProductId", "SkuId", "AvailabilityId", "SkuName",
    "ProductName", "ChargeType", "UnitPrice", "Quantity", "Subtotal", "TaxTotal", "Total", "Currency",
    "PriceAdjustmentDescription", "PublisherName", "PublisherId", "SubscriptionDescription", "SubscriptionId",
    "ChargeStartDate", "ChargeEndDate", "TermAndBillingCycle", "EffectiveUnitPrice", "UnitType", "AlternateId",
    "BillableQuantity", "BillingFrequency", "PricingCurrency", "PCToBCExchangeRate", "PCToBCExchangeRateDate",
    "MeterDescription", "ReservationOrderId", "CreditReasonCode", "SubscriptionStartDate", "SubscriptionEndDate",
    "ReferenceId", "ProductQualifiers", "PromotionId", "ProductCategory"};

const std::vector<std::string> kBasicColumns = {
    "PartnerId", "CustomerId", "CustomerName", "InvoiceNumber", "Tier2MpnId", "OrderId", "OrderDate",
    "ProductId", "SkuId", "AvailabilityId", "SkuName", "ProductName", "ChargeType", "UnitPrice", "Subtotal",
    "TaxTotal", "Total", "Currency", "PriceAdjustmentDescription", "PublisherName", "SubscriptionId",
    "ChargeStartDate", "ChargeEndDate", "TermAndBillingCycle", "EffectiveUnitPrice", "BillableQuantity",
    "PricingCurrency", "PCToBCExchangeRate", "ReservationOrderId", "CreditReasonCode", "SubscriptionStartDate",
    "SubscriptionEndDate", "ReferenceId", "PromotionId", "ProductCategory"};

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

class ManifestAndBlobs : public FakeTest {
 protected:
  Json manifest_for(const std::string& invoice = "G016907411", const std::string& attribute_set = "full") {
    return poll_to_completion(start_export(invoice, attribute_set))["resourceLocation"];
  }

  // Blobs are read without an Authorization header: the SAS is the credential.
  httplib::Result download(const std::string& url, httplib::Headers headers = {}) {
    return get_unauthenticated(url, std::move(headers));
  }

  std::vector<Json> all_rows(const Json& manifest) {
    std::vector<Json> rows;
    for (std::size_t i = 0; i < manifest["blobs"].size(); ++i) {
      auto result = download(blob_url(manifest, i));
      EXPECT_TRUE(result && result->status == 200);
      if (!result) continue;
      for (auto& row : json_lines(gunzip(result->body))) rows.push_back(std::move(row));
    }
    return rows;
  }
};

TEST_F(ManifestAndBlobs, Manifest_HasEveryPropertyWithItsJsonType) {
  const auto manifest = manifest_for();
  const std::vector<std::pair<std::string, Json::value_t>> expected = {
      {"id", Json::value_t::string},           {"createdDateTime", Json::value_t::string},
      {"schemaVersion", Json::value_t::string}, {"dataFormat", Json::value_t::string},
      {"partitionType", Json::value_t::string}, {"eTag", Json::value_t::string},
      {"partnerTenantId", Json::value_t::string}, {"rootDirectory", Json::value_t::string},
      {"sasToken", Json::value_t::string},     {"blobCount", Json::value_t::number_unsigned},
      {"blobs", Json::value_t::array}};
  EXPECT_EQ(manifest.size(), expected.size());
  for (const auto& [name, type] : expected) {
    ASSERT_TRUE(manifest.contains(name)) << name;
    EXPECT_EQ(manifest[name].type(), type) << name;
  }
  EXPECT_EQ(manifest["dataFormat"], "compressedJSON");
  EXPECT_EQ(manifest["partitionType"], "default");
}

TEST_F(ManifestAndBlobs, Manifest_BlobCountMatchesBlobsAndNamesFollowSparkPattern) {
  const auto manifest = manifest_for();
  ASSERT_EQ(manifest["blobCount"].get<std::size_t>(), manifest["blobs"].size());
  EXPECT_EQ(manifest["blobs"].size(), 3u);  // 250 rows at 100 per blob
  const std::regex name(R"(part-\d{5}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.c000\.json\.gz)");
  for (const auto& blob : manifest["blobs"]) {
    EXPECT_TRUE(std::regex_match(blob["name"].get<std::string>(), name)) << blob["name"];
    EXPECT_EQ(blob["partitionValue"], "default");
    EXPECT_EQ(blob.size(), 2u);
  }
}

TEST_F(ManifestAndBlobs, Manifest_RootDirectoryIsOnTheFakeAndSasIsADirectorySas) {
  const auto manifest = manifest_for("G016907411", "basic");
  const std::string root = manifest["rootDirectory"];
  EXPECT_EQ(root.rfind(fake_->base_url() + "/devstoreaccount1/", 0), 0u) << root;
  EXPECT_NE(root.find("/InvoiceId=G016907411/"), std::string::npos) << root;
  EXPECT_NE(root.find("/Fragment=basic/"), std::string::npos) << root;
  EXPECT_NE(root.back(), '/');
  const std::string sas = manifest["sasToken"];
  EXPECT_NE(sas.front(), '?');
  for (const char* field : {"sr=d", "sp=rl", "sv=", "se=", "sig="}) {
    EXPECT_NE(sas.find(field), std::string::npos) << field << " in " << sas;
  }
}

TEST_F(ManifestAndBlobs, Manifest_SasIsAUserDelegationDirectorySasSignedOnTheFakesClockForAnHour) {
  clock_->advance(90min + 30s);
  const auto manifest = manifest_for();
  const std::string sas = manifest["sasToken"];
  std::vector<std::string> names;
  std::map<std::string, std::string> fields;
  for (std::size_t at = 0; at < sas.size();) {
    const auto end = std::min(sas.find('&', at), sas.size());
    const auto pair = sas.substr(at, end - at);
    names.push_back(pair.substr(0, pair.find('=')));
    fields[names.back()] = pair.substr(pair.find('=') + 1);
    at = end + 1;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"skoid", "sktid", "skt", "ske", "sks", "skv", "sv", "se", "sr", "sp",
                                             "sdd", "sig"}));
  EXPECT_EQ(fields["skt"], "2025-01-01T01%3A30%3A30Z");
  EXPECT_EQ(fields["se"], "2025-01-01T02%3A30%3A30Z");
  EXPECT_EQ(fields["ske"], "2025-01-02T01%3A30%3A30Z");
  EXPECT_EQ(fields["sks"], "b");
  EXPECT_EQ(fields["sr"], "d");
  EXPECT_EQ(fields["sp"], "rl");
  // The directory's depth below the container: the segments after /{account}/{container}/.
  const std::string root = manifest["rootDirectory"];
  const auto below_container = root.substr(root.find("/devstoreaccount1/") + 18);
  const auto depth = std::count(below_container.begin(), below_container.end(), '/');
  EXPECT_EQ(fields["sdd"], std::to_string(depth)) << root;
  EXPECT_EQ(fields["sdd"], "7");
}

TEST_F(ManifestAndBlobs, Manifest_BlobNumbersRunOnFromAFirstPastZero) {
  const auto manifest = manifest_for();
  const auto number = [&](std::size_t i) {
    return std::stoul(manifest["blobs"][i]["name"].get<std::string>().substr(5, 5));
  };
  EXPECT_GE(number(0), 5u);
  EXPECT_LE(number(0), 199u);
  for (std::size_t i = 1; i < manifest["blobs"].size(); ++i) EXPECT_EQ(number(i), number(0) + i);
  EXPECT_EQ(all_rows(manifest).size(), 250u);  // each name served
}

TEST_F(ManifestAndBlobs, UnknownManifest_Returns404) {
  auto result = get("/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "itemNotFound");
}

TEST_F(ManifestAndBlobs, Blob_IsRawGzipWithAzureHeaders) {
  const auto manifest = manifest_for();
  auto result = download(blob_url(manifest, 0));
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  ASSERT_GE(result->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(result->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(result->body[1]), 0x8b);
  EXPECT_FALSE(result->has_header("Content-Encoding"));
  EXPECT_EQ(result->get_header_value("Content-Length"), std::to_string(result->body.size()));
  EXPECT_EQ(result->get_header_value("x-ms-blob-type"), "BlockBlob");
  EXPECT_FALSE(result->get_header_value("ETag").empty());
  EXPECT_FALSE(result->get_header_value("Last-Modified").empty());
  EXPECT_FALSE(result->get_header_value("x-ms-request-id").empty());
}

TEST_F(ManifestAndBlobs, FullExport_EveryRowHasThe47FullColumnsInOrder) {
  const auto rows = all_rows(manifest_for("G016907411", "full"));
  ASSERT_EQ(rows.size(), 250u);
  for (const auto& row : rows) ASSERT_EQ(keys_of(row), kFullColumns);
}

TEST_F(ManifestAndBlobs, BasicExport_EveryRowHasThe35BasicColumnsInOrder) {
  const auto rows = all_rows(manifest_for("G016907411", "basic"));
  ASSERT_EQ(rows.size(), 250u);
  for (const auto& row : rows) ASSERT_EQ(keys_of(row), kBasicColumns);
}

TEST_F(ManifestAndBlobs, Rows_BelongToTheRequestedInvoiceAndPartner) {
  const auto manifest = manifest_for("G000000123");
  for (const auto& row : all_rows(manifest)) {
    EXPECT_EQ(row["InvoiceNumber"], "G000000123");
    EXPECT_EQ(row["PartnerId"], manifest["partnerTenantId"]);
  }
}

TEST_F(ManifestAndBlobs, Range_Returns206WithThatSliceAndContentRange) {
  const auto manifest = manifest_for();
  const auto url = blob_url(manifest, 0);
  const std::string whole = download(url)->body;
  auto result = download(url, {{"Range", "bytes=10-99"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 206);
  EXPECT_EQ(result->body, whole.substr(10, 90));
  EXPECT_EQ(result->get_header_value("Content-Range"), "bytes 10-99/" + std::to_string(whole.size()));
}

TEST_F(ManifestAndBlobs, XMsRange_IsHonouredLikeAzure) {
  const auto url = blob_url(manifest_for(), 1);
  const std::string whole = download(url)->body;
  auto result = download(url, {{"x-ms-range", "bytes=5-"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 206);
  EXPECT_EQ(result->body, whole.substr(5));
}

TEST_F(ManifestAndBlobs, RangePastTheEnd_IsClampedToTheBlob) {
  const auto url = blob_url(manifest_for(), 0);
  const std::string whole = download(url)->body;
  auto result = download(url, {{"x-ms-range", "bytes=0-33554431"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 206);
  EXPECT_EQ(result->body, whole);
  EXPECT_EQ(result->get_header_value("Content-Range"),
            "bytes 0-" + std::to_string(whole.size() - 1) + "/" + std::to_string(whole.size()));
}

TEST_F(ManifestAndBlobs, SuffixRange_ReturnsTheLastBytes) {
  const auto url = blob_url(manifest_for(), 0);
  const std::string whole = download(url)->body;
  auto result = download(url, {{"Range", "bytes=-8"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 206);
  EXPECT_EQ(result->body, whole.substr(whole.size() - 8));
}

TEST_F(ManifestAndBlobs, RangeStartingPastTheEnd_Returns416) {
  const auto url = blob_url(manifest_for(), 0);
  const std::string whole = download(url)->body;
  auto result = download(url, {{"Range", "bytes=" + std::to_string(whole.size()) + "-"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 416);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "InvalidRange");
  EXPECT_EQ(result->get_header_value("Content-Range"), "bytes */" + std::to_string(whole.size()));
}

TEST_F(ManifestAndBlobs, Head_ReturnsTheBlobsHeadersWithoutABody) {
  const auto url = blob_url(manifest_for(), 0);
  const std::string whole = download(url)->body;
  auto result = client_->Head(path_on(fake_->base_url(), url).c_str());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_TRUE(result->body.empty());
  EXPECT_EQ(result->get_header_value("Content-Length"), std::to_string(whole.size()));
  EXPECT_EQ(result->get_header_value("x-ms-blob-type"), "BlockBlob");
}

TEST_F(ManifestAndBlobs, WithoutSas_Returns403AuthenticationFailed) {
  const auto manifest = manifest_for();
  const auto url = manifest["rootDirectory"].get<std::string>() + "/" + manifest["blobs"][0]["name"].get<std::string>();
  auto result = download(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "AuthenticationFailed");
  EXPECT_NE(result->body.find("<Code>AuthenticationFailed</Code>"), std::string::npos) << result->body;
}

TEST_F(ManifestAndBlobs, WithTamperedSignature_Returns403) {
  auto url = blob_url(manifest_for(), 0);
  url.replace(url.find("sig=") + 4, 2, "AA");
  auto result = download(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_NE(result->body.find("Signature did not match"), std::string::npos) << result->body;
}

TEST_F(ManifestAndBlobs, WithExtendedExpiry_Returns403) {
  auto url = blob_url(manifest_for(), 0);
  const auto se = url.find("se=") + 3;
  url.replace(se, 4, "2099");
  auto result = download(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
}

TEST_F(ManifestAndBlobs, AfterSasExpiry_Returns403) {
  const auto url = blob_url(manifest_for(), 0);
  clock_->advance(59min);
  EXPECT_EQ(download(url)->status, 200);
  clock_->advance(1min);
  auto result = download(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_NE(result->body.find("Signed expiry time"), std::string::npos) << result->body;
}

TEST_F(ManifestAndBlobs, UnknownBlob_Returns404BlobNotFound) {
  const auto manifest = manifest_for();
  auto result = download(manifest["rootDirectory"].get<std::string>() + "/part-99999-missing.c000.json.gz?" +
                         manifest["sasToken"].get<std::string>());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "BlobNotFound");
}

TEST_F(ManifestAndBlobs, Post_Returns405) {
  const auto url = blob_url(manifest_for(), 0);
  auto result = client_->Post(path_on(fake_->base_url(), url).c_str(), "", "application/octet-stream");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
}

TEST_F(ManifestAndBlobs, SameExportTwice_GivesDifferentBlobsWithTheSameRows) {
  const auto first = manifest_for("G42");
  const auto second = manifest_for("G42");
  EXPECT_NE(first["blobs"][0]["name"], second["blobs"][0]["name"]);
  EXPECT_EQ(all_rows(first), all_rows(second));
}

// One blob large enough that its length is not within reach when its
// manifest is first read: a plain GET of it may be answered chunked from the
// pass that indexes it.
class LargeBlobFirstReads : public ManifestAndBlobs {
 protected:
  static constexpr std::uint64_t kRows = 120'000;
  Options options() override {
    auto options = ManifestAndBlobs::options();
    options.rows_per_export = kRows;
    options.rows_per_blob = kRows;
    return options;
  }
  // A request that needs the length waits for the whole pass: seconds in a
  // sanitized build.
  void SetUp() override {
    ManifestAndBlobs::SetUp();
    client_->set_read_timeout(std::chrono::minutes(5));
  }
};

TEST_F(LargeBlobFirstReads, ConcurrentFirstGetAndLaterGet_GiveTheSameBytesAndEtag) {
  const auto url = blob_url(manifest_for("G016907411", "basic"), 0);
  auto first = download(url);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  auto later = download(url);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->status, 200);
  EXPECT_EQ(later->get_header_value("Content-Length"), std::to_string(later->body.size()));
  EXPECT_TRUE(first->body == later->body);
  EXPECT_EQ(first->get_header_value("ETag"), later->get_header_value("ETag"));
  const auto text = gunzip(first->body);
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')), kRows);
}

// The Azure SDKs send x-ms-version, and some read Content-Length even from
// a GET without a range: theirs is never sent chunked.
TEST_F(LargeBlobFirstReads, ConcurrentFirstGetOfAnAzureSdk_CarriesContentLength) {
  const auto url = blob_url(manifest_for("G016907411", "basic"), 0);
  auto first = download(url, {{"x-ms-version", "2021-08-06"}});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  EXPECT_FALSE(first->has_header("Transfer-Encoding"));
  EXPECT_EQ(first->get_header_value("Content-Length"), std::to_string(first->body.size()));
}

TEST_F(LargeBlobFirstReads, ConcurrentFirstRangedGet_WaitsForTheLengthAndGivesItInContentRange) {
  const auto url = blob_url(manifest_for("G016907411", "basic"), 0);
  auto ranged = download(url, {{"x-ms-range", "bytes=0-99"}});
  ASSERT_TRUE(ranged);
  ASSERT_EQ(ranged->status, 206);
  const std::string whole = download(url)->body;
  EXPECT_EQ(ranged->get_header_value("Content-Range"), "bytes 0-99/" + std::to_string(whole.size()));
  EXPECT_TRUE(ranged->body == whole.substr(0, 100));
}

}  // namespace
}  // namespace graphfake::testing
