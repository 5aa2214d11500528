#include "domain/journal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "admin/admin_json.h"
#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::kBilledExportPath;
using unit_test::t0;

using namespace std::chrono_literals;

JournalEntry entry(std::string method, std::string path, int status = 200, std::string endpoint = "operation",
                   std::string operation_id = {}) {
  JournalEntry e;
  e.at = t0;
  e.method = std::move(method);
  e.path = std::move(path);
  e.status = status;
  e.endpoint = endpoint_named(endpoint).value();
  e.operation_id = std::move(operation_id);
  return e;
}

std::vector<std::string> paths_of(const std::vector<JournalEntry>& entries) {
  std::vector<std::string> paths;
  for (const auto& e : entries) paths.push_back(e.path);
  return paths;
}

std::vector<std::uint64_t> sequences_of(const std::vector<JournalEntry>& entries) {
  std::vector<std::uint64_t> sequences;
  for (const auto& e : entries) sequences.push_back(e.sequence);
  return sequences;
}

constexpr const char* kOperation = "/v1.0/reports/partners/billing/operations/0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e";
constexpr const char* kBlob = "/devstoreaccount1/billing/v1/tenant/file-0.json.gz";

// --- recording --------------------------------------------------------------------

TEST(Journal, Record_NumbersEntriesFromOneInAnswerOrder) {
  Journal journal(10);
  journal.record(entry("POST", "/a"));
  journal.record(entry("GET", "/b"));
  journal.record(entry("GET", "/c"));
  const auto all = journal.entries({});
  EXPECT_EQ(sequences_of(all), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(paths_of(all), (std::vector<std::string>{"/a", "/b", "/c"}));
}

TEST(Journal, Record_ReturnsTheSequenceNumberItGave) {
  Journal journal(10);
  EXPECT_EQ(journal.record(entry("GET", "/a")), 1u);
  EXPECT_EQ(journal.record(entry("GET", "/b")), 2u);
}

TEST(Journal, Record_IgnoresASequenceNumberTheCallerSet) {
  Journal journal(10);
  auto e = entry("GET", "/a");
  e.sequence = 77;
  EXPECT_EQ(journal.record(e), 1u);
  EXPECT_EQ(journal.entries({}).at(0).sequence, 1u);
}

TEST(Journal, Record_KeepsEveryFieldAsGiven) {
  Journal journal(10);
  JournalEntry e;
  e.at = t0 + 90s;
  e.method = "POST";
  e.path = kBilledExportPath;
  e.query = "a=1&b=2";
  e.request_headers = {{"content-type", "application/json"}, {"x-test", "1"}};
  e.request_body = R"({"invoiceId":"G016907411"})";
  e.status = 202;
  e.response_headers = {{"Location", "http://x/op"}};
  e.endpoint = Endpoint::export_request;
  e.operation_id = "op-1";
  e.scenario_rule = "slow.json: slow";
  e.nearest_route = "GET /somewhere";
  journal.record(e);

  const auto kept = journal.entries({}).at(0);
  EXPECT_EQ(kept.at, t0 + 90s);
  EXPECT_EQ(kept.method, "POST");
  EXPECT_EQ(kept.path, kBilledExportPath);
  EXPECT_EQ(kept.query, "a=1&b=2");
  EXPECT_EQ(kept.request_headers, e.request_headers);
  EXPECT_EQ(kept.request_body, e.request_body);
  EXPECT_EQ(kept.status, 202);
  EXPECT_EQ(kept.response_headers, e.response_headers);
  EXPECT_EQ(kept.endpoint, Endpoint::export_request);
  EXPECT_EQ(kept.operation_id, "op-1");
  EXPECT_EQ(kept.scenario_rule, "slow.json: slow");
  EXPECT_EQ(kept.nearest_route, "GET /somewhere");
}

TEST(Journal, EmptyJournal_HasNoEntriesAndNothingDropped) {
  Journal journal(10);
  EXPECT_TRUE(journal.entries({}).empty());
  EXPECT_EQ(journal.count({}), 0u);
  EXPECT_EQ(journal.dropped(), 0u);
}

// --- the cap ----------------------------------------------------------------------

TEST(Journal, Constructor_RefusesACapacityOfZero) { EXPECT_THROW(Journal(0), std::invalid_argument); }

TEST(Journal, Cap_UpToItNothingIsDropped) {
  Journal journal(3);
  for (const char* path : {"/1", "/2", "/3"}) journal.record(entry("GET", path));
  EXPECT_EQ(journal.count({}), 3u);
  EXPECT_EQ(journal.dropped(), 0u);
}

TEST(Journal, Cap_PastItTheOldestAreDroppedAndCounted) {
  Journal journal(3);
  for (const char* path : {"/1", "/2", "/3", "/4", "/5"}) journal.record(entry("GET", path));
  const auto kept = journal.entries({});
  EXPECT_EQ(paths_of(kept), (std::vector<std::string>{"/3", "/4", "/5"}));
  EXPECT_EQ(journal.dropped(), 2u);
}

TEST(Journal, Cap_SequenceNumbersKeepCountingPastDroppedEntries) {
  Journal journal(2);
  for (int i = 0; i < 5; ++i) journal.record(entry("GET", "/" + std::to_string(i)));
  EXPECT_EQ(sequences_of(journal.entries({})), (std::vector<std::uint64_t>{4, 5}));
}

TEST(Journal, Cap_OfOneKeepsOnlyTheLatest) {
  Journal journal(1);
  journal.record(entry("GET", "/old"));
  journal.record(entry("GET", "/new"));
  EXPECT_EQ(paths_of(journal.entries({})), (std::vector<std::string>{"/new"}));
  EXPECT_EQ(journal.dropped(), 1u);
}

TEST(Journal, Visit_SeesTheKeptEntriesInOrderAndReturnsTheDroppedCount) {
  Journal journal(2);
  for (int i = 0; i < 3; ++i) journal.record(entry("GET", "/" + std::to_string(i)));
  std::vector<std::string> paths;
  const auto dropped = journal.visit([&paths](const JournalEntry& e) { paths.push_back(e.path); });
  EXPECT_EQ(paths, (std::vector<std::string>{"/1", "/2"}));
  EXPECT_EQ(dropped, 1u);
}

// --- the byte cap and what an entry keeps ------------------------------------------

JournalEntry with_body(std::string path, std::size_t body_bytes) {
  auto e = entry("POST", std::move(path));
  e.request_body.assign(body_bytes, 'b');
  return e;
}

TEST(Journal, Constructor_RefusesAByteCapacityOfZero) { EXPECT_THROW(Journal(10, 0), std::invalid_argument); }

TEST(Journal, Record_CutsABodyPastItsLimitWithAMarkerSayingHowMuch) {
  Journal journal(10);
  journal.record(with_body("/big", Journal::kBodyKept + 1000));
  const auto body = journal.entries({}).at(0).request_body;
  EXPECT_EQ(body.substr(0, Journal::kBodyKept), std::string(Journal::kBodyKept, 'b'));
  EXPECT_EQ(body.substr(Journal::kBodyKept), "[graphfake truncated 1000 bytes]");
}

TEST(Journal, Record_KeepsABodyAtItsLimitWhole) {
  Journal journal(10);
  journal.record(with_body("/limit", Journal::kBodyKept));
  EXPECT_EQ(journal.entries({}).at(0).request_body, std::string(Journal::kBodyKept, 'b'));
}

TEST(Journal, Record_CutsALongPathWithAMarker) {
  Journal journal(10);
  journal.record(entry("GET", "/" + std::string(Journal::kTextKept + 9, 'p')));
  const auto path = journal.entries({}).at(0).path;
  EXPECT_EQ(path.size(), Journal::kTextKept + std::string_view("[graphfake truncated 10 bytes]").size());
  EXPECT_TRUE(path.ends_with("[graphfake truncated 10 bytes]")) << path.substr(Journal::kTextKept);
}

TEST(Journal, Record_ReplacesHeadersPastTheCountLimitWithOneMarkerHeader) {
  Journal journal(10);
  auto e = entry("GET", "/many-headers");
  for (int i = 0; i < 50'000; ++i) e.request_headers.emplace_back("x-h" + std::to_string(i), "v");
  journal.record(std::move(e));
  const auto headers = journal.entries({}).at(0).request_headers;
  ASSERT_EQ(headers.size(), Journal::kHeadersKept + 1);
  EXPECT_EQ(headers[Journal::kHeadersKept - 1].first, "x-h99");
  EXPECT_EQ(headers.back().first, "graphfake-truncated");
  EXPECT_TRUE(headers.back().second.starts_with("49900 more headers")) << headers.back().second;
}

TEST(Journal, Record_ReplacesHeadersPastTheByteLimitWithOneMarkerHeader) {
  Journal journal(10);
  auto e = entry("GET", "/big-headers");
  for (int i = 0; i < 3; ++i) e.request_headers.emplace_back("x-big" + std::to_string(i), std::string(7000, 'v'));
  journal.record(std::move(e));
  const auto headers = journal.entries({}).at(0).request_headers;
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[1].first, "x-big1");
  EXPECT_EQ(headers[2].first, "graphfake-truncated");
  EXPECT_TRUE(headers[2].second.starts_with("1 more headers")) << headers[2].second;
}

TEST(Journal, Bytes_AreTheFootprintsOfTheKeptEntries) {
  Journal journal(10);
  const auto small = entry("GET", "/small");
  const auto large = with_body("/large", 4096);
  journal.record(small);
  journal.record(large);
  EXPECT_EQ(journal.bytes(), footprint(small) + footprint(large));
}

TEST(Journal, ByteCap_PastItTheOldestAreDroppedAndCounted) {
  const auto one = footprint(with_body("/0", 10'000));
  Journal journal(100, 3 * one);
  for (int i = 0; i < 5; ++i) journal.record(with_body("/" + std::to_string(i), 10'000));
  EXPECT_EQ(paths_of(journal.entries({})), (std::vector<std::string>{"/2", "/3", "/4"}));
  EXPECT_EQ(journal.dropped(), 2u);
  EXPECT_EQ(journal.bytes(), 3 * one);
}

TEST(Journal, ByteCap_HugeRequestsTakeNoMoreThanTheCap) {
  constexpr std::size_t kCap = 256 * 1024;
  Journal journal(10'000, kCap);
  for (int i = 0; i < 10; ++i) {
    auto e = with_body("/" + std::to_string(i), 1024 * 1024);
    for (int h = 0; h < 5'000; ++h) e.request_headers.emplace_back("x-h" + std::to_string(h), "value");
    journal.record(std::move(e));
  }
  EXPECT_LE(journal.bytes(), kCap);
  EXPECT_EQ(journal.count({}) + journal.dropped(), 10u);
  EXPECT_GT(journal.dropped(), 0u);
}

TEST(Journal, ByteCap_SmallerThanOneEntryStillKeepsTheLatest) {
  Journal journal(10, 1);
  journal.record(entry("GET", "/old"));
  journal.record(entry("GET", "/new"));
  EXPECT_EQ(paths_of(journal.entries({})), (std::vector<std::string>{"/new"}));
  EXPECT_EQ(journal.dropped(), 1u);
}

// --- bytes shared by the journals of a server --------------------------------------

TEST(JournalSpace, JournalsSharingItTakeNoMoreThanItsCapacityTogether) {
  const auto one = footprint(with_body("/0", 10'000));
  const auto space = std::make_shared<JournalSpace>(4 * one);
  Journal first(100, space);
  Journal second(100, space);
  for (int i = 0; i < 10; ++i) {
    first.record(with_body("/first" + std::to_string(i), 10'000));
    second.record(with_body("/second" + std::to_string(i), 10'000));
  }
  EXPECT_LE(space->bytes(), 4 * one);
  EXPECT_EQ(space->bytes(), first.bytes() + second.bytes());
}

TEST(JournalSpace, PastItTheJournalHoldingTheMostDropsItsOldest) {
  const auto one = footprint(with_body("/0", 10'000));
  // Four entries, whatever their paths' lengths; not five.
  const auto space = std::make_shared<JournalSpace>(4 * one + 100);
  Journal busy(100, space);
  Journal quiet(100, space);
  quiet.record(with_body("/quiet", 10'000));
  for (int i = 0; i < 3; ++i) busy.record(with_body("/busy" + std::to_string(i), 10'000));
  quiet.record(with_body("/quiet-again", 10'000));
  EXPECT_EQ(paths_of(quiet.entries({})), (std::vector<std::string>{"/quiet", "/quiet-again"}));
  EXPECT_EQ(paths_of(busy.entries({})), (std::vector<std::string>{"/busy1", "/busy2"}));
  EXPECT_EQ(busy.dropped(), 1u);
  EXPECT_EQ(quiet.dropped(), 0u);
}

TEST(JournalSpace, EachJournalKeepsItsLatestEntryWhateverTheOthersHold) {
  const auto space = std::make_shared<JournalSpace>(1);
  Journal first(100, space);
  Journal second(100, space);
  first.record(entry("GET", "/first"));
  second.record(entry("GET", "/second"));
  EXPECT_EQ(paths_of(first.entries({})), (std::vector<std::string>{"/first"}));
  EXPECT_EQ(paths_of(second.entries({})), (std::vector<std::string>{"/second"}));
}

TEST(JournalSpace, AJournalDestroyedGivesItsBytesBack) {
  const auto space = std::make_shared<JournalSpace>(1024 * 1024);
  {
    Journal gone(100, space);
    gone.record(with_body("/gone", 10'000));
    EXPECT_GT(space->bytes(), 0u);
  }
  EXPECT_EQ(space->bytes(), 0u);
}

TEST(JournalSpace, EntriesDroppedForTheEntryCountGiveTheirBytesBack) {
  const auto space = std::make_shared<JournalSpace>(1024 * 1024);
  Journal journal(1, space);
  journal.record(with_body("/old", 10'000));
  journal.record(entry("GET", "/new"));
  EXPECT_EQ(space->bytes(), footprint(entry("GET", "/new")));
}

TEST(JournalSpace, ACapacityOfZeroIsRefused) { EXPECT_THROW(JournalSpace(0), std::invalid_argument); }

// --- pages ------------------------------------------------------------------------

TEST(Journal, Page_StopsAfterTheEntryWhoseJsonPassesTheByteLimitAndLinksTheRest) {
  Journal journal(10);
  for (int i = 0; i < 5; ++i) journal.record(with_body("/" + std::to_string(i), 1'000));
  const auto one = listed_bytes(journal.entries({}).front());
  const auto page = journal.page({}, Page{.skip = 0, .top = 5}, 2 * one + 1);
  EXPECT_EQ(paths_of(page.entries), (std::vector<std::string>{"/0", "/1", "/2"}));
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->skip, 3u);
  EXPECT_EQ(page.next->top, 5u);
}

TEST(Journal, Page_HoldsOneEntryWhateverItsSize) {
  Journal journal(10);
  journal.record(with_body("/huge", 60'000));
  journal.record(entry("GET", "/next"));
  const auto page = journal.page({}, Page{.skip = 0, .top = 5}, 1);
  EXPECT_EQ(paths_of(page.entries), (std::vector<std::string>{"/huge"}));
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->skip, 1u);
}

TEST(Journal, ListedBytes_CountBodiesOfControlBytesAsTheirSixByteEscapes) {
  auto e = entry("POST", "/p");
  const auto plain = listed_bytes(e);
  e.request_body = std::string(1'000, '\x01');
  EXPECT_EQ(listed_bytes(e), plain + 6'000);
}

// As the admin surface writes an entry.
std::size_t to_json_size(const JournalEntry& e) {
  return admin::to_json(e).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).size();
}

TEST(Journal, ListedBytes_AreNeverLessThanTheEntrysJson) {
  auto e = with_body("/p\"q", 100);
  e.request_body += "\n\t\\\"\x7f\xff\xc3\xa9";
  e.request_headers = {{"x-a", "\x01b"}};
  e.response_headers = {{"Retry-After", "5"}};
  e.nearest_route = "GET /x";
  EXPECT_GE(listed_bytes(e), to_json_size(e));
}

TEST(Journal, Page_SkipsThenTakesTopWithTheTotalAndTheNextPage) {
  Journal journal(10);
  for (int i = 0; i < 7; ++i) journal.record(entry("GET", "/" + std::to_string(i)));
  const auto page = journal.page({}, Page{.skip = 2, .top = 3});
  EXPECT_EQ(paths_of(page.entries), (std::vector<std::string>{"/2", "/3", "/4"}));
  EXPECT_EQ(page.total, 7u);
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->skip, 5u);
  EXPECT_EQ(page.next->top, 3u);
}

TEST(Journal, Page_TheLastPageHasNoNext) {
  Journal journal(10);
  for (int i = 0; i < 6; ++i) journal.record(entry("GET", "/" + std::to_string(i)));
  const auto page = journal.page({}, Page{.skip = 3, .top = 3});
  EXPECT_EQ(paths_of(page.entries), (std::vector<std::string>{"/3", "/4", "/5"}));
  EXPECT_FALSE(page.next.has_value());
}

TEST(Journal, Page_CountsOnlyMatchingEntries) {
  Journal journal(10);
  for (int i = 0; i < 6; ++i) journal.record(entry(i % 2 == 0 ? "GET" : "POST", "/" + std::to_string(i)));
  const auto page = journal.page({.method = "POST"}, Page{.skip = 0, .top = 2});
  EXPECT_EQ(paths_of(page.entries), (std::vector<std::string>{"/1", "/3"}));
  EXPECT_EQ(page.total, 3u);
  EXPECT_TRUE(page.next.has_value());
}

TEST(Journal, Page_SkippingPastTheEndIsEmpty) {
  Journal journal(10);
  journal.record(entry("GET", "/only"));
  const auto page = journal.page({}, Page{.skip = std::numeric_limits<std::size_t>::max(), .top = 5});
  EXPECT_TRUE(page.entries.empty());
  EXPECT_EQ(page.total, 1u);
  EXPECT_FALSE(page.next.has_value());
}

// --- queries ----------------------------------------------------------------------

class JournalQueries : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_.record(entry("POST", kBilledExportPath, 202, "export", "op-a"));
    journal_.record(entry("GET", kOperation, 200, "operation", "op-a"));
    journal_.record(entry("GET", kOperation, 429, "operation", "op-a"));
    journal_.record(entry("POST", kBilledExportPath, 202, "export", "op-b"));
    journal_.record(entry("GET", kBlob, 200, "blob", "op-b"));
    journal_.record(entry("GET", "/v1.0/reports/partners/billing/operation/x", 404, "unmatched"));
  }

  std::vector<std::uint64_t> found(const JournalQuery& query) const { return sequences_of(journal_.entries(query)); }

  Journal journal_{100};
};

TEST_F(JournalQueries, EmptyQuery_MatchesEverythingOldestFirst) {
  EXPECT_EQ(found({}), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(JournalQueries, Method_MatchesExactly) {
  EXPECT_EQ(found(JournalQuery{.method = "POST"}), (std::vector<std::uint64_t>{1, 4}));
  EXPECT_TRUE(found(JournalQuery{.method = "post"}).empty());
  EXPECT_TRUE(found(JournalQuery{.method = "PO"}).empty());
}

TEST_F(JournalQueries, PathPattern_MatchesTheWholePathWithStars) {
  EXPECT_EQ(found(JournalQuery{.path_pattern = "*/operations/*"}), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(found(JournalQuery{.path_pattern = "/devstoreaccount1/*"}), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(found(JournalQuery{.path_pattern = kBilledExportPath}), (std::vector<std::uint64_t>{1, 4}));
  // Without a star the pattern is the whole path, not a part of it.
  EXPECT_TRUE(found(JournalQuery{.path_pattern = "/operations/"}).empty());
}

TEST_F(JournalQueries, PathPattern_DoesNotLookAtTheQuery) {
  auto with_query = entry("GET", "/devstoreaccount1/c/blob", 200, "blob");
  with_query.query = "sig=abc";
  journal_.record(with_query);
  EXPECT_EQ(found(JournalQuery{.path_pattern = "*sig=*"}), std::vector<std::uint64_t>{});
  EXPECT_EQ(found(JournalQuery{.path_pattern = "*/blob"}), (std::vector<std::uint64_t>{7}));
}

TEST_F(JournalQueries, OperationId_MatchesExactly) {
  EXPECT_EQ(found(JournalQuery{.operation_id = "op-b"}), (std::vector<std::uint64_t>{4, 5}));
  EXPECT_TRUE(found(JournalQuery{.operation_id = "op"}).empty());
}

TEST_F(JournalQueries, OperationId_EmptyFindsRequestsThatTouchedNone) {
  EXPECT_EQ(found(JournalQuery{.operation_id = ""}), (std::vector<std::uint64_t>{6}));
}

TEST_F(JournalQueries, Status_MatchesExactly) {
  EXPECT_EQ(found(JournalQuery{.status = 429}), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(found(JournalQuery{.status = 202}), (std::vector<std::uint64_t>{1, 4}));
  EXPECT_TRUE(found(JournalQuery{.status = 500}).empty());
}

TEST_F(JournalQueries, Endpoint_MatchesExactly) {
  EXPECT_EQ(found(JournalQuery{.endpoint = Endpoint::unmatched}), (std::vector<std::uint64_t>{6}));
  EXPECT_EQ(found(JournalQuery{.endpoint = Endpoint::blob}), (std::vector<std::uint64_t>{5}));
  EXPECT_TRUE(found(JournalQuery{.endpoint = Endpoint::manifest}).empty());
}

TEST_F(JournalQueries, Fields_CombineAsAnd) {
  EXPECT_EQ(found(JournalQuery{.method = "GET", .operation_id = "op-a", .status = 200}), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(found(JournalQuery{.method = "GET", .path_pattern = "*/operations/*", .endpoint = Endpoint::operation}),
            (std::vector<std::uint64_t>{2, 3}));
  EXPECT_TRUE(found(JournalQuery{.method = "POST", .endpoint = Endpoint::blob}).empty());
}

TEST_F(JournalQueries, Count_AgreesWithEntriesForEveryQuery) {
  const JournalQuery queries[] = {
      {},
      JournalQuery{.method = "GET"},
      JournalQuery{.path_pattern = "*/operations/*"},
      JournalQuery{.operation_id = "op-a"},
      JournalQuery{.status = 202},
      JournalQuery{.endpoint = Endpoint::unmatched},
      JournalQuery{.method = "GET", .operation_id = "op-a", .status = 429},
      JournalQuery{.method = "DELETE"},
  };
  for (const auto& query : queries) EXPECT_EQ(journal_.count(query), journal_.entries(query).size());
}

TEST(Journal, Matches_AnEmptyQueryMatchesAnEmptyEntry) { EXPECT_TRUE(matches({}, JournalEntry{})); }

// --- glob_matches -----------------------------------------------------------------

TEST(GlobMatches, WithoutAStar_TheWholeTextMustBeEqual) {
  EXPECT_TRUE(glob_matches("/a/b", "/a/b"));
  EXPECT_FALSE(glob_matches("/a/b", "/a/bc"));
  EXPECT_FALSE(glob_matches("/a/bc", "/a/b"));
  EXPECT_FALSE(glob_matches("/a/b", "/A/B"));
}

TEST(GlobMatches, EmptyPattern_MatchesOnlyEmptyText) {
  EXPECT_TRUE(glob_matches("", ""));
  EXPECT_FALSE(glob_matches("", "a"));
}

TEST(GlobMatches, EmptyText_MatchesOnlyStars) {
  EXPECT_TRUE(glob_matches("*", ""));
  EXPECT_TRUE(glob_matches("***", ""));
  EXPECT_FALSE(glob_matches("a", ""));
  EXPECT_FALSE(glob_matches("*a*", ""));
}

TEST(GlobMatches, LoneStar_MatchesAnything) {
  EXPECT_TRUE(glob_matches("*", "/v1.0/reports/partners/billing/operations/x"));
  EXPECT_TRUE(glob_matches("*", "*"));
}

TEST(GlobMatches, LeadingStar_MatchesAnyPrefix) {
  EXPECT_TRUE(glob_matches("*/export", kBilledExportPath));
  EXPECT_TRUE(glob_matches("*export", "export"));
  EXPECT_FALSE(glob_matches("*/export", "/export/more"));
}

TEST(GlobMatches, TrailingStar_MatchesAnySuffix) {
  EXPECT_TRUE(glob_matches("/devstoreaccount1/*", kBlob));
  EXPECT_TRUE(glob_matches("/v1.0*", "/v1.0"));
  EXPECT_FALSE(glob_matches("/beta/*", kBilledExportPath));
}

TEST(GlobMatches, MiddleStar_MatchesAnyRunIncludingNone) {
  EXPECT_TRUE(glob_matches("/a*/z", "/a/b/c/z"));
  EXPECT_TRUE(glob_matches("/a*/z", "/a/z"));
  EXPECT_FALSE(glob_matches("/a*/z", "/a/b/c/y"));
}

TEST(GlobMatches, ManyStars_EachMatchesItsOwnRun) {
  EXPECT_TRUE(glob_matches("*/operations/*", kOperation));
  EXPECT_TRUE(glob_matches("*v1.0*billing*operations*", kOperation));
  EXPECT_TRUE(glob_matches("a*b*c*d", "a1b2c3d"));
  EXPECT_TRUE(glob_matches("a**b", "ab"));
  EXPECT_FALSE(glob_matches("a*b*c*d", "a1c2b3d"));
  EXPECT_FALSE(glob_matches("*/manifests/*", kOperation));
}

TEST(GlobMatches, StarBacktracksPastAFalseStart) {
  // The first "ab" after the star is not the one the pattern needs.
  EXPECT_TRUE(glob_matches("*abc", "ababc"));
  EXPECT_TRUE(glob_matches("*aab", "aaab"));
  EXPECT_FALSE(glob_matches("*abc", "ababd"));
}

TEST(GlobMatches, OtherCharactersAreLiteral) {
  EXPECT_TRUE(glob_matches("a?b", "a?b"));
  EXPECT_FALSE(glob_matches("a?b", "axb"));
  EXPECT_FALSE(glob_matches("v1.0", "v1x0"));
}

TEST(GlobMatches, ManyStarsAgainstALongMissStaysFast) {
  // A naive backtracking matcher is exponential here; this one is not.
  const std::string text(2000, 'a');
  EXPECT_FALSE(glob_matches("*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
  EXPECT_TRUE(glob_matches("*a*a*a*a*a*a*a*a*a*a*a*a*", text));
}

// --- concurrency ------------------------------------------------------------------

// Every field of an entry recorded by `writer` as its `index`th, derived from
// both, so that a reader can tell a torn or mixed-up entry from a whole one.
JournalEntry tagged(int writer, int index) {
  const std::string tag = std::to_string(writer) + "-" + std::to_string(index);
  JournalEntry e;
  e.at = t0 + std::chrono::milliseconds(index);
  e.method = "W" + std::to_string(writer);
  e.path = "/writer/" + tag;
  e.query = "q=" + tag;
  e.request_headers = {{"x-tag", tag}};
  e.request_body = std::string(64, static_cast<char>('a' + writer % 26)) + tag;
  e.status = 200 + writer;
  e.response_headers = {{"X-Tag", tag}};
  e.endpoint = Endpoint::operation;
  e.operation_id = "op-" + tag;
  e.scenario_rule = "file.json: " + tag;
  return e;
}

::testing::AssertionResult is_whole(const JournalEntry& e) {
  const auto dash = e.path.rfind('-');
  const auto slash = e.path.rfind('/');
  if (slash == std::string::npos || dash == std::string::npos || dash < slash) {
    return ::testing::AssertionFailure() << "unexpected path " << e.path;
  }
  const int writer = std::stoi(e.path.substr(slash + 1, dash - slash - 1));
  const int index = std::stoi(e.path.substr(dash + 1));
  const auto expected = tagged(writer, index);
  if (e.at != expected.at || e.method != expected.method || e.query != expected.query ||
      e.request_headers != expected.request_headers || e.request_body != expected.request_body ||
      e.status != expected.status || e.response_headers != expected.response_headers ||
      e.endpoint != expected.endpoint || e.operation_id != expected.operation_id ||
      e.scenario_rule != expected.scenario_rule) {
    return ::testing::AssertionFailure() << "torn entry " << e.sequence << " at " << e.path;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult contiguous(const std::vector<JournalEntry>& entries) {
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].sequence != entries[i - 1].sequence + 1) {
      return ::testing::AssertionFailure() << "sequence " << entries[i - 1].sequence << " is followed by "
                                           << entries[i].sequence;
    }
  }
  return ::testing::AssertionSuccess();
}

struct ConcurrentRun {
  std::vector<std::vector<std::uint64_t>> returned;  // per writer, in recording order
  std::atomic<int> snapshots_checked{0};
};

// `writers` threads record `per_writer` entries each while `readers` threads
// query and count, all starting together.
void run_concurrently(Journal& journal, int writers, int per_writer, int readers, ConcurrentRun& run) {
  run.returned.assign(static_cast<std::size_t>(writers), {});
  std::atomic<int> writers_left{writers};
  std::latch start(writers + readers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < per_writer; ++i) run.returned[static_cast<std::size_t>(w)].push_back(journal.record(tagged(w, i)));
      writers_left.fetch_sub(1);
    });
  }
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      start.arrive_and_wait();
      // Readers keep going until every writer is done, so they overlap them.
      while (writers_left.load() > 0) {
        const auto snapshot =
            journal.entries(r % 2 == 0 ? JournalQuery{} : JournalQuery{.endpoint = Endpoint::operation});
        EXPECT_TRUE(contiguous(snapshot));
        for (const auto& e : snapshot) EXPECT_TRUE(is_whole(e));
        const auto own = journal.entries(JournalQuery{.method = "W" + std::to_string(r % writers)});
        for (std::size_t i = 1; i < own.size(); ++i) EXPECT_LT(own[i - 1].sequence, own[i].sequence);
        EXPECT_LE(journal.count(JournalQuery{.status = 200}), static_cast<std::size_t>(per_writer));
        (void)journal.dropped();
        run.snapshots_checked.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(Journal, ConcurrentRecordsAndQueries_KeepExactCountsUniqueContiguousSequencesAndWholeEntries) {
  constexpr int kWriters = 6;
  constexpr int kPerWriter = 400;
  constexpr int kReaders = 4;
  Journal journal(kWriters * kPerWriter);
  ConcurrentRun run;
  run_concurrently(journal, kWriters, kPerWriter, kReaders, run);

  const auto all = journal.entries({});
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kWriters * kPerWriter));
  EXPECT_EQ(journal.count({}), all.size());
  EXPECT_EQ(journal.dropped(), 0u);
  EXPECT_EQ(all.front().sequence, 1u);
  EXPECT_TRUE(contiguous(all));
  for (const auto& e : all) EXPECT_TRUE(is_whole(e));

  std::set<std::uint64_t> given;
  for (int w = 0; w < kWriters; ++w) {
    SCOPED_TRACE(w);
    const auto& mine = run.returned[static_cast<std::size_t>(w)];
    ASSERT_EQ(mine.size(), static_cast<std::size_t>(kPerWriter));
    // One writer's entries are numbered in the order it recorded them.
    for (std::size_t i = 1; i < mine.size(); ++i) EXPECT_LT(mine[i - 1], mine[i]);
    given.insert(mine.begin(), mine.end());
    EXPECT_EQ(journal.count(JournalQuery{.method = "W" + std::to_string(w)}), static_cast<std::size_t>(kPerWriter));
    EXPECT_EQ(journal.count(JournalQuery{.status = 200 + w}), static_cast<std::size_t>(kPerWriter));
  }
  EXPECT_EQ(given.size(), all.size());
  EXPECT_EQ(*given.begin(), 1u);
  EXPECT_EQ(*given.rbegin(), all.size());
}

TEST(Journal, ConcurrentRecordsPastTheCap_DropExactlyTheOverflowAndKeepTheNewest) {
  constexpr int kWriters = 6;
  constexpr int kPerWriter = 400;
  constexpr std::size_t kCapacity = 500;
  Journal journal(kCapacity);
  ConcurrentRun run;
  run_concurrently(journal, kWriters, kPerWriter, 3, run);

  constexpr std::uint64_t kTotal = kWriters * kPerWriter;
  const auto kept = journal.entries({});
  ASSERT_EQ(kept.size(), kCapacity);
  EXPECT_EQ(journal.dropped(), kTotal - kCapacity);
  EXPECT_EQ(kept.front().sequence, kTotal - kCapacity + 1);
  EXPECT_EQ(kept.back().sequence, kTotal);
  EXPECT_TRUE(contiguous(kept));
  for (const auto& e : kept) EXPECT_TRUE(is_whole(e));

  std::set<std::uint64_t> given;
  for (const auto& mine : run.returned) given.insert(mine.begin(), mine.end());
  EXPECT_EQ(given.size(), kTotal);
}

}  // namespace
}  // namespace graphfake::domain
