// graphfake/testing.h: each assertion and matcher passes against a real
// fake driven over HTTP, and fails, with a message that says what the
// journal or report holds, when it should.
#include "graphfake/testing.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;
using namespace graphfake::gtest;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kInvoice = "G016907411";
std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

template <typename M>
std::string describe(const M& matcher) {
  return ::testing::DescribeMatcher<const JournalEntry&>(matcher);
}

template <typename M>
std::string explain(const M& matcher, const JournalEntry& entry) {
  ::testing::StringMatchResultListener listener;
  ::testing::Matcher<const JournalEntry&>(matcher).MatchAndExplain(entry, &listener);
  return listener.str();
}

// EXPECT_FATAL_FAILURE's statement may not use locals or `this`.
Server* g_fake = nullptr;
std::string g_operation_id;

class TestingHelpers : public FakeTest {
 protected:
  void SetUp() override {
    FakeTest::SetUp();
    fake_->admin().load_scenarios({{"two-slow-polls.json", kTwoSlowPolls}}, Admin::Load::replace);
    g_fake = fake_.get();
  }
  void TearDown() override {
    g_fake = nullptr;
    g_operation_id.clear();
    FakeTest::TearDown();
  }

  Server& fake() { return *fake_; }

  // A client that sends client-request-id and waits every Retry-After out:
  // exports, polls to success (3 polls), reads the manifest and a blob.
  // Returns the operation id.
  std::string patient_client(const std::string& invoice = kInvoice) {
    const Json body = {{"invoiceId", invoice}, {"attributeSet", "full"}};
    auto exported = post_json(kBilledExportPath, body.dump(), {{"client-request-id", kClientRequestId}});
    if (!exported || exported->status != 202) {
      ADD_FAILURE() << "export not accepted";
      return {};
    }
    const auto location = exported->get_header_value("Location");
    Json done;
    for (int poll = 0; poll < 10 && done.is_null(); ++poll) {
      auto result = get(location, {{"client-request-id", kClientRequestId}});
      if (!result || result->status != 200) {
        ADD_FAILURE() << "poll failed";
        return {};
      }
      Json status = Json::parse(result->body);
      if (status["status"] == "succeeded") {
        done = status;
      } else {
        clock_->advance(std::chrono::seconds(std::stoi(result->get_header_value("Retry-After"))));
      }
    }
    if (done.is_null()) {
      ADD_FAILURE() << "operation did not succeed";
      return {};
    }
    const Json manifest = done["resourceLocation"];
    const std::string manifest_path =
        "/v1.0/reports/partners/billing/manifests/" + manifest["id"].get<std::string>();
    EXPECT_EQ(get(manifest_path, {{"client-request-id", kClientRequestId}})->status, 200);
    EXPECT_EQ(get_unauthenticated(blob_url(manifest))->status, 200);
    return operation_id_of(location);
  }

  // Polls once at t0 (running, Retry-After 30 s), then 12 s later: 18 s early.
  // No client-request-id anywhere.
  std::string impatient_client() {
    const auto location = start_export();
    EXPECT_EQ(get(location)->status, 200);
    clock_->advance(12s);
    get(location);
    return operation_id_of(location);
  }
};

// --- EXPECT_EXPORT_REQUESTED -----------------------------------------------------------

TEST_F(TestingHelpers, ExportRequested_PassesForAnExportedInvoice) {
  patient_client();
  EXPECT_EXPORT_REQUESTED(fake(), kInvoice);
  EXPECT_EXPORT_REQUESTED(fake().admin(), "G016907411");
  ASSERT_EXPORT_REQUESTED(fake(), std::string(kInvoice));
}

TEST_F(TestingHelpers, ExportRequested_PassesWhateverTheAnswer) {
  fake().admin().load_scenarios({{"throttled.json", R"({"rules": [{"name": "429", "faults": [
      {"on": "export", "requests": [1], "status": 429, "retryAfter": "5s"}]}]})"}},
                                Admin::Load::replace);
  auto refused = post_json(kBilledExportPath, Json{{"invoiceId", kInvoice}, {"attributeSet", "full"}}.dump());
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->status, 429);
  EXPECT_EXPORT_REQUESTED(fake(), kInvoice);
}

