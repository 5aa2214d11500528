#include "domain/client_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/journal.h"
#include "graphfake/clock.h"
#include "model/operation_status.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::kBilledExportPath;
using unit_test::t0;

using namespace std::chrono_literals;

constexpr const char* kHost = "http://127.0.0.1:8080";
constexpr const char* kOperationA = "0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e";
constexpr const char* kOperationB = "a1b2c3d4-0000-4000-8000-000000000001";
constexpr const char* kOperations = "/v1.0/reports/partners/billing/operations/";
constexpr const char* kExportBody = R"({"invoiceId":"G016907411","attributeSet":"full"})";

std::string operation_path(const std::string& id) { return kOperations + id; }
std::string location_of(const std::string& id) { return kHost + operation_path(id); }

// A Graph request as the journal keeps it, with client-request-id sent.
JournalEntry graph_request(std::string method, std::string path, std::string endpoint, TimePoint at) {
  JournalEntry e;
  e.at = at;
  e.method = std::move(method);
  e.path = std::move(path);
  e.endpoint = domain::endpoint_named(endpoint).value();
  e.request_headers = {{"authorization", "Bearer x"}, {"client-request-id", "11111111-2222-4333-8444-555555555555"}};
  return e;
}

// A 202 export that created `id` and gave it `location`.
JournalEntry exported(const std::string& id, TimePoint at, const std::string& location) {
  auto e = graph_request("POST", kBilledExportPath, "export", at);
  e.request_body = kExportBody;
  e.status = 202;
  e.operation_id = id;
  if (!location.empty()) e.response_headers.emplace_back("Location", location);
  return e;
}
JournalEntry exported(const std::string& id, TimePoint at) { return exported(id, at, location_of(id)); }

// An export refused with 429 and this Retry-After.
JournalEntry export_refused(TimePoint at, std::chrono::seconds retry_after, const std::string& body = kExportBody) {
  auto e = graph_request("POST", kBilledExportPath, "export", at);
  e.request_body = body;
  e.status = 429;
  e.response_headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return e;
}

// A 200 poll that reported `status`; non-terminal answers carry Retry-After.
JournalEntry polled(const std::string& id, TimePoint at, const std::string& status,
                    std::optional<std::chrono::seconds> retry_after = std::nullopt, std::string path = {}) {
  auto e = graph_request("GET", path.empty() ? operation_path(id) : std::move(path), "operation", at);
  e.status = 200;
  e.operation_id = id;
  e.operation_status = model::operation_status_named(status);
  if (retry_after) e.response_headers.emplace_back("Retry-After", std::to_string(retry_after->count()));
  return e;
}

// A poll answered 429 with this Retry-After.
JournalEntry poll_throttled(const std::string& id, TimePoint at, std::chrono::seconds retry_after) {
  auto e = graph_request("GET", operation_path(id), "operation", at);
  e.status = 429;
  e.operation_id = id;
  e.response_headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return e;
}

JournalEntry without_client_request_id(JournalEntry e) {
  e.request_headers.erase(std::remove_if(e.request_headers.begin(), e.request_headers.end(),
                                         [](const auto& h) { return h.first == "client-request-id"; }),
                          e.request_headers.end());
  return e;
}

// Numbers entries 1, 2, ... in the order given, as the journal does.
std::vector<JournalEntry> journal(std::vector<JournalEntry> entries) {
  std::uint64_t sequence = 0;
  for (auto& e : entries) e.sequence = ++sequence;
  return entries;
}

ClientReport report_of(std::vector<JournalEntry> entries, std::uint64_t dropped = 0) {
  return client_report(journal(std::move(entries)), dropped);
}

// The one operation a report is expected to hold.
OperationBehaviour only_operation(const ClientReport& report) {
  EXPECT_EQ(report.operations.size(), 1u);
  return report.operations.empty() ? OperationBehaviour{} : report.operations.front();
}

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// --- Retry-After ------------------------------------------------------------------

TEST(ClientReport, Report_PatientSequence_IsClean) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0 + 1s, "notStarted", 10s),
      polled(kOperationA, t0 + 11s, "running", 10s),
      polled(kOperationA, t0 + 25s, "succeeded"),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.operation_id, kOperationA);
  EXPECT_EQ(operation.location, location_of(kOperationA));
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
  EXPECT_TRUE(report.honoured_retry_after());
  EXPECT_TRUE(report.clean());
}

