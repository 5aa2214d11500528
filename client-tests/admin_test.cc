// graphfake::Admin against a running fake, through both of its
// implementations: LocalAdmin in-process and HttpAdmin over the admin API.
// Every test runs twice (".../InProcess" and ".../Http") and must pass the
// same way: the two are one interface, not two similar ones.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "graphfake/admin.h"
#include "graphfake/http_admin.h"
#include "graphfake/scenarios.h"
#include "support/http_support.h"
#include "support/temp_files.h"
#include "support/test_values.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

// Two polls of running, then succeeded with one small blob.
constexpr const char* kQuick = R"({"rules": [{"name": "quick", "timeline": [
  {"status": "notStarted", "polls": 1},
  {"status": "running", "polls": 1},
  {"status": "succeeded", "rows": 10, "rowsPerBlob": 10}]}]})";

constexpr const char* kTwoMinutes = R"({"rules": [{"name": "two minutes", "timeline": [
  {"status": "running", "after": "2m", "retryAfter": "30s"},
  {"status": "succeeded", "rows": 10}]}]})";

constexpr const char* kThrottleFirstExport = R"({"rules": [{"name": "throttle once", "faults": [
  {"on": "export", "requests": [1], "status": 429, "retryAfter": "5s"}]}]})";

template <typename Call>
std::vector<std::string> scenario_errors(Call&& call) {
  try {
    call();
  } catch (const ScenarioError& error) {
    return error.errors();
  }
  ADD_FAILURE() << "no ScenarioError was thrown";
  return {};
}

std::vector<std::string> names_of(const std::vector<ScenarioFileInfo>& files) {
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name);
  return names;
}

std::vector<std::string> endpoints_of(const std::vector<JournalEntry>& entries) {
  std::vector<std::string> endpoints;
  for (const auto& entry : entries) endpoints.emplace_back(to_string(entry.endpoint));
  return endpoints;
}

std::string header_of(const HeaderPairs& headers, const std::string& name) {
  for (const auto& [n, value] : headers) {
    if (n == name) return value;
  }
  return {};
}

bool has_header(const HeaderPairs& headers, const std::string& name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& pair) { return pair.first == name; });
}

enum class AdminTransport { in_process, http };

std::string admin_transport_name(const ::testing::TestParamInfo<AdminTransport>& info) {
  return info.param == AdminTransport::in_process ? "InProcess" : "Http";
}

class AdminTest : public FakeTest, public ::testing::WithParamInterface<AdminTransport> {
 protected:
  // Over HTTP, scenario files are loaded by path only from inside a root:
  // the tests' files are anywhere under "/".
  Options options() override {
    auto options = FakeTest::options();
    if (GetParam() == AdminTransport::http) options.scenario_root = "/";
    return options;
  }

  Admin& admin() {
    if (GetParam() == AdminTransport::in_process) return fake_->admin();
    if (!http_admin_) http_admin_ = std::make_unique<HttpAdmin>(fake_->base_url());
    return *http_admin_;
  }

  std::string export_id(const std::string& invoice = "G016907411") { return operation_id_of(start_export(invoice)); }

  httplib::Result post_export(const std::string& invoice = "G016907411") {
    return post_json(kBilledExportPath, Json{{"invoiceId", invoice}, {"attributeSet", "full"}}.dump());
  }

  std::string status_of(const std::string& location) { return Json::parse(get(location)->body)["status"]; }

  TempDir dir_;
  std::unique_ptr<HttpAdmin> http_admin_;
};

// A fake started with a scenario file, as Options::scenario_paths gives it.
class AdminWithStartUpScenario : public AdminTest {
 protected:
  Options options() override {
    write_text(startup_path(), startup_text());
    auto options = AdminTest::options();
    options.scenario_paths = {startup_path()};
    return options;
  }
  virtual std::string startup_text() const { return kQuick; }
  std::string startup_path() const { return dir_.file("startup.json"); }
};

class AdminWithThrottlingScenario : public AdminWithStartUpScenario {
 protected:
  std::string startup_text() const override { return kThrottleFirstExport; }
};

class AdminOnTheSystemClock : public AdminTest {
 protected:
  Options options() override {
    auto options = AdminTest::options();
    options.clock = nullptr;  // the system clock
    return options;
  }
};

class AdminWithSmallJournal : public AdminTest {
 protected:
  Options options() override {
    auto options = AdminTest::options();
    options.journal_capacity = 3;
    return options;
  }
};

// --- reset ------------------------------------------------------------------------

TEST_P(AdminTest, Reset_ForgetsOperationsAndJournalAndRewindsTheVirtualClock) {
  poll_to_completion(start_export());
  clock_->advance(2h);
  ASSERT_FALSE(admin().operations().empty());
  ASSERT_GT(admin().count(), 0u);

  admin().reset();

  EXPECT_TRUE(admin().operations().empty());
  EXPECT_TRUE(admin().journal().empty());
  EXPECT_EQ(admin().journal_dropped(), 0u);
  EXPECT_EQ(admin().now(), t0);
  EXPECT_EQ(clock_->now(), t0);
}

TEST_P(AdminTest, Reset_OperationsFromBeforeAreUnknownToClients) {
  const auto location = start_export();
  admin().reset();
  auto result = get(location);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
}

TEST_P(AdminTest, Reset_GivesTheIdsAFreshFakeGives) {
  const auto before = start_export();
  start_export("G000000002");
  admin().reset();
  EXPECT_EQ(start_export(), before);
}

TEST_P(AdminTest, Reset_NumbersTheJournalFromOneAgain) {
  start_export();
  start_export();
  admin().reset();
  start_export();
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].sequence, 1u);
}

TEST_P(AdminWithStartUpScenario, Reset_BringsBackTheStartUpScenarioFiles) {
  admin().load_scenarios({{"fails.json", kFailsRule}}, Admin::Load::replace);
  ASSERT_EQ(names_of(admin().scenarios()), std::vector<std::string>{"fails.json"});

  admin().reset();

  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{startup_path()});
  const auto id = export_id();
  EXPECT_EQ(admin().operation(id).scenario_rule, startup_path() + ": quick");
}

TEST_P(AdminWithThrottlingScenario, Reset_StartsTheRulesCountsAgain) {
  ASSERT_EQ(post_export()->status, 429);
  ASSERT_EQ(post_export()->status, 202);
  admin().reset();
  EXPECT_EQ(post_export()->status, 429);
}

TEST_P(AdminWithSmallJournal, Reset_ForgetsTheDroppedCount) {
  for (int i = 0; i < 5; ++i) post_export();
  ASSERT_EQ(admin().journal_dropped(), 2u);
  admin().reset();
  EXPECT_EQ(admin().journal_dropped(), 0u);
}

// --- scenarios --------------------------------------------------------------------

