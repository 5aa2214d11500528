// The target's answers to the open questions (docs/conformance.md). Where the
// service's behaviour is unknown the contract accepts every plausible answer;
// this test reports which one the target gave, and fails only on an answer the
// fake cannot be switched to give. Against the real service its output is the
// list of graphfake flags that make the fake answer the same way.
//
// It POSTs one extra export with Microsoft's sample body ({"InvoiceId": …,
// "AttributeSet": "Full"}) to learn whether PascalCase binds (Q14).
#include <iostream>

#include "conformance/answers.h"
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

TEST(OpenQuestions, EveryAnswerOfTheTargetIsOneTheFakeCanGive) {
  // Its questions are about reconciliation data and billed request bodies.
  SKIP_UNLESS_ASKED_FOR(ExportKind::billed_reconciliation);
  const auto& run = shared_export(ExportKind::billed_reconciliation, "full");
  ASSERT_FALSE(run.manifest.is_null()) << joined(run.violations);
  Session session(target());
  auto blob = session.download(blob_url(run.manifest, 0));
  ASSERT_TRUE(blob && blob->status == 200) << "the first blob could not be downloaded";
  const Json sample_body = {{"InvoiceId", target().invoice_id}, {"AttributeSet", "Full"}};
  auto pascal = session.post(export_path(ExportKind::billed_reconciliation, target().version), sample_body.dump());
  ASSERT_TRUE(pascal) << "the PascalCase export got no response";

  const auto answers = answers_of(run, blob->body, pascal->status);
  std::cout << "Answers of " << target().name() << " to the open questions:\n";
  for (const auto& answer : answers) {
    std::cout << "  " << answer.question << ": " << answer.answer;
    if (!answer.how_the_fake_gives_it.empty()) std::cout << "  [fake: " << answer.how_the_fake_gives_it << "]";
    std::cout << "\n";
    ::testing::Test::RecordProperty(answer.question, answer.answer);
    EXPECT_TRUE(answer.fake_can_give_it) << answer.question << ": the target answers " << answer.answer
                                         << ", and nothing in the fake gives that answer";
  }
  std::cout << "graphfake flags for these answers:" << (graphfake_flags_for(answers).empty() ? " (none)" : " ")
            << graphfake_flags_for(answers) << "\n";
}

}  // namespace
}  // namespace graphfake::conformance