TEST_F(TestingHelpers, ExportRequested_FailsListingTheExportsThatWere) {
  patient_client();
  start_export("G000000002");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake(), "G000000001"),
                          "an export request for invoice \"G000000001\" in the journal of fake()");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake(), "G000000001"), "2 exports were requested:");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake(), "G000000001"), "invoice \"G016907411\"");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake(), "G000000001"), "invoice \"G000000002\"");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake(), "G000000001"),
                          "POST /v1.0/reports/partners/billing/reconciliation/billed/export -> 202");
}

TEST_F(TestingHelpers, ExportRequested_SaysSoWhenNothingWasExported) {
  get("/v1.0/nowhere");
  const std::string invoice = "G000000001";
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake().admin(), invoice),
                          "invoice invoice (\"G000000001\")");
  EXPECT_NONFATAL_FAILURE(EXPECT_EXPORT_REQUESTED(fake().admin(), invoice),
                          "no export was requested (the journal holds 1 entry)");
}

TEST_F(TestingHelpers, AssertExportRequested_IsFatal) {
  EXPECT_FATAL_FAILURE(ASSERT_EXPORT_REQUESTED(*g_fake, "G000000001"), "no export was requested");
}

// --- EXPECT_POLLS ----------------------------------------------------------------------

TEST_F(TestingHelpers, Polls_PassesWithTheExactCountInAnyCase) {
  const auto operation = patient_client();
  EXPECT_POLLS(fake(), operation, 3);
  EXPECT_POLLS(fake().admin(), upper(operation), 3u);
  ASSERT_POLLS(fake(), operation, 3);
}

TEST_F(TestingHelpers, Polls_FailsWithTheCountAndThePollsFound) {
  const auto operation = patient_client();
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), operation, 2), "Expected: 2 polls of operation operation (\"" + operation + "\")");
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), operation, 2), "Actual: 3 polls:");
  // Each poll, with its time, status and what it told the client.
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), operation, 2),
                          "at 2025-01-01T00:00:00Z GET /v1.0/reports/partners/billing/operations/" + operation +
                              " -> 200 (operation, operation \"" + operation + "\" running, Retry-After 30");
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), operation, 2), "at 2025-01-01T00:00:30Z GET");
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), operation, 4),
                          "at 2025-01-01T00:01:00Z GET /v1.0/reports/partners/billing/operations/" + operation +
                              " -> 200 (operation, operation \"" + operation + "\" succeeded");
}

TEST_F(TestingHelpers, Polls_OfAnotherOperation_NamesTheOnesPolled) {
  const auto operation = patient_client();
  const std::string other = "00000000-0000-0000-0000-000000000000";
  EXPECT_POLLS(fake(), other, 0);
  EXPECT_NONFATAL_FAILURE(EXPECT_POLLS(fake(), other, 1),
                          "Actual: 0 polls; operations polled: " + operation + " (3 polls)");
}

TEST_F(TestingHelpers, AssertPolls_IsFatal) {
  g_operation_id = patient_client();
  EXPECT_FATAL_FAILURE(ASSERT_POLLS(*g_fake, g_operation_id, 1), "Actual: 3 polls:");
}

// --- EXPECT_CLIENT_HONOURED_RETRY_AFTER ------------------------------------------------

TEST_F(TestingHelpers, HonouredRetryAfter_PassesForAPatientClient) {
  patient_client();
  EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake());
  ASSERT_CLIENT_HONOURED_RETRY_AFTER(fake().admin());
}

TEST_F(TestingHelpers, HonouredRetryAfter_FailsForAnImpatientClient_NamingTheOperationAndHowEarly) {
  const auto operation = impatient_client();
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake()), "operation " + operation + " (2 polls");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake()), "1 poll before its Retry-After elapsed:");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake()), "poll #3 at 2025-01-01T00:00:12Z, 18 s early");
}

