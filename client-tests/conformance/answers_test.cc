// The open-question report's own tests: the fake started in each dialect
// must be read back as that dialect, flags and all, and an answer no switch
// gives must be called out.
#include <gtest/gtest.h>

#include "conformance/answers.h"
#include "graphfake/server.h"
#include "graphfake/token.h"

namespace graphfake::conformance {
namespace {

using namespace std::chrono_literals;

class Answers : public ::testing::Test {
 protected:
  // The answers of a fake speaking `dialect`, read the way the suite reads them.
  std::vector<Answer> answers_of_fake(const Dialect& dialect) {
    Options options;
    options.clock = std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
    options.dialect = dialect;
    options.rows_per_export = 20;
    Server fake(options);
    Target target;
    target.base_url = fake.base_url();
    target.token = make_token();
    target.invoice_id = "G016907411";
    target.version = "v1.0";
    target.max_retry_after = 0s;
    Session session(target);
    const auto run = run_export(session, ExportKind::billed_reconciliation, "full");
    EXPECT_TRUE(run.violations.empty()) << joined(run.violations);
    auto blob = session.download(blob_url(run.manifest, 0));
    EXPECT_TRUE(blob && blob->status == 200);
    const Json sample_body = {{"InvoiceId", target.invoice_id}, {"AttributeSet", "Full"}};
    auto pascal = session.post(export_path(ExportKind::billed_reconciliation, target.version), sample_body.dump());
    EXPECT_TRUE(pascal);
    return answers_of(run, blob ? blob->body : "", pascal ? std::optional<int>(pascal->status) : std::nullopt);
  }
};

TEST_F(Answers, TheDefaultFakeNeedsNoFlags) {
  const auto answers = answers_of_fake(Dialect{});
  EXPECT_EQ(graphfake_flags_for(answers), "");
  for (const auto& answer : answers) {
    EXPECT_TRUE(answer.fake_can_give_it) << answer.question;
    EXPECT_EQ(answer.how_the_fake_gives_it, "") << answer.question << ": " << answer.answer;
  }
}

TEST_F(Answers, EveryOtherAnswerIsReadBackAsTheFlagThatGivesIt) {
  const Dialect dialect{.data_format = Dialect::DataFormat::compressed_json_lines,
                        .manifest_literals = Dialect::ManifestLiterals::documented,
                        .blob_sizes = true,
                        .data_keys = Dialect::KeyCase::camel,
                        .data_numbers = Dialect::Numbers::strings,
                        .product_qualifiers = Dialect::ProductQualifiers::text,
                        .case_insensitive_requests = true,
                        .operation_timestamps = Dialect::Timestamps::documented};
  EXPECT_EQ(graphfake_flags_for(answers_of_fake(dialect)),
            "--data-format compressedJSONLines --manifest-literals documented --blob-sizes --data-keys camelCase "
            "--data-numbers string --product-qualifiers text --case-insensitive-requests --timestamps documented");
}

TEST_F(Answers, LowercaseKeysAreToldApartFromCamelCase) {
  EXPECT_EQ(graphfake_flags_for(answers_of_fake({.data_keys = Dialect::KeyCase::lower})),
            "--data-keys lowercase");
}

TEST(AnswersOf, AnAnswerNoSwitchGivesIsCalledOut) {
  ExportRun run;
  run.operation = {{"status", "succeeded"}, {"createdDateTime", "2025-01-01T00:00:00Z"}};
  run.manifest = {{"dataFormat", "parquet"}, {"schemaVersion", "3"}, {"partitionType", "default"}, {"blobs", Json::array()}};
  const auto answers = answers_of(run, "", std::nullopt);
  std::vector<std::string> unmatched;
  for (const auto& answer : answers) {
    if (!answer.fake_can_give_it) unmatched.push_back(answer.question + " = " + answer.answer);
  }
  EXPECT_EQ(unmatched, (std::vector<std::string>{"Q3 dataFormat = \"parquet\"",
                                                 "Q4 schemaVersion / partitionType = \"3\" / \"default\"",
                                                 "Q9 data files = the first blob has no row to tell by",
                                                 "Q10 reconciliation blob layout = absent"}));
}

TEST(AnswersOf, LegacyCamelCaseReconciliationRowsAreReadAsTheLegacyLayout) {
  ExportRun run;
  run.request.kind = ExportKind::billed_reconciliation;
  const Json row = {{"partnerId", "p"}, {"resellerMpnId", "0"}, {"pcToBCExchangeRate", 1}, {"totalForCustomer", 1}};
  std::string answered;
  for (const auto& answer : answers_of(run, gzipped(row.dump() + "\n"), std::nullopt)) {
    if (answer.question == "Q9 data key casing") answered = answer.answer + " [" + answer.how_the_fake_gives_it + "]";
  }
  EXPECT_EQ(answered, "the legacy camelCase reconciliation layout (resellerMpnId) [--data-profile legacy-camel]");
}

TEST(AnswersOf, RetryAfterOnTheAcceptedExportIsSomethingTheFakeNeverSends) {
  ExportRun run;
  run.accepted.set_header("Retry-After", "10");
  bool called_out = false;
  for (const auto& answer : answers_of(run, "", std::nullopt)) {
    if (answer.question == "Q13 Retry-After on the 202") called_out = !answer.fake_can_give_it;
  }
  EXPECT_TRUE(called_out);
}

}  // namespace
}  // namespace graphfake::conformance