TEST_P(AdminTest, Scenarios_NoneLoadedIsAnEmptyList) { EXPECT_TRUE(admin().scenarios().empty()); }

TEST_P(AdminWithStartUpScenario, Scenarios_ListsTheStartUpFilesAndTheirRules) {
  const auto files = admin().scenarios();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, startup_path());
  EXPECT_EQ(files[0].rules, std::vector<std::string>{"quick"});
}

TEST_P(AdminTest, LoadScenarios_ListsRulesInMatchOrderWithDefaultNames) {
  admin().load_scenarios({{"two.json", R"({"rules": [{"name": "first"}, {}, {"name": "third"}]})"}},
                         Admin::Load::append);
  const auto files = admin().scenarios();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "two.json");
  ASSERT_EQ(files[0].rules.size(), 3u);
  EXPECT_EQ(files[0].rules[0], "first");
  EXPECT_EQ(files[0].rules[2], "third");
}

TEST_P(AdminWithStartUpScenario, LoadScenarios_AppendAddsFilesAfterTheLoadedOnes) {
  admin().load_scenarios({{"fails.json", kFailsRule}, {"slow.json", kTwoMinutes}}, Admin::Load::append);
  EXPECT_EQ(names_of(admin().scenarios()), (std::vector<std::string>{startup_path(), "fails.json", "slow.json"}));
  // The start-up rule takes every export, so it still comes first.
  EXPECT_EQ(admin().operation(export_id()).scenario_rule, startup_path() + ": quick");
}

TEST_P(AdminTest, LoadScenarios_AppendedRulesTakeTheExportsEarlierRulesDoNotMatch) {
  admin().load_scenarios({{"only-404.json", R"({"rules": [{"name": "only 404", "match": {"invoiceId": "G000000404"},
      "timeline": [{"status": "failed", "error": {"code": "5000", "message": "No data available"}}]}]})"}},
                         Admin::Load::append);
  admin().load_scenarios({{"slow.json", kTwoMinutes}}, Admin::Load::append);
  EXPECT_EQ(admin().operation(export_id("G000000404")).scenario_rule, "only-404.json: only 404");
  EXPECT_EQ(admin().operation(export_id("G000000001")).scenario_rule, "slow.json: two minutes");
}

TEST_P(AdminWithStartUpScenario, LoadScenarios_ReplaceDropsEveryLoadedFile) {
  admin().load_scenarios({{"fails.json", kFailsRule}}, Admin::Load::replace);
  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{"fails.json"});
  const auto location = start_export();
  EXPECT_EQ(status_of(location), "failed");
  EXPECT_EQ(admin().operation(operation_id_of(location)).scenario_rule, "fails.json: fails");
}

TEST_P(AdminWithStartUpScenario, LoadScenarios_ReplaceWithNothingLeavesTheDefaultTimeline) {
  admin().load_scenarios({}, Admin::Load::replace);
  EXPECT_TRUE(admin().scenarios().empty());
  const auto info = admin().operation(export_id());
  EXPECT_EQ(info.scenario_rule, "");
  EXPECT_EQ(info.phase_count, 3u);
}

TEST_P(AdminTest, LoadScenarios_OperationsAlreadyStartedKeepTheirTimelines) {
  const auto before = start_export();
  admin().load_scenarios({{"fails.json", kFailsRule}}, Admin::Load::replace);
  const auto after = start_export("G000000002");
  EXPECT_EQ(poll_to_completion(before)["status"], "succeeded");
  EXPECT_EQ(status_of(after), "failed");
}

TEST_P(AdminTest, LoadScenarios_ContentIsReadAsAFileWouldBe) {
  admin().load_scenarios({{"two-minutes.json", kTwoMinutes}}, Admin::Load::append);
  const auto location = start_export();
  EXPECT_EQ(status_of(location), "running");
  clock_->advance(2min);
  EXPECT_EQ(status_of(location), "succeeded");
}

TEST_P(AdminTest, LoadScenarioFiles_AppendsFilesFromPaths) {
  write_text(dir_.file("a.json"), kFailsRule);
  write_text(dir_.file("b.json"), kTwoMinutes);
  admin().load_scenario_files({dir_.file("a.json")}, Admin::Load::append);
  admin().load_scenario_files({dir_.file("b.json")}, Admin::Load::append);
  const auto files = admin().scenarios();
  EXPECT_EQ(names_of(files), (std::vector<std::string>{dir_.file("a.json"), dir_.file("b.json")}));
  EXPECT_EQ(files[1].rules, std::vector<std::string>{"two minutes"});
}

TEST_P(AdminWithStartUpScenario, LoadScenarioFiles_ReplacesWithFilesFromPaths) {
  write_text(dir_.file("fails.json"), kFailsRule);
  admin().load_scenario_files({dir_.file("fails.json")}, Admin::Load::replace);
  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{dir_.file("fails.json")});
  EXPECT_EQ(status_of(start_export()), "failed");
}

TEST_P(AdminTest, LoadScenarioFiles_ADirectoryLoadsItsJsonFilesInNameOrder) {
  std::filesystem::create_directory(dir_.file("set"));
  write_text(dir_.file("set/2-slow.json"), kTwoMinutes);
  write_text(dir_.file("set/1-fails.json"), kFailsRule);
  write_text(dir_.file("set/notes.txt"), "not a scenario");
  admin().load_scenario_files({dir_.file("set")}, Admin::Load::replace);
  EXPECT_EQ(names_of(admin().scenarios()),
            (std::vector<std::string>{dir_.file("set/1-fails.json"), dir_.file("set/2-slow.json")}));
}

TEST_P(AdminWithStartUpScenario, LoadScenarios_ABadFileIsRejectedWholeAndTheOldRulesStayInForce) {
  const auto errors = scenario_errors([&] {
    admin().load_scenarios({{"good.json", kFailsRule},
                            {"bad.json", R"({"rules": [{"name": "bad", "timeline": [
                               {"status": "running", "after": 30},
                               {"status": "succeeded"}]}], "colour": "red"})"}},
                           Admin::Load::replace);
  });
  ASSERT_EQ(errors.size(), 2u);
  for (const auto& error : errors) EXPECT_EQ(error.rfind("bad.json: /", 0), 0u) << error;
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const std::string& e) {
    return e.rfind("bad.json: /rules/0/timeline/0/after: ", 0) == 0;
  }));
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(),
                          [](const std::string& e) { return e.rfind("bad.json: /colour: ", 0) == 0; }));

  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{startup_path()});
  EXPECT_EQ(admin().operation(export_id()).scenario_rule, startup_path() + ": quick");
}