TEST_F(TestingHelpers, HonouredRetryAfter_CountsPollsThatIgnoredA429) {
  fake().admin().load_scenarios({{"strict.json", kTwoSlowPollsThrottled}}, Admin::Load::replace);
  const auto location = start_export();
  get(location);
  clock_->advance(1s);
  EXPECT_EQ(get(location)->status, 429);  // 29 s early: throttled
  clock_->advance(1s);
  get(location);  // within the 429's Retry-After
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake()), "before the Retry-After of a 429");
}

TEST_F(TestingHelpers, AssertHonouredRetryAfter_IsFatal) {
  impatient_client();
  EXPECT_FATAL_FAILURE(ASSERT_CLIENT_HONOURED_RETRY_AFTER(*g_fake), "18 s early");
}

// --- EXPECT_CLIENT_BEHAVED -------------------------------------------------------------

TEST_F(TestingHelpers, ClientBehaved_PassesForAPatientClientThatSendsClientRequestId) {
  patient_client();
  EXPECT_CLIENT_BEHAVED(fake());
  ASSERT_CLIENT_BEHAVED(fake().admin());
}

TEST_F(TestingHelpers, ClientBehaved_FailsListingEveryFinding) {
  const auto operation = impatient_client();
  clock_->advance(1min);
  const auto location = fake().admin().client_report().operations.at(0).location;
  get(location);  // succeeded
  clock_->advance(1min);
  get(location);  // after success
  get("/v1.0/reports/partners/billing/operations/" + upper(operation));  // another URL, early too

  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "Expected: a clean client report from fake()");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "operation " + operation + " (5 polls, Location " + location);
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "- 1 poll before its Retry-After elapsed:\n      poll #3 at 2025-01-01T00:00:12Z, 18 s early");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "- 2 polls after one was told \"succeeded\"");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "- 1 poll to a URL other than its Location");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "- 6 requests without client-request-id");
}

TEST_F(TestingHelpers, ClientBehaved_FailsNamingPollsOfIdsNeverGivenOut) {
  get("/v1.0/reports/partners/billing/operations/0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e",
      {{"client-request-id", kClientRequestId}});
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "1 poll of operation ids the fake never gave out");
}

TEST_F(TestingHelpers, ClientBehaved_FailsForAFailedOperationPolledAgain) {
  fake().admin().load_scenarios(
      {{"fails.json", R"({"rules": [{"name": "fails", "timeline": [
        {"status": "failed", "error": {"code": "5000", "message": "No data available"}}]}]})"}}, Admin::Load::replace);
  const auto location = start_export();
  get(location, {{"client-request-id", kClientRequestId}});
  clock_->advance(1min);
  get(location, {{"client-request-id", kClientRequestId}});
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "1 poll after one was told \"failed\"");
  EXPECT_NONFATAL_FAILURE(EXPECT_CLIENT_BEHAVED(fake()), "1 request without client-request-id");  // the export
}

TEST_F(TestingHelpers, AssertClientBehaved_IsFatal) {
  impatient_client();
  EXPECT_FATAL_FAILURE(ASSERT_CLIENT_BEHAVED(*g_fake), "3 requests without client-request-id");
}

// --- matchers --------------------------------------------------------------------------

TEST_F(TestingHelpers, Matchers_MatchWhatAPatientClientDid) {
  const auto operation = patient_client();
  get("/v1.0/reports/partners/billing/nowhere");
  const auto journal = fake().admin().journal();

  EXPECT_THAT(journal, Contains(AllOf(IsExport(), HasStatus(202), HasMethod("POST"), ForInvoice(kInvoice),
                                      ForOperation(upper(operation)),
                                      HasResponseHeader("location", StartsWith(fake().base_url())),
                                      HasRequestHeader("Client-Request-Id", kClientRequestId))));
  EXPECT_THAT(journal, Contains(AllOf(IsPoll(), ForOperation(operation), HasResponseHeader("RETRY-AFTER", "30"))));
  EXPECT_THAT(fake().admin().journal({.endpoint = Endpoint::operation}),
              Each(AllOf(IsPoll(), HasStatus(200), HasMethod("GET"), ForInvoice(kInvoice),
                         HasPath(StartsWith("/v1.0/reports/partners/billing/operations/")),
                         HasRequestHeader("client-request-id"))));
  EXPECT_THAT(journal, Contains(AllOf(IsManifestRead(), HasStatus(200), ForInvoice(kInvoice))));
  EXPECT_THAT(journal, Contains(AllOf(IsBlobDownload(), HasStatus(::testing::Lt(300)), Not(HasRequestHeader("authorization")))));
  EXPECT_THAT(journal, Contains(AllOf(IsUnmatched(), HasStatus(404), HasPath("/v1.0/reports/partners/billing/nowhere"))));
  EXPECT_THAT(journal, Not(Contains(HasStatus(429))));
}

