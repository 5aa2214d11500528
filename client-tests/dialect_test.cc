// Where the real service's behaviour is unknown, Options::dialect selects the
// other plausible answer. Each test starts the fake with one switch turned and
// reads the answer off the wire, as a client would meet it.
#include "support/http_support.h"

namespace graphfake::testing {
namespace {

class DialectTest : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.dialect = dialect_;
    options.rows_per_export = 30;
    options.rows_per_blob = 12;
    return options;
  }

  // Restarts the fake with `dialect`.
  void speak(const Dialect& dialect) {
    dialect_ = dialect;
    TearDown();
    SetUp();
  }

  Json succeeded() { return poll_to_completion(start_export()); }

  std::string download(const Json& manifest, std::size_t index) {
    auto result = get_unauthenticated(blob_url(manifest, index));
    if (!result || result->status != 200) {
      ADD_FAILURE() << "blob " << index << " was not served";
      return {};
    }
    return result->body;
  }

  std::vector<Json> first_blob_rows() {
    const auto manifest = succeeded()["resourceLocation"];
    return json_lines(gunzip(download(manifest, 0)));
  }

  Dialect dialect_{};
};

TEST_F(DialectTest, ByDefaultTheManifestShowsWhatRealManifestsShow) {
  const auto manifest = succeeded()["resourceLocation"];
  EXPECT_EQ(manifest["dataFormat"], "compressedJSON");
  EXPECT_EQ(manifest["schemaVersion"], "2");
  EXPECT_EQ(manifest["partitionType"], "default");
  EXPECT_EQ(manifest["blobs"][0].size(), 2u) << manifest["blobs"][0].dump();
}

TEST_F(DialectTest, DataFormatCompressedJsonLinesIsWhatTheManifestSays) {
  speak({.data_format = Dialect::DataFormat::compressed_json_lines});
  EXPECT_EQ(succeeded()["resourceLocation"]["dataFormat"], "compressedJSONLines");
}

TEST_F(DialectTest, DocumentedManifestLiteralsAreSchemaVersion1AndPartitionTypeDefault) {
  speak({.manifest_literals = Dialect::ManifestLiterals::documented});
  const auto manifest = succeeded()["resourceLocation"];
  EXPECT_EQ(manifest["schemaVersion"], "1");
  EXPECT_EQ(manifest["partitionType"], "Default");
}

TEST_F(DialectTest, ManifestReadThroughTheNavigationLinkSpeaksTheSameDialect) {
  speak({.data_format = Dialect::DataFormat::compressed_json_lines,
         .manifest_literals = Dialect::ManifestLiterals::documented,
         .blob_sizes = true});
  const auto operation = succeeded();
  auto linked = get(operation["resourceLocation@odata.navigationLink"].get<std::string>());
  ASSERT_TRUE(linked && linked->status == 200);
  auto manifest = Json::parse(linked->body);
  manifest.erase("@odata.context");
  auto inline_manifest = operation["resourceLocation"];
  // Each read mints its own SAS; everything else must agree.
  manifest.erase("sasToken");
  inline_manifest.erase("sasToken");
  EXPECT_EQ(manifest, inline_manifest);
}

TEST_F(DialectTest, BlobSizesAreTheLengthAndRowCountOfEachBlobAsServed) {
  speak({.blob_sizes = true});
  const auto manifest = succeeded()["resourceLocation"];
  ASSERT_EQ(manifest["blobs"].size(), 3u);
  std::uint64_t rows = 0;
  for (std::size_t i = 0; i < manifest["blobs"].size(); ++i) {
    const auto& blob = manifest["blobs"][i];
    const auto bytes = download(manifest, i);
    EXPECT_EQ(blob["sizeInBytes"], bytes.size()) << blob.dump();
    EXPECT_EQ(blob["itemCount"], json_lines(gunzip(bytes)).size()) << blob.dump();
    rows += blob["itemCount"].get<std::uint64_t>();
  }
  EXPECT_EQ(rows, 30u);
}

TEST_F(DialectTest, CamelCaseDataKeysAreWhatTheBlobsCarry) {
  speak({.data_profile = DataProfile::documented, .data_keys = Dialect::KeyCase::camel});
  const auto rows = first_blob_rows();
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(rows[0].contains("partnerId"));
  EXPECT_TRUE(rows[0].contains("pcToBCExchangeRate"));
  EXPECT_FALSE(rows[0].contains("PartnerId"));
  EXPECT_EQ(rows[0].size(), 47u);
}

TEST_F(DialectTest, NumbersAsStringsAreQuotedInTheBlobs) {
  speak({.data_numbers = Dialect::Numbers::strings});
  for (const auto& row : first_blob_rows()) {
    for (const char* column : {"UnitPrice", "Quantity", "Subtotal", "TaxTotal", "Total", "PCToBCExchangeRate"}) {
      EXPECT_TRUE(row.at(column).is_string()) << column << " = " << row.at(column);
    }
  }
}