TEST(ClientReport, Report_PollBeforeRetryAfterElapsed_IsEarlyByTheDifference) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 7250ms, "running", 10s),
  });
  const auto operation = only_operation(report);
  ASSERT_EQ(operation.early_polls.size(), 1u);
  EXPECT_EQ(operation.early_polls[0].sequence, 3u);
  EXPECT_EQ(operation.early_polls[0].early_by, 2750ms);
  EXPECT_FALSE(operation.honoured_retry_after());
  EXPECT_FALSE(operation.clean());
  EXPECT_FALSE(report.honoured_retry_after());
  EXPECT_FALSE(report.clean());
}

TEST(ClientReport, Report_EarlyPollsInARow_AreEachMeasuredFromTheLastAdvertisedRetryAfter) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 4s, "running", 10s),   // due at 10 s
      polled(kOperationA, t0 + 5s, "running", 10s),   // due at 14 s
  });
  const auto operation = only_operation(report);
  ASSERT_EQ(operation.early_polls.size(), 2u);
  EXPECT_EQ(operation.early_polls[0].early_by, 6000ms);
  EXPECT_EQ(operation.early_polls[1].sequence, 4u);
  EXPECT_EQ(operation.early_polls[1].early_by, 9000ms);
}

TEST(ClientReport, Report_PollRightAtTheDeadline_IsNotEarly) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s, "running", 10s),
  });
  EXPECT_TRUE(only_operation(report).early_polls.empty());
  EXPECT_TRUE(report.honoured_retry_after());
}

TEST(ClientReport, Report_PollOneMillisecondBeforeTheDeadline_IsEarlyByOneMillisecond) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s - 1ms, "running", 10s),
  });
  const auto operation = only_operation(report);
  ASSERT_EQ(operation.early_polls.size(), 1u);
  EXPECT_EQ(operation.early_polls[0].early_by, 1ms);
}

TEST(ClientReport, Report_FirstPollAfterTheExport_IsNotEarly) {
  // The 202 of an export carries no Retry-After, so nothing to wait for.
  const auto report = report_of({exported(kOperationA, t0), polled(kOperationA, t0, "notStarted", 10s)});
  EXPECT_TRUE(only_operation(report).early_polls.empty());
}

// --- terminal states --------------------------------------------------------------

TEST(ClientReport, Report_PollsAfterSucceeded_CountAsPollsAfterSuccess_ButNotThePollThatFirstSawIt) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s, "succeeded"),
      polled(kOperationA, t0 + 20s, "succeeded"),
      polled(kOperationA, t0 + 30s, "succeeded"),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.polls, 4u);
  EXPECT_EQ(operation.polls_after_success, 2u);
  EXPECT_EQ(operation.failed_operation_retries, 0u);
  EXPECT_FALSE(operation.clean());
}

TEST(ClientReport, Report_PollSoonAfterSucceeded_IsAfterSuccessButNotEarly) {
  // A terminal answer advertises no Retry-After.
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s, "succeeded"),
      polled(kOperationA, t0 + 10s, "succeeded"),
  });
  const auto operation = only_operation(report);
  EXPECT_TRUE(operation.early_polls.empty());
  EXPECT_EQ(operation.polls_after_success, 1u);
}

TEST(ClientReport, Report_PollsAfterFailed_CountAsFailedOperationRetries) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s, "failed"),
      polled(kOperationA, t0 + 20s, "failed"),
      polled(kOperationA, t0 + 30s, "failed"),
      polled(kOperationA, t0 + 40s, "failed"),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.failed_operation_retries, 3u);
  EXPECT_EQ(operation.polls_after_success, 0u);
  EXPECT_FALSE(operation.clean());
  EXPECT_TRUE(operation.honoured_retry_after());
}

TEST(ClientReport, Report_PollThatFirstSawFailed_IsNotARetry) {
  const auto report = report_of({exported(kOperationA, t0), polled(kOperationA, t0, "failed")});
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.failed_operation_retries, 0u);
  EXPECT_TRUE(operation.clean());
}

