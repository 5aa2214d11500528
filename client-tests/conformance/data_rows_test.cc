// The rows of every blob held to what real export files show
// (conformance/data_rows.h; docs/conformance.md, "Data rows"): a break of the
// row contract fails, and every finding is printed and recorded as a test
// property, those unlike real files marked, so a run against the real service
// says how its files are shaped.
#include <iostream>

#include "conformance/data_rows.h"
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

// The checks over every blob of `run`, each sentence naming its blob when
// there are several.
DataRowsReport data_rows_of_every_blob(const ExportRun& run) {
  DataRowsReport all;
  Session session(target());
  const auto& blobs = run.manifest.at("blobs");
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    const std::string which = blobs.size() > 1 ? "blob " + std::to_string(i) + ", " : "";
    auto result = session.download(blob_url(run.manifest, i));
    if (!result || result->status != 200) {
      all.violations.push_back(which + "not downloaded");
      continue;
    }
    const auto text = gunzipped(result->body);
    if (!text) {
      all.violations.push_back(which + "not a gzip stream");
      continue;
    }
    auto report = check_data_rows(*text, run.request.kind, run.request.attribute_set);
    for (auto& violation : report.violations) all.violations.push_back(which + violation);
    for (auto& finding : report.findings) all.findings.push_back({which + finding.sentence, finding.unlike_real_files});
    all.rows += report.rows;
  }
  return all;
}

class DataRows : public ExportAttributeSetTest {};

TEST_P(DataRows, Rows_KeepTheRowContractAndSayHowTheyDifferFromRealFiles) {
  const auto& run = shared_run();
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  const auto report = data_rows_of_every_blob(run);
  EXPECT_CONFORMS(report.violations);
  std::cout << "Data rows of " << target().name() << ":\n";
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const auto& finding = report.findings[i];
    std::cout << (finding.unlike_real_files ? "  [unlike real files] " : "  ") << finding.sentence << "\n";
    ::testing::Test::RecordProperty("finding" + std::to_string(i), finding.sentence);
  }
}

INSTANTIATE_TEST_SUITE_P(, DataRows, each_attribute_set_of(kExportKinds), ReadableTestName());

}  // namespace
}  // namespace graphfake::conformance
