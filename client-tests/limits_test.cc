// The fake's bounds as a client meets them: operations evicted past
// Options::max_operations, a journal capped in bytes, and a clock that never
// passes VirtualClock::latest() (docs/admin-api.md, docs/fidelity.md).
#include "support/http_support.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

void expect_gone(const httplib::Result& result) {
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 410) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const auto error = Json::parse(result->body).at("error");
  EXPECT_EQ(error.at("code"), "gone");
  EXPECT_TRUE(error.contains("innerError")) << error;
}

// Keeps two operations: a third export evicts the oldest.
class FewOperations : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.max_operations = 2;
    return options;
  }
};

TEST_F(FewOperations, PollOfAnEvictedOperation_Returns410GoneInGraphsEnvelope) {
  const auto evicted = start_export("G000000001");
  start_export("G000000002");
  start_export("G000000003");
  expect_gone(get(evicted));
}

TEST_F(FewOperations, PollOfAKeptOperation_IsAnsweredAsEver) {
  start_export("G000000001");
  const auto kept = start_export("G000000002");
  start_export("G000000003");
  EXPECT_EQ(get(kept)->status, 200);
}

TEST_F(FewOperations, ManifestOfAnEvictedExport_Returns410Gone) {
  const auto finished = poll_to_completion(start_export("G000000001"));
  const auto manifest_link = finished["resourceLocation@odata.navigationLink"].get<std::string>();
  start_export("G000000002");
  start_export("G000000003");
  expect_gone(get(manifest_link));
}

TEST_F(FewOperations, BlobOfAnEvictedExport_Returns404BlobNotFoundAsAzureDoes) {
  const auto url = blob_url(poll_to_completion(start_export("G000000001"))["resourceLocation"]);
  ASSERT_EQ(get_unauthenticated(url)->status, 200);
  start_export("G000000002");
  start_export("G000000003");
  const auto result = get_unauthenticated(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "BlobNotFound");
  EXPECT_NE(result->body.find("<Code>BlobNotFound</Code>"), std::string::npos) << result->body;
}

TEST_F(FewOperations, AFinishedExportIsEvictedBeforeAnOlderRunningOne) {
  const auto running = start_export("G000000001");
  poll_to_completion(start_export("G000000002"));
  start_export("G000000003");
  EXPECT_EQ(get(running)->status, 200);
}

TEST_F(FewOperations, TheAdminListingCountsEvictions) {
  for (const char* invoice : {"G000000001", "G000000002", "G000000003", "G000000004"}) start_export(invoice);
  const auto page = fake_->admin().operations_page();
  EXPECT_EQ(page.total, 2u);
  EXPECT_EQ(page.evicted, 2u);
}

// A journal of at most 256 KiB.
class SmallJournal : public FakeTest {
 protected:
  static constexpr std::size_t kJournalBytes = 256 * 1024;

  Options options() override {
    auto options = FakeTest::options();
    options.journal_byte_capacity = kJournalBytes;
    return options;
  }

  // Exports with 60 KiB bodies: a 400 each, journaled with the body.
  void post_large_exports(int count) {
    const std::string body = R"({"invoiceId": ")" + std::string(60 * 1024, 'x') + R"("})";
    for (int i = 0; i < count; ++i) post_json(kBilledExportPath, body);
  }
};

TEST_F(SmallJournal, LargeRequestsStayWithinTheByteCapAndTheOldestAreDroppedAndCounted) {
  post_large_exports(20);
  EXPECT_LE(fake_->admin().journal_bytes(), kJournalBytes);
  EXPECT_GT(fake_->admin().journal_dropped(), 0u);
  EXPECT_EQ(fake_->admin().count() + fake_->admin().journal_dropped(), 20u);
}

TEST_F(SmallJournal, AResetGivesEveryByteBack) {
  post_large_exports(5);
  ASSERT_GT(fake_->admin().journal_bytes(), 0u);
  fake_->admin().reset();
  EXPECT_EQ(fake_->admin().journal_bytes(), 0u);
  EXPECT_TRUE(fake_->admin().journal().empty());
}

// An auto-advancing clock and operations that advertise a year's
// Retry-After on each poll: the clock would pass what it can count.
class YearlyPollsOnAnAutoClock : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.clock = auto_clock_;
    return options;
  }

  void SetUp() override {
    FakeTest::SetUp();
    fake_->admin().load_scenarios({{"yearly.json", R"({"rules": [{"name": "yearly", "timeline": [
        {"status": "running", "polls": 1000, "retryAfter": "8760h"}, {"status": "succeeded"}]}]})"}},
                                  Admin::Load::replace);
  }

  std::shared_ptr<VirtualClock> auto_clock_ =
      std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
};

TEST_F(YearlyPollsOnAnAutoClock, ThePollThatWouldPass2200_Returns500ClockLimitReached) {
  const auto location = start_export();
  int status = 200;
  std::string body;
  for (int poll = 0; poll < 300 && status == 200; ++poll) {
    const auto result = get(location);
    ASSERT_TRUE(result) << "poll " << poll;
    status = result->status;
    body = result->body;
  }
  EXPECT_EQ(status, 500) << body;
  const auto error = Json::parse(body).at("error");
  EXPECT_EQ(error.at("code"), "clockLimitReached");
  EXPECT_NE(error.at("message").get<std::string>().find("2200-01-01T00:00:00Z"), std::string::npos) << error;
}

TEST_F(YearlyPollsOnAnAutoClock, TheClockNeverWrapsBackwards) {
  const auto location = start_export();
  auto previous = auto_clock_->now();
  for (int poll = 0; poll < 300; ++poll) {
    get(location);
    ASSERT_GE(auto_clock_->now(), previous) << "poll " << poll;
    previous = auto_clock_->now();
  }
  EXPECT_LE(auto_clock_->now(), VirtualClock::latest());
}

}  // namespace
}  // namespace graphfake::testing