// --- Location ---------------------------------------------------------------------

TEST(ClientReport, Report_PollToAnotherApiVersion_CountsAsPollToOtherUrl) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s,
             std::string("/beta/reports/partners/billing/operations/") + kOperationA),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.polls_to_other_url, 1u);
  EXPECT_FALSE(operation.clean());
  EXPECT_TRUE(operation.honoured_retry_after());
}

TEST(ClientReport, Report_PollWithTheIdReCased_CountsAsPollToOtherUrl) {
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s, std::string(kOperations) + "0B5C0F3E-6C2A-4A8E-9D7E-1F2A3B4C5D6E"),
  });
  EXPECT_EQ(only_operation(report).polls_to_other_url, 1u);
}

TEST(ClientReport, Report_PollToTheLocationsPathOnAnotherHost_IsNotAPollToOtherUrl) {
  const auto report = report_of({
      exported(kOperationA, t0, std::string("https://graph.example.test:9443") + operation_path(kOperationA)),
      polled(kOperationA, t0, "running", 10s),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.polls_to_other_url, 0u);
  EXPECT_TRUE(operation.clean());
}

TEST(ClientReport, Report_RelativeLocation_IsComparedByPath) {
  const auto report = report_of({
      exported(kOperationA, t0, operation_path(kOperationA)),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 10s, "running", 10s,
             std::string("/beta/reports/partners/billing/operations/") + kOperationA),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.location, operation_path(kOperationA));
  EXPECT_EQ(operation.polls_to_other_url, 1u);
}

// --- 429 --------------------------------------------------------------------------

TEST(ClientReport, Report_EarlyPollAfterA429_AlsoCountsAsAnIgnored429) {
  const auto report = report_of({
      exported(kOperationA, t0),
      poll_throttled(kOperationA, t0, 5s),
      polled(kOperationA, t0 + 2s, "running", 10s),
  });
  const auto operation = only_operation(report);
  ASSERT_EQ(operation.early_polls.size(), 1u);
  EXPECT_EQ(operation.early_polls[0].early_by, 3000ms);
  EXPECT_EQ(operation.ignored_429s, 1u);
  EXPECT_EQ(operation.polls, 2u);
  EXPECT_FALSE(operation.honoured_retry_after());
}

TEST(ClientReport, Report_PollAfterA429sRetryAfterElapsed_IsNotAnIgnored429) {
  const auto report = report_of({
      exported(kOperationA, t0),
      poll_throttled(kOperationA, t0, 5s),
      polled(kOperationA, t0 + 5s, "running", 10s),
  });
  const auto operation = only_operation(report);
  EXPECT_TRUE(operation.early_polls.empty());
  EXPECT_EQ(operation.ignored_429s, 0u);
  EXPECT_TRUE(operation.clean());
}

TEST(ClientReport, Report_EarlyPollAfterA200_IsNotAnIgnored429) {
  const auto report = report_of({
      exported(kOperationA, t0),
      poll_throttled(kOperationA, t0, 5s),
      polled(kOperationA, t0 + 5s, "running", 10s),
      polled(kOperationA, t0 + 6s, "running", 10s),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.early_polls.size(), 1u);
  EXPECT_EQ(operation.ignored_429s, 0u);
}

// --- client-request-id ------------------------------------------------------------

TEST(ClientReport, Report_RequestsWithoutClientRequestId_AreCountedPerOperationAndInTotal) {
  const auto report = report_of({
      without_client_request_id(export_refused(t0, 5s)),
      without_client_request_id(exported(kOperationA, t0 + 5s)),
      without_client_request_id(polled(kOperationA, t0 + 5s, "running", 10s)),
      polled(kOperationA, t0 + 15s, "running", 10s),
      exported(kOperationB, t0 + 15s),
      without_client_request_id(polled(kOperationB, t0 + 15s, "running", 10s)),
  });
  ASSERT_EQ(report.operations.size(), 2u);
  EXPECT_EQ(report.operations[0].requests_without_client_request_id, 2u);
  EXPECT_EQ(report.operations[1].requests_without_client_request_id, 1u);
  EXPECT_EQ(report.requests_without_client_request_id, 4u);
  EXPECT_EQ(report.graph_requests, 6u);
  EXPECT_FALSE(report.operations[0].clean());
  EXPECT_TRUE(report.operations[0].honoured_retry_after());
  EXPECT_FALSE(report.clean());
  EXPECT_TRUE(report.honoured_retry_after());
}

TEST(ClientReport, Report_RefusedExportWithoutClientRequestId_MakesTheReportUnclean) {
  const auto report = report_of({without_client_request_id(export_refused(t0, 5s))});
  EXPECT_TRUE(report.operations.empty());
  EXPECT_EQ(report.requests_without_client_request_id, 1u);
  EXPECT_FALSE(report.clean());
}

TEST(ClientReport, Report_BlobAndUnmatchedRequests_AreNotGraphRequests) {
  JournalEntry blob;
  blob.method = "GET";
  blob.path = "/devstoreaccount1/billing/v1/tenant/file-0.json.gz";
  blob.endpoint = Endpoint::blob;
  blob.status = 200;
  JournalEntry unmatched;
  unmatched.method = "GET";
  unmatched.path = std::string("/v1.0/reports/partners/billing/operation/") + kOperationA;
  unmatched.endpoint = Endpoint::unmatched;
  unmatched.status = 404;
  const auto report = report_of({exported(kOperationA, t0), blob, unmatched});
  EXPECT_EQ(report.graph_requests, 1u);
  EXPECT_EQ(report.requests_without_client_request_id, 0u);
  EXPECT_TRUE(report.clean());
}

TEST(ClientReport, Report_ManifestReads_CountAgainstTheirOperation) {
  auto manifest = graph_request("GET", "/v1.0/reports/partners/billing/manifests/m-1", "manifest", t0 + 10s);
  manifest.status = 200;
  manifest.operation_id = kOperationA;
  const auto report = report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "succeeded"),
      without_client_request_id(manifest),
  });
  const auto operation = only_operation(report);
  EXPECT_EQ(operation.polls, 1u);
  EXPECT_EQ(operation.polls_after_success, 0u);
  EXPECT_EQ(operation.requests_without_client_request_id, 1u);
  EXPECT_EQ(report.graph_requests, 3u);
}

