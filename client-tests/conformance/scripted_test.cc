// What only a scripted server can show on demand (a failedOperation, Graph
// docs, Get operation; a 429, Graph docs, Microsoft Graph throttling
// guidance). Skipped against servers this process cannot script.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "conformance/suite.h"
#include "graphfake/server.h"
#include "graphfake/token.h"

namespace graphfake::conformance {
namespace {

// A fake of its own, following `scenario`, as a target.
class ScriptedFake {
 public:
  explicit ScriptedFake(const std::string& scenario)
      : file_(std::filesystem::temp_directory_path() /
              ("graphfake-conformance-" + std::to_string(getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json")) {
    std::ofstream(file_) << scenario;
    Options options;
    options.scenario_paths = {file_.string()};
    options.clock = std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
    fake_ = std::make_unique<Server>(options);
    target_.base_url = fake_->base_url();
    target_.token = make_token();
    target_.invoice_id = "G016907411";
    target_.version = "v1.0";
    target_.in_process = true;
    target_.max_retry_after = std::chrono::seconds(0);
  }
  ~ScriptedFake() { std::filesystem::remove(file_); }

  const Target& target() const { return target_; }

 private:
  std::filesystem::path file_;
  std::unique_ptr<Server> fake_;
  Target target_;
};

TEST(Scripted, FailedExport_EndsInFailedOperationCarryingItsError) {
  SKIP_UNLESS_IN_PROCESS();
  const ScriptedFake fake(R"({"rules": [{"timeline": [{"status": "running", "polls": 1},
    {"status": "failed", "error": {"code": "5000", "message": "No data available"}}]}]})");
  Session session(fake.target());
  const auto run = run_export(session, ExportKind::billed_reconciliation, "full");
  EXPECT_CONFORMS(run.violations);
  EXPECT_EQ(run.operation.value("@odata.type", ""), kFailedType);
  EXPECT_EQ(run.operation["error"].value("code", ""), "5000");
  EXPECT_EQ(run.operation["error"].value("message", ""), "No data available");
}

TEST(Scripted, ThrottledExport_Returns429WithIntegerRetryAfterAndGraphEnvelope) {
  SKIP_UNLESS_IN_PROCESS();
  const ScriptedFake fake(R"({"rules": [{"faults": [{"on": "export", "status": 429, "retryAfter": "7s"}]}]})");
  Session session(fake.target());
  auto refused =
      session.post(export_path(ExportKind::billed_reconciliation, "v1.0"), R"({"invoiceId": "G016907411"})");
  ASSERT_TRUE(refused);
  EXPECT_CONFORMS(check_error(*refused, 429));
  EXPECT_EQ(refused->get_header_value("Retry-After"), "7");
  EXPECT_CONFORMS(check_graph_headers(*refused, session.last_client_request_id()));
}

TEST(Scripted, SlowExport_AdvertisesRetryAfterOnEveryRunningPoll) {
  SKIP_UNLESS_IN_PROCESS();
  const ScriptedFake fake(R"({"rules": [{"timeline": [{"status": "notStarted", "after": "30s", "retryAfter": "10s"},
    {"status": "running", "after": "2m", "retryAfter": "30s"}, {"status": "succeeded"}]}]})");
  Session session(fake.target());
  const auto run = run_export(session, ExportKind::billed_reconciliation, "basic");
  EXPECT_CONFORMS(run.violations);
  ASSERT_GE(run.polls.size(), 3u);
  EXPECT_EQ(run.polls.front().get_header_value("Retry-After"), "10");
  EXPECT_EQ(run.polls[run.polls.size() - 2].get_header_value("Retry-After"), "30");
}

}  // namespace
}  // namespace graphfake::conformance
