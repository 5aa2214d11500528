// The client-behaviour report (Admin::client_report, GET /_graphfake/report)
// and the "earlyPolls" scenario policy, against a running fake whose virtual
// clock moves only when the test moves it.
#include <chrono>
#include <string>

#include "graphfake/admin.h"
#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTwentyMinutesThrottled = R"({"rules": [{"name": "patience", "earlyPolls": "throttle",
  "timeline": [
  {"status": "running", "polls": 2, "retryAfter": "20m"},
  {"status": "succeeded", "rows": 10}]}]})";

class ClientReportHttp : public FakeTest {
 protected:
  Admin& admin() { return fake_->admin(); }

  void load(const std::string& name, const std::string& text) {
    admin().load_scenarios({{name, text}}, Admin::Load::replace);
  }

  // Polls `location` and checks the answer was 200; returns its body.
  Json poll_ok(const std::string& location, httplib::Headers extra = {}) {
    auto result = get(location, std::move(extra));
    if (!result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    EXPECT_EQ(result->status, 200) << result->body;
    return Json::parse(result->body);
  }

  static httplib::Headers with_client_request_id() { return {{"client-request-id", kClientRequestId}}; }

  // The sequence number of the latest journal entry.
  std::uint64_t last_sequence() {
    const auto entries = admin().journal();
    return entries.empty() ? 0 : entries.back().sequence;
  }

  // Polls once at t0 (running, Retry-After 30 s), then 12 s later: 18 s early.
  std::string impatient_client() {
    load("two-slow-polls.json", kTwoSlowPolls);
    const auto location = start_export();
    poll_ok(location);
    clock_->advance(12s);
    poll_ok(location);
    return location;
  }
};

// --- who is flagged ---------------------------------------------------------------

TEST_F(ClientReportHttp, ImpatientClient_IsFlaggedWithHowEarlyEachPollWas) {
  const auto location = impatient_client();
  const auto second_poll = last_sequence();

  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  const auto& operation = report.operations[0];
  EXPECT_EQ(operation.operation_id, operation_id_of(location));
  EXPECT_EQ(operation.location, location);
  EXPECT_EQ(operation.polls, 2u);
  ASSERT_EQ(operation.early_polls.size(), 1u);
  EXPECT_EQ(operation.early_polls[0].sequence, second_poll);
  EXPECT_EQ(operation.early_polls[0].early_by, 18000ms);
  EXPECT_FALSE(operation.honoured_retry_after());
  EXPECT_FALSE(report.honoured_retry_after());
  EXPECT_FALSE(report.clean());
}

TEST_F(ClientReportHttp, PatientClient_GetsACleanReport) {
  load("two-slow-polls.json", kTwoSlowPolls);
  const Json body = {{"invoiceId", "G016907411"}, {"attributeSet", "full"}};
  auto exported = post_json(kBilledExportPath, body.dump(), with_client_request_id());
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 202) << exported->body;
  const auto location = exported->get_header_value("Location");
  ASSERT_FALSE(location.empty());

  std::string status;
  int polls = 0;
  for (; polls < 10; ++polls) {
    auto result = get(location, with_client_request_id());
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    status = Json::parse(result->body)["status"];
    if (status == "succeeded" || status == "failed") break;
    ASSERT_TRUE(result->has_header("Retry-After"));
    clock_->advance(std::chrono::seconds(std::stoi(result->get_header_value("Retry-After"))));
  }
  ASSERT_EQ(status, "succeeded");

  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  const auto& operation = report.operations[0];
  EXPECT_EQ(operation.location, location);
  EXPECT_EQ(operation.polls, 3u);
  EXPECT_TRUE(operation.early_polls.empty());
  EXPECT_EQ(operation.polls_after_success, 0u);
  EXPECT_EQ(operation.failed_operation_retries, 0u);
  EXPECT_EQ(operation.polls_to_other_url, 0u);
  EXPECT_EQ(operation.ignored_429s, 0u);
  EXPECT_EQ(operation.requests_without_client_request_id, 0u);
  EXPECT_TRUE(operation.clean());
  EXPECT_EQ(report.graph_requests, 4u);
  EXPECT_EQ(report.requests_without_client_request_id, 0u);
  EXPECT_EQ(report.ignored_export_429s, 0u);
  EXPECT_EQ(report.journal_dropped, 0u);
  EXPECT_TRUE(report.honoured_retry_after());
  EXPECT_TRUE(report.clean());
}