TEST_P(AdminTest, LoadScenarios_ErrorsInSeveralFilesAreAllReported) {
  const auto errors = scenario_errors([&] {
    admin().load_scenarios({{"one.json", R"({"rules": []})"}, {"two.json", "not json"}}, Admin::Load::append);
  });
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind("one.json: /", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind("two.json: ", 0), 0u) << errors[1];
  EXPECT_TRUE(admin().scenarios().empty());
}

TEST_P(AdminWithStartUpScenario, LoadScenarioFiles_AMissingPathIsRejectedAndNothingChanges) {
  write_text(dir_.file("fails.json"), kFailsRule);
  const auto missing = dir_.file("missing.json");
  const auto errors = scenario_errors(
      [&] { admin().load_scenario_files({dir_.file("fails.json"), missing}, Admin::Load::replace); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], missing + ": /: no such file or directory");
  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{startup_path()});
}

TEST_P(AdminTest, LoadScenarios_AppendingAFileNamedAsOneLoadedIs409AndTheTwoAreNeverMerged) {
  admin().load_scenarios({{"fails.json", kFailsRule}}, Admin::Load::append);
  const auto error = admin_error([&] { admin().load_scenarios({{"fails.json", kTwoMinutes}}, Admin::Load::append); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "scenarioFileLoaded");
  const auto files = admin().scenarios();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].name, "fails.json");
  EXPECT_EQ(files[0].rules, std::vector<std::string>{"fails"});
}

TEST_P(AdminTest, LoadScenarios_AnAppendPastWhatTheRulesInForceMayHoldIs400SayingToReplace) {
  std::string rules;
  for (int i = 0; i < 600; ++i) {
    if (i > 0) rules += ",";
    rules += R"({"match": {"invoiceId": {"regex": "G)" + std::to_string(i) + R"("}}})";
  }
  const std::string file = R"({"rules": [)" + rules + "]}";
  admin().load_scenarios({{"a.json", file}}, Admin::Load::append);
  const auto error = admin_error([&] { admin().load_scenarios({{"b.json", file}}, Admin::Load::append); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "scenarioLimitReached");
  EXPECT_NE(std::string(error.what()).find("PUT /_graphfake/scenarios"), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find("Admin::Load::replace"), std::string::npos) << error.what();
  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{"a.json"});
  admin().load_scenarios({{"b.json", file}}, Admin::Load::replace);
  EXPECT_EQ(names_of(admin().scenarios()), std::vector<std::string>{"b.json"});
}

