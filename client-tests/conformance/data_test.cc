// Blobs and the data they hold (§4.7, §4.8, §5).
#include <set>

#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

struct Downloaded {
  std::size_t rows = 0;
  std::set<std::string> invoices;
  Violations violations;
};

// Every blob the manifest lists, read as `attribute_set` data.
Downloaded download_all(const ExportRun& run) {
  Downloaded all;
  Session session(target());
  const auto& blobs = run.manifest.at("blobs");
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    auto result = session.download(blob_url(run.manifest, i));
    const std::string which = "blob " + std::to_string(i) + ": ";
    if (!result || result->status != 200) {
      all.violations.push_back(which + "not downloaded (" +
                               (result ? "HTTP " + std::to_string(result->status) : httplib::to_string(result.error())) +
                               ")");
      continue;
    }
    auto reading = read_blob(result->body, run.attribute_set);
    for (auto& v : reading.violations) all.violations.push_back(which + v);
    // §11.5: where a manifest lists sizes, they must be the blob's.
    const Json& size = blobs[i].contains("sizeInBytes") ? blobs[i]["sizeInBytes"] : Json();
    if (size.is_number_unsigned() && size.get<std::uint64_t>() != result->body.size()) {
      all.violations.push_back(which + "sizeInBytes " + size.dump() + " is not the " +
                               std::to_string(result->body.size()) + " bytes served");
    }
    const Json& items = blobs[i].contains("itemCount") ? blobs[i]["itemCount"] : Json();
    if (items.is_number_unsigned() && items.get<std::uint64_t>() != reading.rows) {
      all.violations.push_back(which + "itemCount " + items.dump() + " is not the " + std::to_string(reading.rows) +
                               " rows it holds");
    }
    all.rows += reading.rows;
    all.invoices.insert(reading.invoice_numbers.begin(), reading.invoice_numbers.end());
  }
  return all;
}

TEST(Data, FullExport_IsGzipJsonLinesWithTheFullColumns) {
  const auto& run = shared_export("full");
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const auto all = download_all(run);
  EXPECT_CONFORMS(all.violations);
  EXPECT_GT(all.rows, 0u) << "the export has no rows; use an invoice with data (GRAPH_INVOICE_ID)";
}

TEST(Data, BasicExport_HasTheBasicColumns) {
  const auto& run = shared_export("basic");
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  EXPECT_CONFORMS(download_all(run).violations);
}

TEST(Data, Rows_BelongToTheRequestedInvoice) {
  const auto& run = shared_export("full");
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const auto all = download_all(run);
  EXPECT_EQ(all.invoices, std::set<std::string>{target().invoice_id});
}

TEST(Data, BasicColumns_AreASubsetOfTheFullColumns) {
  const auto& full = full_reconciliation_columns();
  EXPECT_EQ(full.size(), 47u);
  EXPECT_EQ(basic_reconciliation_columns().size(), 35u);
  for (const auto& column : basic_reconciliation_columns()) {
    EXPECT_NE(std::find(full.begin(), full.end(), column), full.end()) << column;
  }
}

TEST(Data, BlobWithoutSas_IsRefused) {
  const auto& run = shared_export("full");
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const std::string url = run.manifest.at("rootDirectory").get<std::string>() + "/" +
                          run.manifest.at("blobs").at(0).at("name").get<std::string>();
  Session session(target());
  auto result = session.download(url);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->status == 401 || result->status == 403 || result->status == 404 || result->status == 409)
      << "a blob without its SAS answered HTTP " << result->status;
}

}  // namespace
}  // namespace graphfake::conformance