TEST_F(ClientReportHttp, ClientWithoutClientRequestId_IsCountedForEveryGraphRequest) {
  impatient_client();
  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  EXPECT_EQ(report.operations[0].requests_without_client_request_id, 3u);
  EXPECT_EQ(report.requests_without_client_request_id, 3u);
  EXPECT_EQ(report.graph_requests, 3u);
}

TEST_F(ClientReportHttp, PollsAfterSucceeded_AreCounted) {
  const auto location = start_export();
  ASSERT_EQ(poll_to_completion(location)["status"], "succeeded");
  poll_ok(location);
  poll_ok(location);
  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  EXPECT_EQ(report.operations[0].polls_after_success, 2u);
}

TEST_F(ClientReportHttp, PollToTheBetaPathOfAV1Operation_IsAPollToAnotherUrl) {
  const auto location = start_export();
  auto result = get("/beta/reports/partners/billing/operations/" + operation_id_of(location));
  ASSERT_TRUE(result);
  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  EXPECT_EQ(report.operations[0].polls_to_other_url, 1u);
}

// --- earlyPolls: serve (the default) ----------------------------------------------

TEST_F(ClientReportHttp, ServePolicy_EarlyPollIsServedAndStillFlagged) {
  load("two-slow-polls.json", kTwoSlowPolls);
  const auto location = start_export();
  poll_ok(location);

  auto early = get(location);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 200) << early->body;
  EXPECT_EQ(Json::parse(early->body)["status"], "running");
  EXPECT_EQ(early->get_header_value("Retry-After"), "30");

  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  ASSERT_EQ(report.operations[0].early_polls.size(), 1u);
  EXPECT_EQ(report.operations[0].early_polls[0].early_by, 30000ms);
  EXPECT_EQ(report.operations[0].ignored_429s, 0u);
  EXPECT_FALSE(report.honoured_retry_after());
}

TEST_F(ClientReportHttp, ServePolicy_EarlyPollMovesTheOperationOn) {
  load("two-slow-polls.json", kTwoSlowPolls);
  const auto location = start_export();
  poll_ok(location);
  poll_ok(location);
  EXPECT_EQ(poll_ok(location)["status"], "succeeded");
}

// --- earlyPolls: throttle ---------------------------------------------------------

TEST_F(ClientReportHttp, ThrottlePolicy_EarlyPollGets429WithThePhasesRetryAfter) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);

  auto early = get(location);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 429) << early->body;
  EXPECT_EQ(early->get_header_value("Retry-After"), "30");
  EXPECT_EQ(early->get_header_value_count("Retry-After"), 1u);
  EXPECT_EQ(Json::parse(early->body)["error"]["code"], "TooManyRequests") << early->body;
}

TEST_F(ClientReportHttp, ThrottlePolicy_SecondEarlyPollInARowIsToldToWaitTwiceAsLong) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);

  auto first = get(location);
  auto second = get(location);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 429);
  EXPECT_EQ(first->get_header_value("Retry-After"), "30");
  EXPECT_EQ(second->status, 429);
  EXPECT_EQ(second->get_header_value("Retry-After"), "60");
}

TEST_F(ClientReportHttp, ThrottlePolicy_ThrottledPollsDoNotUseUpAPollNumberedFault) {
  load("strict-and-flaky.json", R"({"rules": [{"name": "strict and flaky", "earlyPolls": "throttle",
    "timeline": [{"status": "running", "polls": 3, "retryAfter": "10s"}, {"status": "succeeded", "rows": 10}],
    "faults": [{"on": "poll", "polls": [2], "status": 503}]}]})");
  const auto location = start_export();
  poll_ok(location);
  ASSERT_EQ(get(location)->status, 429);
  clock_->advance(20s);
  EXPECT_EQ(get(location)->status, 503) << "the second poll the timeline answers is the scripted one";
}

TEST_F(ClientReportHttp, ThrottlePolicy_AfterAScriptedBodyFault_ThePollsRetryAfterStillHolds) {
  load("strict-and-garbled.json", R"({"rules": [{"name": "strict and garbled", "earlyPolls": "throttle",
    "timeline": [{"status": "running", "polls": 3, "retryAfter": "10s"}, {"status": "succeeded", "rows": 10}],
    "faults": [{"on": "poll", "polls": [1], "body": "notJson"}]}]})");
  const auto location = start_export();
  const auto garbled = get(location);
  ASSERT_TRUE(garbled);
  ASSERT_EQ(garbled->get_header_value("Retry-After"), "10") << "the garbled answer still advertises a wait";
  EXPECT_EQ(get(location)->status, 429) << "so a poll at once is early";
  EXPECT_FALSE(admin().client_report().honoured_retry_after());
}