// Over HTTP the path is resolved inside the scenario root, which names the
// problem; LocalAdmin's reading of the path says "no such file or directory".
TEST_P(AdminTest, LoadScenarioFiles_ANameLongerThanTheSystemAllowsIsAnErrorSayingSo) {
  const auto errors =
      scenario_errors([&] { admin().load_scenario_files({dir_.file(std::string(5000, 'a'))}, Admin::Load::replace); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("the path is too long"), std::string::npos) << errors[0];
  EXPECT_TRUE(admin().scenarios().empty());
}

// Appending once handed the service old and new rules as one fresh set,
// re-arming the "requests": [1] faults of the rules already loaded.
TEST_P(AdminWithThrottlingScenario, LoadScenarios_AppendKeepsTheExportCountsOfRulesAlreadyLoaded) {
  ASSERT_EQ(post_export()->status, 429);
  ASSERT_EQ(post_export()->status, 202);
  admin().load_scenarios({{"more.json", kFailsRule}}, Admin::Load::append);
  EXPECT_EQ(post_export()->status, 202) << "the third export was throttled as if it were the first";
}

// --- the clock --------------------------------------------------------------------

TEST_P(AdminTest, Now_IsTheFakesClock) {
  EXPECT_EQ(admin().now(), t0);
  clock_->advance(90s);
  EXPECT_EQ(admin().now(), t0 + 90s);
}

TEST_P(AdminTest, AdvanceClock_MovesTheVirtualClockAndWhatTheFakeStamps) {
  admin().advance_clock(90s);
  EXPECT_EQ(clock_->now(), t0 + 90s);
  const auto id = export_id();
  EXPECT_EQ(admin().operation(id).created_at, t0 + 90s);
  EXPECT_EQ(admin().journal().back().at, t0 + 90s);
}

TEST_P(AdminTest, AdvanceClock_MovesTimedPhasesOn) {
  admin().load_scenarios({{"slow.json", kTwoMinutes}}, Admin::Load::append);
  const auto location = start_export();
  admin().advance_clock(2min - 1ms);
  EXPECT_EQ(admin().operation(operation_id_of(location)).status, OperationStatus::running);
  admin().advance_clock(1ms);
  EXPECT_EQ(admin().operation(operation_id_of(location)).status, OperationStatus::succeeded);
  EXPECT_EQ(status_of(location), "succeeded");
}

// HttpAdmin sends an advance as milliseconds, and the admin API reads at
// most nine digits of a duration: an advance of 1 000 000 000 ms (11.6
// days) or more, which LocalAdmin makes, comes back 400 badRequest.
TEST_P(AdminTest, AdvanceClock_ByTwelveDaysAtOnceMovesItTwelveDays) {
  admin().advance_clock(std::chrono::days(12));
  EXPECT_EQ(admin().now(), t0 + std::chrono::days(12));
}

TEST_P(AdminTest, AdvanceClock_ByTwoYearsAndAMillisecondAtOnceMovesItSo) {
  const auto by = std::chrono::days(731) + 1ms;
  admin().advance_clock(by);
  EXPECT_EQ(admin().now(), t0 + by);
}

TEST_P(AdminTest, AdvanceClock_ByNothingLeavesItWhereItIs) {
  admin().advance_clock(0ms);
  EXPECT_EQ(admin().now(), t0);
}

TEST_P(AdminTest, AdvanceClock_BackwardsIsRefused400) {
  const auto error = admin_error([&] { admin().advance_clock(-1s); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "badClockMove");
  EXPECT_EQ(admin().now(), t0);
}

// The clock counts nanoseconds in 64 bits (to 2262-04-11). FakeNamespace::
// advance_clock checks only the sign, so a move past that overflows the
// conversion to nanoseconds (undefined behaviour) and wraps the clock.
TEST_P(AdminTest, AdvanceClock_FurtherThanTheClockCanCountIsRefused400) {
  const auto error = admin_error([&] { admin().advance_clock(std::chrono::hours(24 * 366 * 300)); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(admin().now(), t0);
}

// Each advance is checked against the latest time the clock can count, not
// only against its own size: from 2200 a year's advances, one after
// another, never pass 2262-04-11, where the 64-bit nanosecond count wraps.
TEST_P(AdminTest, AdvanceClock_AdvancesThatTogetherPassWhatTheClockCanCountAreRefused) {
  admin().set_clock(std::chrono::sys_days{std::chrono::year{2200} / 1 / 1});
  auto previous = admin().now();
  for (int year = 0; year < 70; ++year) {
    try {
      admin().advance_clock(8784h);
    } catch (const AdminError& error) {
      EXPECT_EQ(error.status(), 400);
      EXPECT_EQ(error.code(), "badClockMove");
      break;
    }
    ASSERT_GT(admin().now(), previous) << "the clock wrapped after " << year + 1 << " advances";
    previous = admin().now();
  }
  EXPECT_EQ(admin().now(), previous);
  EXPECT_EQ(clock_->now(), previous);
}

TEST_P(AdminTest, SetClock_MovesTheClockEitherWay) {
  admin().set_clock(t0 + 1h);
  EXPECT_EQ(clock_->now(), t0 + 1h);
  admin().set_clock(t0 - 1h);
  EXPECT_EQ(admin().now(), t0 - 1h);
}

TEST_P(AdminTest, SetClock_BeforeTheEpochIsRefused400) {
  using namespace std::chrono;
  for (const TimePoint to : {TimePoint{sys_days{year{1969} / 12 / 31} + 23h + 59min + 59s},
                             TimePoint{sys_days{year{1700} / 1 / 1}}}) {
    EXPECT_EQ(admin_error([&] { admin().set_clock(to); }).status(), 400);
  }
  EXPECT_EQ(admin().now(), t0);
}

TEST_P(AdminTest, SetClock_BackNeverMovesAnOperationBack) {
  admin().load_scenarios({{"slow.json", kTwoMinutes}}, Admin::Load::append);
  const auto location = start_export();
  admin().set_clock(t0 + 5min);
  ASSERT_EQ(status_of(location), "succeeded");
  admin().set_clock(t0);
  EXPECT_EQ(status_of(location), "succeeded");
  EXPECT_EQ(admin().operation(operation_id_of(location)).status, OperationStatus::succeeded);
}

TEST_P(AdminOnTheSystemClock, AdvanceClock_OnTheSystemClockIsRefused409) {
  const auto error = admin_error([&] { admin().advance_clock(1s); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "clockNotVirtual");
}

TEST_P(AdminOnTheSystemClock, SetClock_OnTheSystemClockIsRefused409) {
  const auto error = admin_error([&] { admin().set_clock(t0); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "clockNotVirtual");
}

TEST_P(AdminOnTheSystemClock, Now_IsTheSystemTime) {
  // To the millisecond, as the admin API writes it.
  const auto before = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto now = admin().now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, std::chrono::system_clock::now());
}

TEST_P(AdminOnTheSystemClock, Reset_LeavesTheSystemClockAlone) {
  start_export();
  EXPECT_NO_THROW(admin().reset());
  EXPECT_TRUE(admin().operations().empty());
}

// --- operations -------------------------------------------------------------------

TEST_P(AdminTest, Operations_NoneBeforeTheFirstExport) { EXPECT_TRUE(admin().operations().empty()); }

TEST_P(AdminTest, Operations_ListsEveryExportOldestFirst) {
  std::vector<std::string> ids;
  for (const char* invoice : {"G000000003", "G000000001", "G000000002", "G000000005"}) ids.push_back(export_id(invoice));
  const auto listed = admin().operations();
  ASSERT_EQ(listed.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(listed[i].id, ids[i]);
  EXPECT_EQ(listed[0].invoice_id, "G000000003");
}

TEST_P(AdminTest, OperationsPage_SkipsTakesAndSaysWhichPageIsNext) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(export_id());
  const auto page = admin().operations_page(Page{.skip = 1, .top = 2});
  ASSERT_EQ(page.operations.size(), 2u);
  EXPECT_EQ(page.operations[0].id, created[1]);
  EXPECT_EQ(page.operations[1].id, created[2]);
  EXPECT_EQ(page.total, 5u);
  EXPECT_EQ(page.evicted, 0u);
  ASSERT_TRUE(page.next);
  EXPECT_EQ(page.next->skip, 3u);
  EXPECT_EQ(page.next->top, 2u);
  const auto last = admin().operations_page(*page.next);
  ASSERT_EQ(last.operations.size(), 2u);
  EXPECT_EQ(last.operations[1].id, created[4]);
  EXPECT_FALSE(last.next);
}

TEST_P(AdminTest, OperationsPage_HoldsAtMost100UnlessAskedForMore) {
  for (int i = 0; i < 101; ++i) start_export();
  const auto page = admin().operations_page();
  EXPECT_EQ(page.operations.size(), 100u);
  ASSERT_TRUE(page.next);
  EXPECT_EQ(page.next->skip, 100u);
  EXPECT_EQ(page.next->top, 100u);
  const auto all = admin().operations_page(Page{.skip = 0, .top = Page::kMaxTop});
  EXPECT_EQ(all.operations.size(), 101u);
  EXPECT_FALSE(all.next);
  EXPECT_EQ(admin().operations().size(), 101u);
}

TEST_P(AdminTest, Pages_OfNoEntriesOrMoreThanTheMostAre400) {
  start_export();
  for (const std::size_t top : {std::size_t{0}, Page::kMaxTop + 1}) {
    SCOPED_TRACE(top);
    const auto operations = admin_error([&] { admin().operations_page(Page{.skip = 0, .top = top}); });
    EXPECT_EQ(operations.status(), 400);
    EXPECT_EQ(operations.code(), "badRequest");
    const auto journal = admin_error([&] { admin().journal_page({}, Page{.skip = 0, .top = top}); });
    EXPECT_EQ(journal.status(), 400);
    EXPECT_EQ(journal.code(), "badRequest");
  }
}

TEST_P(AdminTest, Operation_DescribesTheExportWithoutCountingAPoll) {
  const auto location = start_export("G016907411", "basic");
  const auto info = admin().operation(operation_id_of(location));
  EXPECT_EQ(info.kind, ExportKind::billed_reconciliation);
  EXPECT_EQ(info.api_version, "v1.0");
  EXPECT_EQ(info.invoice_id, "G016907411");
  EXPECT_EQ(info.attribute_set, "basic");
  EXPECT_EQ(info.status, OperationStatus::not_started);
  EXPECT_EQ(info.phase, 0u);
  EXPECT_EQ(info.phase_count, 3u);
  EXPECT_EQ(info.polls, 0u);
  EXPECT_EQ(info.created_at, t0);
  EXPECT_EQ(info.scenario_rule, "");
  // The admin read was not a poll: the client still sees the first phase.
  EXPECT_EQ(status_of(location), "notStarted");
  EXPECT_EQ(admin().operation(operation_id_of(location)).polls, 1u);
}

TEST_P(AdminTest, Operation_OfAnUnbilledExportCarriesItsCurrencyAndPeriod) {
  auto accepted = post_json("/beta/reports/partners/billing/usage/unbilled/export",
                            R"({"currencyCode":"INR","billingPeriod":"last"})");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const auto info = admin().operation(operation_id_of(accepted->get_header_value("Location")));
  EXPECT_EQ(info.kind, ExportKind::unbilled_usage);
  EXPECT_EQ(info.api_version, "beta");
  EXPECT_EQ(info.currency_code, "INR");
  EXPECT_EQ(info.billing_period, "last");
  EXPECT_EQ(info.invoice_id, "");
  EXPECT_EQ(info.attribute_set, "full");
}

TEST_P(AdminTest, ExpectedTotals_OfAnExportNotYetSucceededIs409) {
  const auto error = admin_error([&] { admin().expected_totals(export_id()); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "operationNotSucceeded");
}

TEST_P(AdminTest, ExpectedTotals_OfAnUnknownOperationIs404) {
  const auto error = admin_error([&] { admin().expected_totals("0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e"); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "operationNotFound");
}

// Forcing success decides nothing about the data: the poll that sees it does.
TEST_P(AdminTest, ExpectedTotals_OfAnExportForcedToSucceedButNotPolledSaysNoPollHasSeenIt) {
  const auto id = export_id();
  PhaseOrder order;
  order.status = OperationStatus::succeeded;
  admin().force(id, order);
  const auto error = admin_error([&] { admin().expected_totals(id); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "operationNotSucceeded");
  EXPECT_EQ(std::string(error.what()), "No poll has seen the operation '" + id +
                                           "' succeed (its status is succeeded); its data is decided when one does.");
}

TEST_P(AdminTest, ExpectedTotals_OfASucceededExportCountEveryRowByCurrencyAndByCustomer) {
  const auto location = start_export();
  poll_to_completion(location);
  const auto totals = admin().expected_totals(operation_id_of(location));
  EXPECT_EQ(totals.operation_id, operation_id_of(location));
  EXPECT_EQ(totals.kind, ExportKind::billed_reconciliation);
  EXPECT_EQ(totals.scale, 2);
  EXPECT_EQ(totals.all.rows, 250u);
  ASSERT_EQ(totals.by_currency.size(), 1u);
  EXPECT_EQ(totals.by_currency[0].amounts.rows, 250u);
  EXPECT_EQ(totals.by_currency[0].amounts.sums, totals.all.sums);
  std::uint64_t customer_rows = 0;
  for (const auto& customer : totals.by_customer) {
    EXPECT_FALSE(customer.customer_name.empty()) << customer.customer_id;
    customer_rows += customer.amounts.rows;
  }
  EXPECT_EQ(customer_rows, 250u);
}

TEST_P(AdminTest, ExpectedTotals_OfReconciliationAddEachCurrencysSubtotalAndTaxToItsTotal) {
  const auto location = start_export();
  poll_to_completion(location);
  const auto totals = admin().expected_totals(operation_id_of(location));
  ASSERT_EQ(totals.columns, (std::vector<std::string>{"Subtotal", "TaxTotal", "Total"}));
  for (const auto& group : totals.by_currency) {
    const auto cents = [&](std::size_t c) { return std::llround(std::stod(group.amounts.sums[c]) * 100); };
    EXPECT_EQ(cents(0) + cents(1), cents(2)) << group.currency;
  }
}

TEST_P(AdminTest, Operation_AfterSuccessCarriesTheManifestAndItsHistory) {
  const auto location = start_export();
  const auto done = poll_to_completion(location);
  const auto info = admin().operation(operation_id_of(location));
  EXPECT_EQ(info.status, OperationStatus::succeeded);
  EXPECT_EQ(info.polls, 4u);
  EXPECT_EQ(info.manifest_id, done["resourceLocation"]["id"]);
  ASSERT_EQ(info.history.size(), 3u);
  EXPECT_EQ(info.history[0].status, OperationStatus::not_started);
  EXPECT_EQ(info.history[1].status, OperationStatus::running);
  EXPECT_EQ(info.history[2].status, OperationStatus::succeeded);
}

TEST_P(AdminTest, Operation_IdMatchesInAnyCase) {
  const auto id = export_id();
  std::string upper = id;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  EXPECT_EQ(admin().operation(upper).id, id);
}

TEST_P(AdminTest, Operation_UnknownIdIs404) {
  start_export();
  const auto error = admin_error([&] { admin().operation(kUnknownOperationId); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "operationNotFound");
  EXPECT_NE(std::string(error.what()).find(kUnknownOperationId), std::string::npos) << error.what();
}

TEST_P(AdminTest, Force_FailedIsWhatTheNextPollSees) {
  const auto location = start_export();
  PhaseOrder order;
  order.status = OperationStatus::failed;
  order.error_code = "800002";
  order.error_message = "Forced failure";
  const auto info = admin().force(operation_id_of(location), order);
  EXPECT_EQ(info.status, OperationStatus::failed);

  const auto body = Json::parse(get(location)->body);
  EXPECT_EQ(body["status"], "failed");
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.failedOperation");
  EXPECT_EQ(body["error"]["code"], "800002");
  EXPECT_EQ(body["error"]["message"], "Forced failure");
}

TEST_P(AdminTest, Force_FailedWithTheOrdersDefaultErrorIsNoDataAvailable) {
  const auto location = start_export();
  PhaseOrder order;
  order.status = OperationStatus::failed;
  admin().force(operation_id_of(location), order);
  const auto body = Json::parse(get(location)->body);
  EXPECT_EQ(body["error"]["code"], "5000");
  EXPECT_EQ(body["error"]["message"], "No data available");
}

TEST_P(AdminTest, Force_SucceededIsWhatTheNextPollSeesAndItsBlobsDownload) {
  admin().load_scenarios({{"slow.json", kTwoMinutes}}, Admin::Load::append);
  const auto location = start_export();
  PhaseOrder order;
  order.status = OperationStatus::succeeded;
  const auto forced = admin().force(operation_id_of(location), order);
  EXPECT_EQ(forced.status, OperationStatus::succeeded);
  EXPECT_EQ(forced.manifest_id, "") << "no poll has seen it succeed yet";

  auto polled = get(location);
  ASSERT_TRUE(polled);
  const auto body = Json::parse(polled->body);
  ASSERT_EQ(body["status"], "succeeded");
  EXPECT_FALSE(polled->has_header("Retry-After"));
  const auto& manifest = body["resourceLocation"];
  EXPECT_EQ(admin().operation(operation_id_of(location)).manifest_id, manifest["id"]);
  // The default manifest: the server's 250 rows at 100 per blob.
  ASSERT_EQ(manifest["blobs"].size(), 3u);
  auto blob = get_unauthenticated(blob_url(manifest));
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->status, 200);
  EXPECT_EQ(json_lines(gunzip(blob->body)).size(), 100u);
}

TEST_P(AdminTest, Force_PhaseMovesToALaterPhaseOfItsTimeline) {
  admin().load_scenarios({{"long.json", R"({"rules": [{"name": "long", "timeline": [
      {"status": "notStarted", "after": "1h", "retryAfter": "60s"},
      {"status": "running", "after": "1h", "retryAfter": "20s"},
      {"status": "succeeded"}]}]})"}},
                         Admin::Load::append);
  const auto location = start_export();
  clock_->advance(10s);
  PhaseOrder order;
  order.phase = 1;
  const auto info = admin().force(operation_id_of(location), order);
  EXPECT_EQ(info.status, OperationStatus::running);
  EXPECT_EQ(info.phase, 1u);

  auto polled = get(location);
  const auto body = Json::parse(polled->body);
  EXPECT_EQ(body["status"], "running");
  EXPECT_EQ(body["lastActionDateTime"], "2025-01-01T00:00:10.000Z");
  EXPECT_EQ(polled->get_header_value("Retry-After"), "20");
}

TEST_P(AdminTest, Force_ATerminalOperationIs409) {
  const auto location = start_export();
  poll_to_completion(location);
  PhaseOrder order;
  order.status = OperationStatus::failed;
  const auto error = admin_error([&] { admin().force(operation_id_of(location), order); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "operationTerminal");
  EXPECT_EQ(status_of(location), "succeeded");
}

TEST_P(AdminTest, Force_UnknownOperationIs404) {
  PhaseOrder order;
  order.status = OperationStatus::failed;
  const auto error = admin_error([&] { admin().force(kUnknownOperationId, order); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "operationNotFound");
}

TEST_P(AdminTest, Force_AnOrderThatIsNeitherPhaseNorStatusIs400) {
  const auto id = export_id();
  const auto error = admin_error([&] { admin().force(id, PhaseOrder{}); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "badPhaseOrder");
}

// The default timeline has three phases, and a new export is in the first.
TEST_P(AdminTest, Force_OrdersTheOperationCannotFollowAre400AndLeaveItWhereItIs) {
  const auto id = export_id();
  const auto order = [](std::optional<std::size_t> phase, std::optional<OperationStatus> status) {
    PhaseOrder made;
    made.phase = phase;
    made.status = status;
    return made;
  };
  for (const auto& bad : {order(1, OperationStatus::failed), order(std::nullopt, OperationStatus::running),
                          order(0, std::nullopt), order(3, std::nullopt)}) {
    SCOPED_TRACE(::testing::Message() << "phase " << bad.phase.value_or(99) << ", status "
                                      << (bad.status ? to_string(*bad.status) : "-"));
    const auto error = admin_error([&] { admin().force(id, bad); });
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.code(), "badPhaseOrder");
  }
  EXPECT_EQ(admin().operation(id).status, OperationStatus::not_started);
  EXPECT_EQ(admin().operation(id).phase, 0u);
}

// --- the journal ------------------------------------------------------------------

TEST_P(AdminTest, Journal_EmptyBeforeAnyRequest) {
  EXPECT_TRUE(admin().journal().empty());
  EXPECT_EQ(admin().count(), 0u);
}

TEST_P(AdminTest, Journal_RecordsAWholeExportWithEndpointOperationRuleAndStatus) {
  admin().load_scenarios({{"quick.json", kQuick}}, Admin::Load::append);
  const auto location = start_export();
  const auto id = operation_id_of(location);
  const auto done = poll_to_completion(location);
  ASSERT_EQ(done["status"], "succeeded");
  auto manifest = get(done["resourceLocation@odata.navigationLink"].get<std::string>());
  ASSERT_EQ(manifest->status, 200);
  auto blob = get_unauthenticated(blob_url(Json::parse(manifest->body)));
  ASSERT_EQ(blob->status, 200);

  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(endpoints_of(entries),
            (std::vector<std::string>{"export", "operation", "operation", "operation", "manifest", "blob"}));
  const std::vector<int> statuses = {202, 200, 200, 200, 200, 200};
  const std::vector<std::string> methods = {"POST", "GET", "GET", "GET", "GET", "GET"};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(entries[i].sequence, i + 1);
    EXPECT_EQ(entries[i].status, statuses[i]);
    EXPECT_EQ(entries[i].method, methods[i]);
    EXPECT_EQ(entries[i].operation_id, id);
    EXPECT_EQ(entries[i].at, t0);
    EXPECT_TRUE(entries[i].nearest_route.empty());
  }
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(entries[i].scenario_rule, "quick.json: quick") << i;
  EXPECT_EQ(entries[0].path, kBilledExportPath);
  EXPECT_EQ(entries[1].path, "/v1.0/reports/partners/billing/operations/" + id);
  EXPECT_EQ(entries[4].path, "/v1.0/reports/partners/billing/manifests/" + done["resourceLocation"]["id"].get<std::string>());
  EXPECT_EQ(entries[5].path.rfind("/devstoreaccount1/", 0), 0u);
}

TEST_P(AdminTest, ReportHtml_DrawsEachOperationsTimelineNamingItsIdAndInvoice) {
  admin().load_scenarios({{"quick.json", kQuick}}, Admin::Load::append);
  const auto id = operation_id_of(start_export("G016907411"));
  const auto other = operation_id_of(start_export("G000000002"));

  const auto page = admin().report_html();

  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<svg class=\"timeline\" id=\"timeline-" + id + "\""), std::string::npos);
  EXPECT_NE(page.find("<svg class=\"timeline\" id=\"timeline-" + other + "\""), std::string::npos);
  EXPECT_NE(page.find("invoice G016907411"), std::string::npos);
  EXPECT_NE(page.find("invoice G000000002"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST_P(AdminTest, ReportHtml_MarksAPollBeforeTheRetryAfterAsEarly) {
  admin().load_scenarios({{"slow.json", kTwoMinutes}}, Admin::Load::append);
  const auto location = start_export();
  ASSERT_EQ(get(location)->status, 200);
  ASSERT_EQ(get(location)->status, 200);  // no time has passed: 30 s early

  const auto page = admin().report_html();

  EXPECT_NE(page.find("<g class=\"mark poll early\""), std::string::npos);
  EXPECT_NE(page.find("EARLY by 30.0 s"), std::string::npos);
}

TEST_P(AdminTest, Journal_ABlobWhoseBytesAFaultBentSaysHow) {
  admin().load_scenarios({{"bent.json", R"({"rules": [{"name": "bent", "timeline": [
    {"status": "succeeded", "rows": 20, "blobs": 2}],
    "faults": [{"on": "blob", "blobs": [0], "gzip": "corrupt"}]}]})"}},
                         Admin::Load::append);
  const auto done = poll_to_completion(start_export());
  ASSERT_EQ(done["status"], "succeeded");
  ASSERT_EQ(get_unauthenticated(blob_url(done["resourceLocation"], 0))->status, 200);
  ASSERT_EQ(get_unauthenticated(blob_url(done["resourceLocation"], 1))->status, 200);

  const auto blobs = admin().journal({.endpoint = Endpoint::blob});

  ASSERT_EQ(blobs.size(), 2u);
  EXPECT_EQ(blobs[0].fault, "gzip corrupt");
  EXPECT_EQ(blobs[1].fault, "");
  EXPECT_NE(admin().report_html().find("<g class=\"mark blob bent\""), std::string::npos);
}

TEST_P(AdminTest, Journal_AnswersQueriesOverARealExchange) {
  const auto location = start_export();
  const auto id = operation_id_of(location);
  poll_to_completion(location);
  start_export("G000000002");
  EXPECT_EQ(admin().count(JournalQuery{.method = "POST", .path_pattern = "*/billed/export"}), 2u);
  EXPECT_EQ(admin().count(JournalQuery{.method = "GET", .path_pattern = "*/operations/*"}), 4u);
  EXPECT_EQ(admin().count(JournalQuery{.operation_id = id}), 5u);
  EXPECT_EQ(admin().count(JournalQuery{.status = 200, .endpoint = Endpoint::operation}), 4u);
  EXPECT_EQ(admin().journal(JournalQuery{.status = 202}).size(), 2u);
}

TEST_P(AdminTest, Journal_InvoiceIdMatchesThatInvoicesExportAndPolls) {
  const auto mine = start_export("G000000001");
  get(mine);
  get(mine);
  const auto other = start_export("G000000002");
  get(other);
  const auto entries = admin().journal(JournalQuery{.invoice_id = "G000000001"});
  EXPECT_EQ(endpoints_of(entries), (std::vector<std::string>{"export", "operation", "operation"}));
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.invoice_id, "G000000001");
    EXPECT_NE(entry.operation_id, operation_id_of(other));
  }
  EXPECT_EQ(admin().count(JournalQuery{.invoice_id = "G000000002"}), 2u);
  EXPECT_EQ(admin().count(JournalQuery{.invoice_id = "G999999999"}), 0u);
}

TEST_P(AdminTest, JournalPage_KeepsTheQueryAndSaysWhichPageIsNext) {
  for (const char* invoice : {"G000000001", "G000000002", "G000000003"}) get(start_export(invoice));
  const JournalQuery posts{.method = "POST"};
  const auto page = admin().journal_page(posts, Page{.skip = 0, .top = 2});
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.total, 3u);
  EXPECT_EQ(page.dropped, 0u);
  EXPECT_EQ(page.entries[1].invoice_id, "G000000002");
  ASSERT_TRUE(page.next);
  EXPECT_EQ(page.next->skip, 2u);
  EXPECT_EQ(page.next->top, 2u);
  const auto last = admin().journal_page(posts, *page.next);
  ASSERT_EQ(last.entries.size(), 1u);
  EXPECT_EQ(last.entries[0].invoice_id, "G000000003");
  EXPECT_FALSE(last.next);
}

TEST_P(AdminTest, Journal_OperationIdMatchesInAnyCase) {
  const auto location = start_export();
  std::string upper = operation_id_of(location);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  // A client polling with an upper-case id touches the same operation.
  get("/v1.0/reports/partners/billing/operations/" + upper);
  EXPECT_EQ(admin().count(JournalQuery{.operation_id = upper}), 2u);
  EXPECT_EQ(admin().count(JournalQuery{.operation_id = operation_id_of(location)}), 2u);
}

TEST_P(AdminTest, Journal_EachRequestIsRecordedBeforeTheClientHasItsAnswer) {
  const auto location = start_export();
  ASSERT_EQ(admin().count(), 1u);
  // Asked straight after each answer, with no waiting: it is already there.
  for (std::size_t i = 0; i < 40; ++i) {
    SCOPED_TRACE(i);
    auto result = i % 4 == 3 ? get("/v1.0/reports/partners/billing/operation/" + std::string(kUnknownOperationId)) : get(location);
    ASSERT_TRUE(result);
    const auto entries = admin().journal();
    ASSERT_EQ(entries.size(), i + 2);
    EXPECT_EQ(entries.back().status, result->status);
    EXPECT_EQ(header_of(entries.back().response_headers, "request-id"), result->get_header_value("request-id"));
  }
}

TEST_P(AdminTest, Journal_ABlobDownloadIsRecordedBeforeItsBytesArrive) {
  const auto manifest = poll_to_completion(start_export())["resourceLocation"];
  const auto before = admin().count();
  auto blob = get_unauthenticated(blob_url(manifest, 1));
  ASSERT_EQ(blob->status, 200);
  ASSERT_EQ(admin().count(), before + 1);
  const auto entry = admin().journal().back();
  EXPECT_EQ(entry.endpoint, Endpoint::blob);
  EXPECT_EQ(entry.status, 200);
  EXPECT_EQ(entry.query, manifest["sasToken"].get<std::string>());
  EXPECT_EQ(header_of(entry.response_headers, "x-ms-request-id"), blob->get_header_value("x-ms-request-id"));
}

TEST_P(AdminTest, Journal_APollAnsweredByAScriptedFaultNamesItsOperation) {
  admin().load_scenarios({{"flaky.json", R"({"rules": [{"name": "flaky", "faults": [
      {"on": "poll", "polls": [1], "status": 503, "retryAfter": "2s"}]}]})"}},
                         Admin::Load::append);
  const auto location = start_export();
  ASSERT_EQ(get(location)->status, 503);
  const auto entry = admin().journal().back();
  EXPECT_EQ(entry.status, 503);
  EXPECT_EQ(entry.endpoint, Endpoint::operation);
  EXPECT_EQ(entry.operation_id, operation_id_of(location));
  EXPECT_EQ(header_of(entry.response_headers, "Retry-After"), "2");
}

