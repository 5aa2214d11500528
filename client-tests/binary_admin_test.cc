// The graphfake binary started as a separate process, as a CI job starts it,
// and asserted on through HttpAdmin with the same graphfake/testing.h
// assertions a test of the in-process fake uses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "graphfake/client/billing_client.h"
#include "graphfake/http_admin.h"
#include "graphfake/testing.h"
#include "support/child_process.h"
#include "support/http_support.h"
#include "support/recording_clock.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;
using namespace graphfake::gtest;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
namespace gc = graphfake::client;

constexpr const char* kAdminToken = "binary-admin-token";

// Two polls of running, 10 s apart, then one blob of 40 rows.
constexpr const char* kTwoRunningPolls =
    R"({"rules": [{"name": "two running polls", "timeline": [
  {"status": "running", "polls": 2, "retryAfter": "10s"},
  {"status": "succeeded", "rows": 40, "rowsPerBlob": 40}]}]})";

// A graphfake process, its ready line read, and an HttpAdmin on it.
class BinaryThroughHttpAdmin : public ::testing::Test {
 protected:
  void start(const std::string& clock) {
    child_ = std::make_unique<Child>(
        std::vector<std::string>{"--port", "0", "--seed", "7", "--clock", clock, "--admin-token", kAdminToken});
    const auto ready = Json::parse(child_->read_line());
    base_url_ = ready["base_url"];
    token_ = ready["token"];
    admin_ = std::make_unique<HttpAdmin>(base_url_, kAdminToken);
  }

  std::string operation_id_of(const std::string& location) const { return location.substr(location.rfind('/') + 1); }

  std::unique_ptr<Child> child_;
  std::string base_url_;
  std::string token_;
  std::unique_ptr<HttpAdmin> admin_;
};

TEST_F(BinaryThroughHttpAdmin, ACarefulClient_BehavedAndEveryRequestIsInTheJournal) {
  // "auto": each Retry-After the fake advertises moves its clock, so the
  // client's recorded sleeps are waits the fake has seen pass.
  start("auto");
  admin_->load_scenarios({{"two-running.json", kTwoRunningPolls}}, Admin::Load::replace);

  gc::BillingClient client(
      {.base_url = base_url_, .token = token_, .seed = 7, .clock = std::make_shared<RecordingClock>()});
  const auto location = client.start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
  const auto manifest = client.wait_for_completion(location);
  std::uint64_t rows = client.download_rows(manifest, [](const nlohmann::json&) {});

  const auto id = operation_id_of(location);
  EXPECT_EXPORT_REQUESTED(*admin_, "G016907411");
  EXPECT_POLLS(*admin_, id, 3);
  EXPECT_CLIENT_BEHAVED(*admin_);
  EXPECT_THAT(admin_->journal(), Contains(AllOf(IsPoll(), ForOperation(id), HasStatus(200))));
  EXPECT_EQ(admin_->operation(id).status, OperationStatus::succeeded);
  EXPECT_EQ(admin_->operation(id).scenario_rule, "two-running.json: two running polls");
  EXPECT_EQ(admin_->expected_totals(id).all.rows, rows);
}

TEST_F(BinaryThroughHttpAdmin, AnImpatientClient_FailsTheRetryAfterAssertionNamingItsEarlyPolls) {
  start("virtual");
  httplib::Client client(base_url_);
  const httplib::Headers auth{{"Authorization", "Bearer " + token_}, {"client-request-id", "impatient-1"}};
  const auto accepted = client.Post(kBilledExportPath, auth, R"({"invoiceId": "G016907411", "attributeSet": "full"})",
                                    "application/json");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202);
  const auto operation = path_on(base_url_, accepted->get_header_value("Location"));
  ASSERT_EQ(client.Get(operation, auth)->status, 200);
  ASSERT_EQ(client.Get(operation, auth)->status,
            200);  // at once, though told to wait

  const auto result = ClientHonouredRetryAfter("*admin_", *admin_);
  EXPECT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("1 poll before its Retry-After elapsed"));
  EXPECT_FALSE(admin_->client_report().clean());
}