// --- exports refused with 429 -----------------------------------------------------

TEST(ClientReport, Report_ExportResentWithTheSameBodyBeforeItsRetryAfterElapsed_IsAnIgnoredExport429) {
  const auto report = report_of({
      export_refused(t0, 5s),
      exported(kOperationA, t0 + 2s),
  });
  EXPECT_EQ(report.ignored_export_429s, 1u);
  EXPECT_FALSE(report.honoured_retry_after());
  EXPECT_FALSE(report.clean());
  EXPECT_TRUE(only_operation(report).clean());
}

TEST(ClientReport, Report_ExportResentWithAnotherBody_IsNotAnIgnoredExport429) {
  const auto report = report_of({
      export_refused(t0, 5s, R"({"invoiceId":"G000000001","attributeSet":"full"})"),
      exported(kOperationA, t0 + 2s),
  });
  EXPECT_EQ(report.ignored_export_429s, 0u);
  EXPECT_TRUE(report.clean());
}

TEST(ClientReport, Report_ExportResentAfterItsRetryAfterElapsed_IsNotAnIgnoredExport429) {
  const auto report = report_of({
      export_refused(t0, 5s),
      exported(kOperationA, t0 + 5s),
  });
  EXPECT_EQ(report.ignored_export_429s, 0u);
  EXPECT_TRUE(report.clean());
}

// --- the report as a whole --------------------------------------------------------

TEST(ClientReport, Report_PollOfAnIdNeverGivenOut_IsCountedAsAPollOfAnUnknownOperation) {
  auto unknown = graph_request("GET", operation_path(kOperationB), "operation", t0 + 1s);
  unknown.status = 404;  // the journal names no operation: the fake never gave the id out
  const auto report = report_of({exported(kOperationA, t0), unknown});
  EXPECT_EQ(report.polls_of_unknown_operations, 1u);
  EXPECT_EQ(report.operations.size(), 1u);
  EXPECT_FALSE(report.clean());
}

