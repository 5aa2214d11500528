// The data-row checks against the fake in each of its data profiles
// (graphfake/dialect.h): every profile keeps the row contract, and differs
// from real export files only as the profile says it does. Observed rows are
// like real files; documented rows lack milliseconds, fixed scales and the
// ProductQualifiers array; legacy-camel reconciliation rows are in the
// legacy camelCase layout.
#include <gmock/gmock.h>

#include "conformance/data_rows.h"
#include "conformance/suite.h"
#include "graphfake/server.h"
#include "graphfake/token.h"

namespace graphfake::conformance {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct ProfileExpectation {
  DataProfile profile = DataProfile::observed;
  std::string name;
  // Parts of sentences the checks must find unlike real files; with none,
  // no sentence may be.
  std::vector<std::string> unlike_real_files;
  // Whether sentences beyond those may be unlike real files too.
  bool others_may_be_unlike = false;
};

void PrintTo(const ProfileExpectation& expectation, std::ostream* out) { *out << expectation.name; }

// What the checks say of every export of a fake speaking `profile`: the
// row contract's violations (read_blob and check_data_rows) and the findings.
DataRowsReport data_rows_of_fake(DataProfile profile) {
  Options options;
  options.clock = std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  options.dialect.data_profile = profile;
  options.rows_per_export = 60;
  Server fake(options);
  Target fake_target;
  fake_target.base_url = fake.base_url();
  fake_target.token = make_token();
  fake_target.invoice_id = "G016907411";
  fake_target.version = "v1.0";
  fake_target.max_retry_after = std::chrono::seconds(0);
  Session session(fake_target);
  DataRowsReport all;
  for (const ExportKind kind : kExportKinds) {
    for (const std::string attribute_set : {"full", "basic"}) {
      const auto run = run_export(session, kind, attribute_set);
      for (const auto& violation : run.violations) all.violations.push_back(violation);
      if (run.manifest.is_null()) continue;
      for (std::size_t i = 0; i < run.manifest.at("blobs").size(); ++i) {
        auto blob = session.download(blob_url(run.manifest, i));
        if (!blob || blob->status != 200) {
          all.violations.push_back(std::string(name_of(kind)) + " " + attribute_set + ": a blob was not downloaded");
          continue;
        }
        for (auto& violation : read_blob(blob->body, kind, attribute_set).violations) {
          all.violations.push_back(violation);
        }
        auto report = check_data_rows(gunzipped(blob->body).value_or(""), kind, attribute_set);
        for (auto& violation : report.violations) all.violations.push_back(violation);
        for (auto& finding : report.findings) all.findings.push_back(finding);
        all.rows += report.rows;
      }
    }
  }
  return all;
}

class FakeDataProfiles : public ::testing::TestWithParam<ProfileExpectation> {};

TEST_P(FakeDataProfiles, RowsKeepTheContract_AndDifferFromRealFilesOnlyAsTheProfileSays) {
  const auto report = data_rows_of_fake(GetParam().profile);
  EXPECT_GT(report.rows, 0u);
  EXPECT_THAT(report.violations, IsEmpty());
  const auto unlike = unlike_real_files(report.findings);
  if (GetParam().unlike_real_files.empty()) {
    EXPECT_THAT(unlike, IsEmpty());
  }
  for (const auto& expected : GetParam().unlike_real_files) EXPECT_THAT(unlike, Contains(HasSubstr(expected)));
  if (!GetParam().others_may_be_unlike) {
    for (const auto& sentence : unlike) {
      EXPECT_TRUE(std::any_of(GetParam().unlike_real_files.begin(), GetParam().unlike_real_files.end(),
                              [&](const std::string& expected) { return sentence.find(expected) != std::string::npos; }))
          << "unexpectedly unlike real files: " << sentence;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    , FakeDataProfiles,
    ::testing::Values(ProfileExpectation{.profile = DataProfile::observed,
                                         .name = "observed",
                                         .unlike_real_files = {},
                                         .others_may_be_unlike = false},
                      ProfileExpectation{.profile = DataProfile::documented,
                                         .name = "documented",
                                         .unlike_real_files = {"are YYYY-MM-DDThh:mm:ssZ; real files have "
                                                               "YYYY-MM-DDThh:mm:ss.fffZ (milliseconds)",
                                                               "UsageDate is YYYY-MM-DDThh:mm:ssZ; real files have "
                                                               "the date only",
                                                               "; real files give every value 32 decimal places",
                                                               "ProductQualifiers is a string holding a JSON array"},
                                         .others_may_be_unlike = true},
                      ProfileExpectation{.profile = DataProfile::legacy_camel,
                                         .name = "legacy_camel",
                                         .unlike_real_files = {"are in the legacy camelCase reconciliation layout"},
                                         .others_may_be_unlike = true}),
    [](const ::testing::TestParamInfo<ProfileExpectation>& info) { return info.param.name; });

}  // namespace
}  // namespace graphfake::conformance