// A scripted error is thrown rather than returned, so the rule's name must
// be learnt before the poll for the entry to carry it.
TEST_P(AdminTest, Journal_APollAnsweredByAScriptedFaultNamesTheRuleThatScriptedIt) {
  admin().load_scenarios({{"flaky.json", R"({"rules": [{"name": "flaky", "faults": [
      {"on": "poll", "polls": [1], "status": 503, "retryAfter": "2s"}]}]})"}},
                         Admin::Load::append);
  const auto location = start_export();
  ASSERT_EQ(get(location)->status, 503);
  EXPECT_EQ(admin().journal().back().scenario_rule, "flaky.json: flaky");
}

// A refused export creates no operation to carry the rule's name.
TEST_P(AdminWithThrottlingScenario, Journal_AnExportRefusedByAScriptedFaultNamesTheRuleThatScriptedIt) {
  ASSERT_EQ(post_export()->status, 429);
  const auto entry = admin().journal().back();
  EXPECT_EQ(entry.endpoint, Endpoint::export_request);
  EXPECT_EQ(entry.scenario_rule, startup_path() + ": throttle once");
}

TEST_P(AdminTest, Journal_UnmatchedPathIsRecordedWithTheRouteItMostLikelyMeant) {
  const auto path = "/v1.0/reports/partners/billing/operation/" + std::string(kUnknownOperationId);
  auto result = get(path);
  ASSERT_EQ(result->status, 404);
  const auto unmatched = admin().journal(JournalQuery{.endpoint = Endpoint::unmatched});
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].path, path);
  EXPECT_EQ(unmatched[0].status, 404);
  EXPECT_EQ(unmatched[0].nearest_route, "GET /v1.0/reports/partners/billing/operations/{id}");
  EXPECT_EQ(unmatched[0].operation_id, "");
}

