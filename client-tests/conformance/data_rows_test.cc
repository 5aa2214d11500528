// The rows of every blob held to what real export files show
// (conformance/data_rows.h; docs/conformance.md, "Data rows"): a break of the
// row contract fails, and every finding is printed and recorded as a test
// property, those unlike real files marked, so a run against the real service
// says how its files are shaped.
#include <iostream>
#include <map>
#include <set>

#include "conformance/data_rows.h"
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

// The checks over every blob of `run`. A finding every blob shares is said
// once; the others, and every violation, name their blob when there are several.
DataRowsReport data_rows_of_every_blob(const ExportRun& run) {
  DataRowsReport all;
  Session session(target());
  const auto& blobs = run.manifest.at("blobs");
  std::vector<std::vector<DataFinding>> findings_by_blob;
  std::map<std::string, std::size_t> blobs_saying;  // sentence → blobs whose findings have it
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    const std::string which = blobs.size() > 1 ? "blob " + std::to_string(i) + ", " : "";
    auto result = session.download(blob_url(run.manifest, i));
    const auto text = result && result->status == 200 ? gunzipped(result->body) : std::nullopt;
    if (!text) {
      all.violations.push_back(which + "not downloaded as a gzip stream");
      continue;
    }
    auto report = check_data_rows(*text, run.request.kind, run.request.attribute_set);
    for (auto& violation : report.violations) all.violations.push_back(which + violation);
    for (const auto& finding : report.findings) ++blobs_saying[finding.sentence];
    findings_by_blob.push_back(std::move(report.findings));
    all.rows += report.rows;
  }
  std::set<std::string> said;
  for (std::size_t i = 0; i < findings_by_blob.size(); ++i) {
    for (const auto& finding : findings_by_blob[i]) {
      if (blobs_saying[finding.sentence] == blobs.size()) {
        if (said.insert(finding.sentence).second) all.findings.push_back(finding);
      } else {
        all.findings.push_back({"blob " + std::to_string(i) + ", " + finding.sentence, finding.unlike_real_files});
      }
    }
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