TEST(ClientReport, Report_ScriptedNotFoundOnAKnownOperation_IsNotAPollOfAnUnknownOperation) {
  auto faulted = polled(kOperationA, t0 + 1s, "");
  faulted.status = 404;
  const auto report = report_of({exported(kOperationA, t0), faulted});
  EXPECT_EQ(report.polls_of_unknown_operations, 0u);
  EXPECT_EQ(report.operations.at(0).polls, 1u);
}

TEST(ClientReport, Report_JournalDropped_IsCarriedIntoTheReport) {
  const auto report = report_of({exported(kOperationA, t0)}, 17);
  EXPECT_EQ(report.journal_dropped, 17u);
}

TEST(ClientReport, Report_EmptyJournal_IsAnEmptyCleanReport) {
  const auto report = report_of({});
  EXPECT_TRUE(report.operations.empty());
  EXPECT_EQ(report.graph_requests, 0u);
  EXPECT_TRUE(report.clean());
}

TEST(ClientReport, Report_Operations_AreInTheOrderTheyFirstAppear) {
  // kOperationB sorts after kOperationA, so a report sorted by id would differ.
  const auto report = report_of({
      exported(kOperationB, t0),
      exported(kOperationA, t0 + 1s),
      polled(kOperationA, t0 + 2s, "running", 10s),
      polled(kOperationB, t0 + 2s, "running", 10s),
  });
  ASSERT_EQ(report.operations.size(), 2u);
  EXPECT_EQ(report.operations[0].operation_id, kOperationB);
  EXPECT_EQ(report.operations[1].operation_id, kOperationA);
  EXPECT_EQ(report.operations[0].polls, 1u);
  EXPECT_EQ(report.operations[1].polls, 1u);
}

TEST(ClientReport, Report_PollsOfOneOperation_DoNotAffectAnother) {
  const auto report = report_of({
      exported(kOperationA, t0),
      exported(kOperationB, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationB, t0 + 1s, "running", 10s),
      polled(kOperationA, t0 + 10s, "running", 10s),
  });
  ASSERT_EQ(report.operations.size(), 2u);
  EXPECT_TRUE(report.operations[0].early_polls.empty());
  EXPECT_TRUE(report.operations[1].early_polls.empty());
}

// --- summary_table ----------------------------------------------------------------

TEST(ClientReport, SummaryTable_HasAHeaderOneRowPerOperationAndATotal) {
  const auto table = summary_table(report_of({
      exported(kOperationA, t0),
      exported(kOperationB, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationB, t0, "running", 10s),
  }));
  EXPECT_EQ(lines_in(table), 4u) << table;
  const auto a = table.find(kOperationA);
  const auto b = table.find(kOperationB);
  ASSERT_NE(a, std::string::npos) << table;
  ASSERT_NE(b, std::string::npos) << table;
  EXPECT_LT(a, b) << table;
}

TEST(ClientReport, SummaryTable_OfACleanReport_SaysTheClientsBehaved) {
  const auto table = summary_table(report_of({exported(kOperationA, t0), polled(kOperationA, t0, "succeeded")}));
  EXPECT_NE(table.find("the clients behaved"), std::string::npos) << table;
  EXPECT_EQ(table.find("misbehaved"), std::string::npos) << table;
}

TEST(ClientReport, SummaryTable_OfAnUncleanReport_SaysTheClientsMisbehaved) {
  const auto table = summary_table(report_of({
      exported(kOperationA, t0),
      polled(kOperationA, t0, "running", 10s),
      polled(kOperationA, t0 + 7250ms, "running", 10s),
  }));
  EXPECT_NE(table.find("the clients misbehaved"), std::string::npos) << table;
  EXPECT_NE(table.find("2.8s"), std::string::npos) << "the largest early_by, in seconds\n" << table;
}

TEST(ClientReport, SummaryTable_NamesDroppedJournalEntries) {
  const auto table = summary_table(report_of({exported(kOperationA, t0)}, 3));
  EXPECT_NE(table.find("3 journal entries dropped"), std::string::npos) << table;
}

}  // namespace
}  // namespace graphfake::domain
