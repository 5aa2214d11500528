#include "dashboard/timeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "unit_test_values.h"

namespace graphfake::dashboard {
namespace {

using unit_test::kBilledExportPath;
using unit_test::t0;

using namespace std::chrono_literals;

constexpr const char* kTimelineOperation = "5d0c1e2f-0000-4000-8000-00000000000a";
constexpr const char* kTimelineOtherOperation = "5d0c1e2f-0000-4000-8000-00000000000b";
const std::string kTimelineLocation =
    std::string("http://127.0.0.1:8080/v1.0/reports/partners/billing/operations/") + kTimelineOperation;

// The journal being built for one test: entries get sequences in order.
struct TimelineJournal {
  std::vector<JournalEntry> entries;

  JournalEntry& add(Endpoint endpoint, std::string method, std::string path, TimePoint at, int status,
                    const std::string& operation_id = kTimelineOperation) {
    JournalEntry e;
    e.sequence = entries.size() + 1;
    e.at = at;
    e.method = std::move(method);
    e.path = std::move(path);
    e.status = status;
    e.endpoint = endpoint;
    e.operation_id = operation_id;
    e.request_headers = {{"client-request-id", "11111111-2222-4333-8444-555555555555"}};
    entries.push_back(std::move(e));
    return entries.back();
  }
  void exported(TimePoint at) {
    add(Endpoint::export_request, "POST", kBilledExportPath, at, 202)
        .response_headers.emplace_back("Location", kTimelineLocation);
  }
  void polled(TimePoint at, int status, std::optional<OperationStatus> reported, std::optional<int> retry_after) {
    auto& e = add(Endpoint::operation, "GET",
                  std::string("/v1.0/reports/partners/billing/operations/") + kTimelineOperation, at, status);
    e.operation_status = reported;
    if (retry_after) e.response_headers.emplace_back("Retry-After", std::to_string(*retry_after));
  }
};

TEST(Timeline, MarksEveryRequestOfTheOperationInJournalOrder) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 200, OperationStatus::running, 10);
  journal.add(Endpoint::operation, "GET", "/other", t0 + 2s, 200, kTimelineOtherOperation);
  journal.polled(t0 + 11s, 200, OperationStatus::succeeded, std::nullopt);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.marks.size(), 3u);
  EXPECT_EQ(timeline.marks[0].endpoint, Endpoint::export_request);
  EXPECT_EQ(timeline.marks[1].sequence, 2u);
  EXPECT_EQ(timeline.marks[2].sequence, 4u);
  EXPECT_EQ(timeline.marks[2].reported, OperationStatus::succeeded);
  EXPECT_EQ(timeline.start, t0);
}

TEST(Timeline, ShadesTheRetryAfterWindowEachPollAdvertised) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 200, OperationStatus::running, 10);
  journal.polled(t0 + 11s, 429, std::nullopt, 20);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.windows.size(), 2u);
  EXPECT_EQ(timeline.windows[0].from, t0 + 1s);
  EXPECT_EQ(timeline.windows[0].until, t0 + 11s);
  EXPECT_FALSE(timeline.windows[0].from_429);
  EXPECT_TRUE(timeline.windows[1].from_429);
  EXPECT_EQ(timeline.end, t0 + 31s);
}

TEST(Timeline, MarksAPollBeforeTheAdvertisedRetryAfterAsEarlyBy) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 200, OperationStatus::running, 10);
  journal.polled(t0 + 4s, 200, OperationStatus::running, 10);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.marks.size(), 3u);
  EXPECT_FALSE(timeline.marks[1].early_by.has_value());
  EXPECT_EQ(timeline.marks[2].early_by, std::chrono::milliseconds(7000));
  EXPECT_NE(timeline.marks[2].label.find("EARLY by 7.0 s"), std::string::npos) << timeline.marks[2].label;
  ASSERT_EQ(timeline.findings.size(), 1u);
  EXPECT_NE(timeline.findings[0].find("1 of 2 polls"), std::string::npos) << timeline.findings[0];
}

TEST(Timeline, TellsInjectedFaultsApartByTheirAnswer) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 429, std::nullopt, 5);
  journal.polled(t0 + 7s, 503, std::nullopt, std::nullopt);
  journal.polled(t0 + 8s, 0, std::nullopt, std::nullopt);
  journal.polled(t0 + 9s, 404, std::nullopt, std::nullopt);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.marks.size(), 5u);
  EXPECT_EQ(timeline.marks[0].answer, Answer::ok);
  EXPECT_EQ(timeline.marks[1].answer, Answer::throttled);
  EXPECT_EQ(timeline.marks[2].answer, Answer::unavailable);
  EXPECT_EQ(timeline.marks[3].answer, Answer::dropped);
  EXPECT_EQ(timeline.marks[4].answer, Answer::refused);
}

TEST(Timeline, MarksPollsAfterATerminalStateAndSaysHowMany) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 200, OperationStatus::succeeded, std::nullopt);
  journal.polled(t0 + 2s, 200, OperationStatus::succeeded, std::nullopt);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  EXPECT_FALSE(timeline.marks[1].after_terminal);
  EXPECT_TRUE(timeline.marks[2].after_terminal);
  EXPECT_EQ(timeline.behaviour.polls_after_success, 1u);
  ASSERT_EQ(timeline.findings.size(), 1u);
  EXPECT_NE(timeline.findings[0].find("after the operation was reported succeeded"), std::string::npos);
}

TEST(Timeline, GivesABlobDownloadItsNameAndRange) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.add(Endpoint::blob, "GET", "/container/dir/part-0001.json.gz", t0 + 3s, 206)
      .request_headers.emplace_back("range", "bytes=0-1023");

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.marks.size(), 2u);
  EXPECT_EQ(timeline.marks[1].blob, "part-0001.json.gz");
  EXPECT_EQ(timeline.marks[1].range, "bytes=0-1023");
  EXPECT_NE(timeline.marks[1].label.find("(Range bytes=0-1023)"), std::string::npos) << timeline.marks[1].label;
}

TEST(Timeline, SaysHowAFaultBentABlobsBytes) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.add(Endpoint::blob, "GET", "/container/dir/part-0002.json.gz", t0 + 3s, 200).fault = "gzip corrupt";

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  ASSERT_EQ(timeline.marks.size(), 2u);
  EXPECT_EQ(timeline.marks[1].fault, "gzip corrupt");
  EXPECT_NE(timeline.marks[1].label.find("FAULT: gzip corrupt"), std::string::npos) << timeline.marks[1].label;
}

TEST(Timeline, HasNoFindingsWhenTheClientWaitedEveryRetryAfter) {
  TimelineJournal journal;
  journal.exported(t0);
  journal.polled(t0 + 1s, 200, OperationStatus::running, 10);
  journal.polled(t0 + 11s, 200, OperationStatus::succeeded, std::nullopt);

  const auto timeline = timeline_of(kTimelineOperation, journal.entries);

  EXPECT_TRUE(timeline.findings.empty());
  EXPECT_TRUE(timeline.behaviour.clean());
}

TEST(Timeline, OfAnOperationWithoutEntriesIsEmpty) {
  const auto timeline = timeline_of(kTimelineOperation, {});
  EXPECT_TRUE(timeline.marks.empty());
  EXPECT_TRUE(timeline.windows.empty());
  EXPECT_EQ(timeline.behaviour.operation_id, kTimelineOperation);
}

}  // namespace
}  // namespace graphfake::dashboard