TEST_F(ClientReportHttp, ThrottlePolicy_ThrottledPollsDoNotMoveTheOperation) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  const auto id = operation_id_of(location);
  poll_ok(location);
  const auto before = admin().operation(id);
  ASSERT_EQ(before.status, OperationStatus::running);
  ASSERT_EQ(before.phase, 0u);

  ASSERT_EQ(get(location)->status, 429);
  ASSERT_EQ(get(location)->status, 429);

  const auto after = admin().operation(id);
  EXPECT_EQ(after.status, OperationStatus::running);
  EXPECT_EQ(after.phase, 0u);
  EXPECT_EQ(after.history.size(), before.history.size());
  EXPECT_EQ(after.polls, 3u);  // every poll is counted, throttled ones included
  // Had the throttled polls counted as the phase's polls, this would be the
  // third and say succeeded.
  clock_->advance(60s);
  EXPECT_EQ(poll_ok(location)["status"], "running");
}

TEST_F(ClientReportHttp, ThrottlePolicy_PollAfterWaitingOutThe429IsServed) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);
  ASSERT_EQ(get(location)->status, 429);   // told 30 s
  ASSERT_EQ(get(location)->status, 429);   // told 60 s

  clock_->advance(60s);
  auto served = get(location);
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200) << served->body;
  EXPECT_EQ(Json::parse(served->body)["status"], "running");
  EXPECT_EQ(served->get_header_value("Retry-After"), "30");

  clock_->advance(30s);
  EXPECT_EQ(poll_ok(location)["status"], "succeeded");
}

TEST_F(ClientReportHttp, ThrottlePolicy_WaitIsBackToThePhasesAfterAServedPoll) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);
  ASSERT_EQ(get(location)->status, 429);
  ASSERT_EQ(get(location)->status, 429);
  clock_->advance(60s);
  poll_ok(location);

  auto early = get(location);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 429);
  EXPECT_EQ(early->get_header_value("Retry-After"), "30");
}

TEST_F(ClientReportHttp, ThrottlePolicy_WaitDoublingIsCappedAtAnHour) {
  load("patience.json", kTwentyMinutesThrottled);
  const auto location = start_export();
  poll_ok(location);
  EXPECT_EQ(get(location)->get_header_value("Retry-After"), "1200");
  EXPECT_EQ(get(location)->get_header_value("Retry-After"), "2400");
  EXPECT_EQ(get(location)->get_header_value("Retry-After"), "3600");
  EXPECT_EQ(get(location)->get_header_value("Retry-After"), "3600");
}

TEST_F(ClientReportHttp, ThrottlePolicy_ThrottledPollsAreFlaggedAndIgnoring429sCounted) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);
  ASSERT_EQ(get(location)->status, 429);  // 30 s early
  clock_->advance(10s);
  ASSERT_EQ(get(location)->status, 429);  // 20 s early, and ignores the 429 it was given

  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  const auto& operation = report.operations[0];
  EXPECT_EQ(operation.polls, 3u);
  ASSERT_EQ(operation.early_polls.size(), 2u);
  EXPECT_EQ(operation.early_polls[0].early_by, 30000ms);
  EXPECT_EQ(operation.early_polls[1].early_by, 20000ms);
  EXPECT_EQ(operation.ignored_429s, 1u);
}

TEST_F(ClientReportHttp, ThrottlePolicy_ThrottledPollIsJournaledWithItsOperationButNoStatus) {
  load("strict.json", kTwoSlowPollsThrottled);
  const auto location = start_export();
  poll_ok(location);
  ASSERT_EQ(get(location)->status, 429);
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].operation_status, OperationStatus::running);
  EXPECT_EQ(entries[2].status, 429);
  EXPECT_EQ(entries[2].operation_id, operation_id_of(location));
  EXPECT_EQ(entries[2].operation_status, std::nullopt);
}

