// Polling the operation (Graph docs, Get operation; see docs/sources.md), for each export kind.
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

class Operation : public ExportKindTest {};

TEST_P(Operation, EveryPollAnswer_MatchesItsStatusTypeAndRetryAfter) {
  const auto& run = full_export();
  ASSERT_FALSE(run.polls.empty()) << joined(run.violations);
  for (std::size_t i = 0; i < run.polls.size(); ++i) {
    SCOPED_TRACE("poll " + std::to_string(i + 1));
    EXPECT_CONFORMS(check_operation(run.polls[i], run.operation_id));
  }
}

TEST_P(Operation, Export_EndsInExportSuccessOperation) {
  const auto& run = full_export();
  EXPECT_EQ(run.operation.value("status", ""), "succeeded") << run.operation.dump();
  EXPECT_EQ(run.operation.value("@odata.type", ""), kSuccessType);
}

TEST_P(Operation, Polls_EchoClientRequestIdAndSendRequestId) {
  Session session(target());
  const auto& run = full_export();
  auto polled = session.get(run.location);
  ASSERT_TRUE(polled);
  EXPECT_CONFORMS(check_graph_headers(*polled, session.last_client_request_id()));
}

TEST_P(Operation, TerminalOperation_StaysTerminalWhenPolledAgain) {
  Session session(target());
  const auto& run = full_export();
  auto again = session.get(run.location);
  ASSERT_TRUE(again);
  EXPECT_CONFORMS(check_operation(*again, run.operation_id));
  ASSERT_TRUE(Json::accept(again->body));
  EXPECT_EQ(Json::parse(again->body).value("status", ""), run.operation.value("status", ""));
}

INSTANTIATE_TEST_SUITE_P(, Operation, ::testing::ValuesIn(kExportKinds), ReadableTestName());

TEST(OperationLookup, UnknownOperation_Returns404WithGraphEnvelope) {
  Session session(target());
  auto result =
      session.get("/" + target().version + "/reports/partners/billing/operations/00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(result);
  EXPECT_CONFORMS(check_error(*result, 404));
}

}  // namespace
}  // namespace graphfake::conformance
