// Blobs and the data they hold (Graph docs, manifest resource type and
// attributeSet enum type; see docs/sources.md), for each export kind.
#include <algorithm>
#include <set>

#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

struct Downloaded {
  std::size_t rows = 0;
  std::set<std::string> invoices;
  Violations violations;
};

// Every blob the manifest lists, read as data of the run's kind and attribute set.
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
    auto reading = read_blob(result->body, run.request.kind, run.request.attribute_set);
    for (auto& v : reading.violations) all.violations.push_back(which + v);
    // Q5 (docs/conformance.md): where a manifest lists sizes, they must be the blob's.
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

class Data : public ExportAttributeSetTest {};
class BilledData : public ExportKindTest {};
class UnbilledData : public ExportKindTest {};
class ColumnLists : public ::testing::TestWithParam<ExportKind> {};

TEST_P(Data, Blobs_AreGzipJsonLinesWithTheColumnsOfTheAttributeSet) {
  const auto& run = shared_run();
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const auto all = download_all(run);
  EXPECT_CONFORMS(all.violations);
  EXPECT_GT(all.rows, 0u) << "the export has no rows; ask for "
                          << (is_billed(kind()) ? "an invoice with data (GRAPH_INVOICE_ID)"
                                                : "a currency and period with data (GRAPH_CURRENCY_CODE, "
                                                  "GRAPH_BILLING_PERIOD)")
                          << " or leave " << name_of(kind()) << " out of GRAPH_EXPORT_KINDS";
}

TEST_P(Data, BlobWithoutSas_IsRefused) {
  const auto& run = shared_run();
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const std::string url = run.manifest.at("rootDirectory").get<std::string>() + "/" +
                          run.manifest.at("blobs").at(0).at("name").get<std::string>();
  Session session(target());
  auto result = session.download(url);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->status == 401 || result->status == 403 || result->status == 404 || result->status == 409)
      << "a blob without its SAS answered HTTP " << result->status;
}

TEST_P(BilledData, BilledRows_BelongToTheRequestedInvoice) {
  const auto& run = full_export();
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  EXPECT_EQ(download_all(run).invoices, std::set<std::string>{target().invoice_id});
}

TEST_P(UnbilledData, UnbilledRows_HaveNoInvoiceNumber) {
  const auto& run = full_export();
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  // Q8: empty, null or left out; only an empty string is collected.
  const auto invoices = download_all(run).invoices;
  EXPECT_TRUE(invoices.empty() || invoices == std::set<std::string>{""})
      << "unbilled rows carry the invoice numbers " << ::testing::PrintToString(invoices);
}

TEST_P(ColumnLists, BasicColumns_AreASubsetOfTheFullColumns) {
  const auto& full = columns_of(GetParam(), "full");
  for (const auto& column : columns_of(GetParam(), "basic")) {
    EXPECT_NE(std::find(full.begin(), full.end(), column), full.end()) << column;
  }
}

TEST_P(ColumnLists, FullAndBasicColumns_HaveTheDocumentedCounts) {
  // Graph docs, attributeSet enum type counts them.
  const auto [full, basic] = is_usage(GetParam()) ? std::pair(54u, 30u) : std::pair(47u, 35u);
  EXPECT_EQ(columns_of(GetParam(), "full").size(), full);
  EXPECT_EQ(columns_of(GetParam(), "basic").size(), basic);
}

INSTANTIATE_TEST_SUITE_P(, Data, each_attribute_set_of(kExportKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, BilledData, ::testing::ValuesIn(kBilledKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, UnbilledData, ::testing::ValuesIn(kUnbilledKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, ColumnLists, ::testing::ValuesIn(kExportKinds), ReadableTestName());

}  // namespace
}  // namespace graphfake::conformance