TEST_P(AdminTest, Journal_PathOutsideEveryApiIsUnmatchedToo) {
  client_->Post("/v1/reports/partners/billing/reconciliation/billed/export", auth_headers(), "{}", "application/json");
  const auto unmatched = admin().journal(JournalQuery{.endpoint = Endpoint::unmatched});
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].status, 404);
  EXPECT_EQ(unmatched[0].nearest_route, "POST /v1.0/reports/partners/billing/reconciliation/billed/export");
}

TEST_P(AdminTest, Journal_AGraphRouteTheFakeDoesNotServeIsUnsupported) {
  get("/v1.0/reports/partners/billing/operations");
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].endpoint, Endpoint::unsupported);
  EXPECT_EQ(entries[0].status, 501);
  EXPECT_TRUE(entries[0].nearest_route.empty());
}

TEST_P(AdminTest, Journal_RefusedRequestsAreRecordedWithTheirStatus) {
  client_->Post(kBilledExportPath, R"({"invoiceId":"G016907411"})", "application/json");  // no token
  post_json(kBilledExportPath, R"({"attributeSet":"full"})");                             // no invoice
  get("/v1.0/reports/partners/billing/operations/" + std::string(kUnknownOperationId));                  // unknown
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].status, 401);
  EXPECT_EQ(entries[0].endpoint, Endpoint::export_request);
  EXPECT_EQ(entries[1].status, 400);
  EXPECT_EQ(entries[1].operation_id, "");
  EXPECT_EQ(entries[2].status, 404);
  EXPECT_EQ(entries[2].endpoint, Endpoint::operation);
  EXPECT_EQ(entries[2].operation_id, "") << "the fake never gave out that id";
}

