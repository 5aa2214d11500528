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

// A journal page as JSON: a body of control bytes is written as escapes
// six times its size, so the page stops by what it writes, not $top alone.
class JournalOfEscapedBodies : public FakeTest {
 protected:
  // Exports whose 64 KiB bodies of 0x01 bytes are each about 390 KB of JSON.
  void post_escaped_exports(int count) {
    for (int i = 0; i < count; ++i) post_json(kBilledExportPath, std::string(64 * 1024, '\x01'));
  }

  Json journal_page(const std::string& query) {
    const auto result = client_->Get(("/_graphfake/journal" + query).c_str());
    EXPECT_TRUE(result);
    if (!result) return {};
    EXPECT_EQ(result->status, 200) << result->body.substr(0, 300);
    EXPECT_LE(result->body.size(), 9u * 1024 * 1024);
    return Json::parse(result->body);
  }
};

TEST_F(JournalOfEscapedBodies, APageStopsPastEightMebibytesOfJsonAndLinksTheRest) {
  post_escaped_exports(40);
  const auto page = journal_page("?$top=1000");
  const auto listed = page["entries"].size();
  EXPECT_LT(listed, 40u);
  EXPECT_EQ(page["count"], listed);
  EXPECT_EQ(page["total"], 40);
  ASSERT_TRUE(page.contains("@odata.nextLink")) << page["count"];
  const auto next = page["@odata.nextLink"].get<std::string>();
  EXPECT_NE(next.find("$top=1000&$skip=" + std::to_string(listed)), std::string::npos) << next;
}

TEST_F(JournalOfEscapedBodies, FollowingTheNextLinksListsEveryEntryOnce) {
  post_escaped_exports(40);
  std::vector<std::uint64_t> sequences;
  std::string query = "?$top=1000";
  for (int pages = 0; pages < 40 && !query.empty(); ++pages) {
    const auto page = journal_page(query);
    for (const auto& entry : page["entries"]) sequences.push_back(entry["sequence"].get<std::uint64_t>());
    const auto next = page.value("@odata.nextLink", std::string());
    query = next.empty() ? std::string() : next.substr(next.find('?'));
  }
  ASSERT_EQ(sequences.size(), 40u);
  for (std::size_t i = 0; i < sequences.size(); ++i) EXPECT_EQ(sequences[i], i + 1);
}

// Two namespaces draw on one journal budget of 256 KiB.
class NamespacesSharingASmallJournal : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.journal_byte_capacity = 256 * 1024;
    return options;
  }
};

TEST_F(NamespacesSharingASmallJournal, TheJournalsOfEveryNamespaceStayWithinTheBytesTogether) {
  fake_->create_namespace("a");
  fake_->create_namespace("b");
  const std::string body = R"({"invoiceId": ")" + std::string(60 * 1024, 'x') + R"("})";
  for (int i = 0; i < 10; ++i) {
    post_json("/_ns/a" + std::string(kBilledExportPath), body);
    post_json("/_ns/b" + std::string(kBilledExportPath), body);
  }
  const auto a = fake_->admin("a");
  const auto b = fake_->admin("b");
  EXPECT_LE(a.journal_bytes() + b.journal_bytes() + fake_->admin().journal_bytes(), 256u * 1024);
  EXPECT_GT(a.journal_dropped(), 0u);
  EXPECT_GT(b.journal_dropped(), 0u);
  EXPECT_GT(a.count(), 0u);
  EXPECT_GT(b.count(), 0u);
}

// Keeps many operations but only ten blobs: each export here has four.
class FewBlobs : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.max_blobs = 10;
    return options;
  }

  void SetUp() override {
    FakeTest::SetUp();
    fake_->admin().load_scenarios({{"four.json", R"({"rules": [{"name": "four blobs", "timeline": [
        {"status": "succeeded", "rows": 8, "blobs": 4}]}]})"}},
                                  Admin::Load::replace);
  }
};

TEST_F(FewBlobs, ASucceededExportPastTheBlobsKeptEvictsTheOldestFinishedOne) {
  const auto first = start_export("G000000001");
  poll_to_completion(first);
  poll_to_completion(start_export("G000000002"));
  poll_to_completion(start_export("G000000003"));
  expect_gone(get(first));
  const auto page = fake_->admin().operations_page();
  EXPECT_EQ(page.total, 2u);
  EXPECT_EQ(page.evicted, 1u);
}

TEST_F(FewBlobs, ExportsNotYetSucceededHoldNoBlobs) {
  const auto waiting = start_export("G000000001");
  for (int i = 0; i < 5; ++i) start_export("G00000001" + std::to_string(i));
  EXPECT_EQ(fake_->admin().operations_page().total, 6u);
  EXPECT_EQ(get(waiting)->status, 200);
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