TEST_F(ClientReportHttp, ThrottlePolicy_AfterTheClockIsSetBack_APollThatWaitedOutThe429IsServed) {
  load("strict.json", R"({"rules": [{"name": "strict", "earlyPolls": "throttle", "timeline": [
    {"status": "running", "polls": 5, "retryAfter": "30s"}, {"status": "succeeded", "rows": 10}]}]})");
  const auto location = start_export();
  clock_->advance(60s);
  poll_ok(location);  // told to wait until t0 + 90 s
  admin().set_clock(VirtualClock::default_start());

  auto early = get(location);  // 90 s early on the fake's clock
  ASSERT_TRUE(early);
  ASSERT_EQ(early->status, 429);
  ASSERT_EQ(early->get_header_value("Retry-After"), "30");
  clock_->advance(30s);
  auto waited = get(location);
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->status, 200) << "the client waited the 30 s it was told: " << waited->body;

  // The report agrees: only the poll after the clock went back was early.
  const auto report = admin().client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  ASSERT_EQ(report.operations[0].early_polls.size(), 1u);
  EXPECT_EQ(report.operations[0].early_polls[0].early_by, 90000ms);
  EXPECT_EQ(report.operations[0].ignored_429s, 0u);
}

// --- over HTTP --------------------------------------------------------------------

TEST_F(ClientReportHttp, ReportOverHttp_HasTheSameCountsAsTheAdminCall) {
  const auto location = impatient_client();
  const auto second_poll = last_sequence();

  auto result = client_->Get("/_graphfake/report");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const auto body = Json::parse(result->body);

  EXPECT_EQ(body["honouredRetryAfter"], false);
  EXPECT_EQ(body["clean"], false);
  EXPECT_EQ(body["graphRequests"], 3);
  EXPECT_EQ(body["requestsWithoutClientRequestId"], 3);
  EXPECT_EQ(body["ignoredExport429s"], 0);
  EXPECT_EQ(body["journalDropped"], 0);
  ASSERT_EQ(body["operations"].size(), 1u);
  const auto& operation = body["operations"][0];
  EXPECT_EQ(operation["operationId"], operation_id_of(location));
  EXPECT_EQ(operation["location"], location);
  EXPECT_EQ(operation["polls"], 2);
  ASSERT_EQ(operation["earlyPolls"].size(), 1u);
  EXPECT_EQ(operation["earlyPolls"][0]["sequence"], second_poll);
  EXPECT_EQ(operation["earlyPolls"][0]["earlyByMs"], 18000);
  EXPECT_EQ(operation["pollsAfterSuccess"], 0);
  EXPECT_EQ(operation["failedOperationRetries"], 0);
  EXPECT_EQ(operation["pollsToOtherUrl"], 0);
  EXPECT_EQ(operation["ignored429s"], 0);
  EXPECT_EQ(operation["requestsWithoutClientRequestId"], 3);
  EXPECT_EQ(operation["honouredRetryAfter"], false);
  EXPECT_EQ(operation["clean"], false);

  // The in-process call agrees.
  const auto report = admin().client_report();
  EXPECT_EQ(body["graphRequests"], report.graph_requests);
  ASSERT_EQ(report.operations.size(), 1u);
  EXPECT_EQ(operation["earlyPolls"][0]["earlyByMs"], report.operations[0].early_polls.at(0).early_by.count());
}

TEST_F(ClientReportHttp, ReportOverHttp_OfAFreshFakeIsEmptyAndClean) {
  auto result = client_->Get("/_graphfake/report");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["clean"], true);
  EXPECT_EQ(body["honouredRetryAfter"], true);
  EXPECT_EQ(body["graphRequests"], 0);
  EXPECT_TRUE(body["operations"].empty());
}

// --- a manifest of data already generated, shared by exports ---------------------------

// Each client's reads of the shared manifest and its blobs are its own
// operation's, in the journal the report is built from, even once the
// operation that first published it is gone.
TEST_F(ClientReportHttp, SharedManifestReadsBelongToTheOperationWhosePollServedItLast) {
  load("already.json", R"({"rules": [{"name": "ready", "timeline": {"preset": "alreadyGenerated"}}]})");
  const auto first = start_export();
  const Json first_manifest = poll_ok(first)["resourceLocation"];
  const auto second = start_export();
  const Json second_manifest = poll_ok(second)["resourceLocation"];
  ASSERT_EQ(second_manifest["id"], first_manifest["id"]) << "one manifest for the same data";

  auto blob = get_unauthenticated(blob_url(second_manifest));
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->status, 200) << blob->body;
  EXPECT_EQ(admin().journal().back().operation_id, operation_id_of(second));
  poll_ok(first);
  auto manifest = get("/v1.0/reports/partners/billing/manifests/" + first_manifest["id"].get<std::string>());
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->status, 200) << manifest->body;
  EXPECT_EQ(admin().journal().back().operation_id, operation_id_of(first));
}

}  // namespace
}  // namespace graphfake::testing