TEST_P(AdminTest, Journal_KeepsTheRequestAsSent) {
  const std::string body = R"({"invoiceId":"G016907411","attributeSet":"full"})";
  client_->Post(kBilledExportPath + std::string("?trace=1"),
                auth_headers({{"client-request-id", "my-request"}, {"X-Test-Case", "Journal"}}), body,
                "application/json");
  const auto entry = admin().journal().at(0);
  EXPECT_EQ(entry.method, "POST");
  EXPECT_EQ(entry.path, kBilledExportPath);
  EXPECT_EQ(entry.query, "trace=1");
  EXPECT_EQ(entry.request_body, body);
  EXPECT_EQ(header_of(entry.request_headers, "client-request-id"), "my-request");
  EXPECT_EQ(header_of(entry.request_headers, "x-test-case"), "Journal");
  EXPECT_EQ(header_of(entry.request_headers, "authorization"), "Bearer " + token_);
  EXPECT_EQ(header_of(entry.request_headers, "content-type"), "application/json");
  for (const char* pseudo : {"remote_addr", "remote_port", "local_addr", "local_port"}) {
    EXPECT_FALSE(has_header(entry.request_headers, pseudo)) << pseudo;
  }
  for (const auto& header : entry.request_headers) {
    const auto& name = header.first;
    EXPECT_EQ(name, [&] {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      return lower;
    }()) << name;
  }
}