TEST_F(TestingHelpers, Matchers_FindAThrottledPoll) {
  fake().admin().load_scenarios({{"strict.json", kTwoSlowPollsThrottled}}, Admin::Load::replace);
  const auto location = start_export();
  get(location);
  get(location);  // at once: throttled
  EXPECT_THAT(fake().admin().journal(), Contains(AllOf(IsPoll(), HasStatus(429), HasResponseHeader("retry-after", "30"))));
}

TEST_F(TestingHelpers, Matchers_FailWithTheJournalPrintedAndWhyEachEntryDiffers) {
  patient_client();
  // The failure prints the journal one line per entry.
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(fake().admin().journal(), Contains(AllOf(IsPoll(), HasStatus(429)))),
                          "#1 at 2025-01-01T00:00:00Z POST /v1.0/reports/partners/billing/reconciliation/billed/export "
                          "-> 202 (export, operation");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(fake().admin().journal(), Contains(AllOf(IsPoll(), HasStatus(429)))),
                          "contains at least one element that (is a poll (endpoint \"operation\")) and "
                          "(has status that is equal to 429)");

  const auto entry = fake().admin().journal().front();  // the export
  EXPECT_EQ(explain(IsPoll(), entry), "whose endpoint is \"export\"");
  EXPECT_EQ(explain(HasStatus(429), entry), "whose status is 202");
  EXPECT_EQ(explain(ForInvoice("G1"), entry), "which is for invoice \"G016907411\"");
  EXPECT_EQ(explain(ForOperation("nope"), entry).rfind("which is for operation \"", 0), 0u);
  EXPECT_EQ(explain(HasRequestHeader("x-missing", "1"), entry), "which has no request header \"x-missing\"");
  EXPECT_EQ(explain(HasRequestHeader("CLIENT-REQUEST-ID", "other"), entry),
            std::string("whose request header \"CLIENT-REQUEST-ID\" is \"") + kClientRequestId + "\"");
  EXPECT_EQ(explain(HasMethod("GET"), entry), "whose method is \"POST\"");
}

TEST_F(TestingHelpers, Matchers_DescribeThemselves) {
  EXPECT_EQ(describe(IsExport()), "is an export request (endpoint \"export\")");
  EXPECT_EQ(describe(IsManifestRead()), "is a manifest read (endpoint \"manifest\")");
  EXPECT_EQ(describe(IsBlobDownload()), "is a blob download (endpoint \"blob\")");
  EXPECT_EQ(describe(IsUnmatched()), "is an unmatched request (endpoint \"unmatched\")");
  EXPECT_EQ(describe(Not(IsPoll())), "is not a poll (endpoint \"operation\")");
  EXPECT_EQ(describe(HasStatus(::testing::Ge(400))), "has status that is >= 400");
  EXPECT_EQ(describe(ForOperation("abc")), "is for operation \"abc\" (ignoring case)");
  EXPECT_EQ(describe(ForInvoice("G1")), "is for invoice \"G1\"");
  EXPECT_EQ(describe(HasPath(StartsWith("/beta/"))), "has path that starts with \"/beta/\"");
  EXPECT_EQ(describe(HasRequestHeader("client-request-id", kClientRequestId)),
            std::string("has a request header \"client-request-id\" whose value is equal to \"") + kClientRequestId +
                "\"");
  EXPECT_EQ(describe(Not(HasResponseHeader("Retry-After"))),
            "has no response header \"Retry-After\" whose value is anything");
}

}  // namespace
}  // namespace graphfake::testing