TEST_F(BinaryThroughHttpAdmin, TheVirtualClock_IsMovedThroughHttpAdmin) {
  start("virtual");
  const auto started = admin_->now();
  admin_->advance_clock(90s);
  EXPECT_EQ(admin_->now(), started + 90s);
  admin_->set_clock(started);
  EXPECT_EQ(admin_->now(), started);
}

TEST_F(BinaryThroughHttpAdmin, AnInvalidScenario_ThrowsScenarioErrorWithEveryError) {
  start("virtual");
  try {
    admin_->load_scenarios({{"broken.json", R"({"rules": [{"timeline": [{"status": "done"}]}]})"}},
                           Admin::Load::replace);
    FAIL() << "no ScenarioError";
  } catch (const ScenarioError& error) {
    ASSERT_EQ(error.errors().size(), 1u);
    EXPECT_THAT(error.errors()[0], HasSubstr("broken.json: /rules/0/timeline/0/status"));
  }
  EXPECT_TRUE(admin_->scenarios().empty()) << "nothing was loaded";
}

TEST_F(BinaryThroughHttpAdmin, AnUnknownOperation_ThrowsAdminError404) {
  start("virtual");
  try {
    admin_->operation("00000000-0000-0000-0000-000000000000");
    FAIL() << "no AdminError";
  } catch (const AdminError& error) {
    EXPECT_EQ(error.status(), 404);
    EXPECT_EQ(error.code(), "operationNotFound");
  }
}

TEST_F(BinaryThroughHttpAdmin, AWrongAdminToken_ThrowsAdminError401) {
  start("virtual");
  HttpAdmin stranger(base_url_, "not-the-token");
  try {
    stranger.reset();
    FAIL() << "no AdminError";
  } catch (const AdminError& error) {
    EXPECT_EQ(error.status(), 401);
    EXPECT_EQ(error.code(), "adminTokenRequired");
  }
}

TEST_F(BinaryThroughHttpAdmin, ANamespacesBaseUrl_ReachesThatNamespaceOnly) {
  start("virtual");
  httplib::Client management(base_url_);
  const httplib::Headers admin_auth{{"Authorization", std::string("Bearer ") + kAdminToken}};
  ASSERT_EQ(management.Post("/_graphfake/namespaces", admin_auth, R"({"name": "shard-1"})", "application/json")->status,
            201);
  HttpAdmin shard(base_url_ + "/_ns/shard-1", kAdminToken);

  httplib::Client client(base_url_);
  const httplib::Headers auth{{"Authorization", "Bearer " + token_}};
  ASSERT_EQ(client
                .Post("/_ns/shard-1" + std::string(kBilledExportPath), auth, R"({"invoiceId": "G000000001"})",
                      "application/json")
                ->status,
            202);

  EXPECT_EXPORT_REQUESTED(shard, "G000000001");
  EXPECT_EQ(shard.operations().size(), 1u);
  EXPECT_TRUE(admin_->operations().empty());
}

TEST_F(BinaryThroughHttpAdmin, ALongJournal_IsReadWholePageAfterPage) {
  start("virtual");
  httplib::Client client(base_url_);
  for (int i = 0; i < 1'050; ++i) ASSERT_EQ(client.Get("/no/such/path")->status, 404);
  const auto journal = admin_->journal({.endpoint = Endpoint::unmatched});
  ASSERT_EQ(journal.size(), 1'050u);
  EXPECT_EQ(journal.front().sequence, 1u);
  EXPECT_EQ(journal.back().sequence, 1'050u);
  EXPECT_EQ(admin_->count({.endpoint = Endpoint::unmatched}), 1'050u);
}

}  // namespace
}  // namespace graphfake::testing