TEST_P(AdminTest, Journal_KeepsTheResponseHeadersAsSent) {
  const auto location = start_export();
  auto polled = get(location);
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(header_of(entries[0].response_headers, "Location"), location);
  EXPECT_EQ(header_of(entries[1].response_headers, "Retry-After"), polled->get_header_value("Retry-After"));
  EXPECT_EQ(header_of(entries[1].response_headers, "client-request-id"), polled->get_header_value("client-request-id"));
}

TEST_P(AdminTest, Journal_KeepsAtMost64KiBOfARequestBodyAndSaysHowMuchWasCut) {
  const std::string body(100 * 1024, 'x');
  post_json(kBilledExportPath, body);
  const auto entry = admin().journal().at(0);
  EXPECT_EQ(entry.request_body, body.substr(0, 64 * 1024) + "[graphfake truncated 36864 bytes]");
}

TEST_P(AdminTest, Journal_EntriesCarryTheFakesTime) {
  clock_->advance(5min);
  start_export();
  EXPECT_EQ(admin().journal().at(0).at, t0 + 5min);
}

TEST_P(AdminWithSmallJournal, Journal_PastItsCapacityDropsTheOldestAndCountsThem) {
  for (int i = 0; i < 5; ++i) post_export("G00000000" + std::to_string(i));
  const auto entries = admin().journal();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].sequence, 3u);
  EXPECT_EQ(entries[2].sequence, 5u);
  EXPECT_NE(entries[0].request_body.find("G000000002"), std::string::npos);
  EXPECT_EQ(admin().journal_dropped(), 2u);
  EXPECT_EQ(admin().count(), 3u);
}

TEST(AdminJournalCapacity, ZeroIsRefusedWhenTheServerStarts) {
  Options options;
  options.journal_capacity = 0;
  EXPECT_THROW(Server{options}, std::invalid_argument);
}

const auto kBothTransports = ::testing::Values(AdminTransport::in_process, AdminTransport::http);
INSTANTIATE_TEST_SUITE_P(InProcessAndHttp, AdminTest, kBothTransports, admin_transport_name);
INSTANTIATE_TEST_SUITE_P(InProcessAndHttp, AdminWithStartUpScenario, kBothTransports, admin_transport_name);
INSTANTIATE_TEST_SUITE_P(InProcessAndHttp, AdminWithThrottlingScenario, kBothTransports, admin_transport_name);
INSTANTIATE_TEST_SUITE_P(InProcessAndHttp, AdminOnTheSystemClock, kBothTransports, admin_transport_name);
INSTANTIATE_TEST_SUITE_P(InProcessAndHttp, AdminWithSmallJournal, kBothTransports, admin_transport_name);

}  // namespace
}  // namespace graphfake::testing