TEST_F(DialectTest, ProductQualifiersAsArrayIsAJsonArrayInTheBlobs) {
  speak({.data_profile = DataProfile::documented, .product_qualifiers = Dialect::ProductQualifiers::array});
  for (const auto& row : first_blob_rows()) EXPECT_TRUE(row.at("ProductQualifiers").is_array()) << row.dump();
}

TEST_F(DialectTest, ProductQualifiersAsTextIsAStringInTheObservedProfilesBlobs) {
  speak({.product_qualifiers = Dialect::ProductQualifiers::text});
  for (const auto& row : first_blob_rows()) EXPECT_TRUE(row.at("ProductQualifiers").is_string()) << row.dump();
}

TEST_F(DialectTest, ByDefaultBlobsHaveTheGzipHeaderAndLinesOfRealExportFiles) {
  const auto manifest = succeeded()["resourceLocation"];
  const std::string bytes = download(manifest, 0);
  ASSERT_GE(bytes.size(), 10u);
  const std::string header = bytes.substr(0, 10);
  EXPECT_EQ(header, std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10))
      << "deflate, FLG 0, MTIME 0, XFL 0, OS 3";
  const std::string text = gunzip(bytes);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find("\n\n"), std::string::npos);
  for (const auto& row : json_lines(text)) {
    EXPECT_TRUE(row.at("ProductQualifiers").is_array()) << row.dump();
    EXPECT_TRUE(row.at("PriceAdjustmentDescription").is_string()) << row.dump();
    EXPECT_EQ(row.at("OrderDate").get<std::string>().size(), 24u) << "YYYY-MM-DDThh:mm:ss.fffZ";
    EXPECT_EQ(row.size(), row.at("ProductCategory") == "Azure" ? 45u : 47u) << row.dump();
  }
}

TEST_F(DialectTest, DocumentedDataProfileWritesTheDocumentedColumnsInShortestForm) {
  speak({.data_profile = DataProfile::documented});
  const auto rows = first_blob_rows();
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_EQ(row.size(), 47u) << row.dump();
    EXPECT_TRUE(row.at("ProductQualifiers").is_string()) << row.dump();
    EXPECT_EQ(row.at("ChargeStartDate").get<std::string>().size(), 20u) << "YYYY-MM-DDThh:mm:ssZ";
  }
}

TEST_F(DialectTest, LegacyCamelDataProfileRenamesTheReconciliationColumns) {
  speak({.data_profile = DataProfile::legacy_camel});
  const auto rows = first_blob_rows();
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_TRUE(row.contains("totalForCustomer")) << row.dump();
    EXPECT_TRUE(row.contains("resellerMpnId")) << row.dump();
    EXPECT_FALSE(row.contains("Total")) << row.dump();
  }
}

TEST_F(DialectTest, PascalCaseRequestBodyIsRefusedByDefault) {
  auto result = post_json(kBilledExportPath, R"({"InvoiceId":"G016907411","AttributeSet":"Full"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "BadRequest");
}

TEST_F(DialectTest, CaseInsensitiveRequestsAcceptMicrosoftsSampleBody) {
  speak({.data_profile = DataProfile::documented, .case_insensitive_requests = true});
  auto result = post_json(kBilledExportPath, R"({"InvoiceId":"G016907411","AttributeSet":"Basic"})");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 202) << result->body;
  const auto manifest = poll_to_completion(result->get_header_value("Location"))["resourceLocation"];
  EXPECT_NE(manifest["rootDirectory"].get<std::string>().find("/Fragment=basic/"), std::string::npos);
  const auto rows = json_lines(gunzip(download(manifest, 0)));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].size(), 35u);
  EXPECT_EQ(rows[0]["InvoiceNumber"], "G016907411");
}

TEST_F(DialectTest, CaseInsensitiveRequestsStillAnswerAnAmbiguousBodyWithTheEnvelope) {
  speak({.case_insensitive_requests = true});
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1","InvoiceId":"G2"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  const auto error = Json::parse(result->body)["error"];
  EXPECT_EQ(error["message"], "The parameter 'invoiceId' is given twice, as 'InvoiceId' and as 'invoiceId'.");
  EXPECT_TRUE(error["innerError"].contains("request-id"));
}

TEST_F(DialectTest, DocumentedTimestampsAreTheDocumentationsMix) {
  speak({.operation_timestamps = Dialect::Timestamps::documented});
  const auto location = start_export();
  auto result = get(location);
  ASSERT_TRUE(result && result->status == 200);
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["createdDateTime"], "2025-01-01T00:00:00");
  EXPECT_EQ(body["lastActionDateTime"], "2025-01-01T00:00:00.0000000Z");
}

}  // namespace
}  // namespace graphfake::testing
