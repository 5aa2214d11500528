#include "admin/admin_json.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "domain/billing_service.h"
#include "graphfake/scenarios.h"
#include "unit_test_values.h"

namespace graphfake::admin {
namespace {

using unit_test::nested_arrays;

// POST /_graphfake/scenarios as the route takes it: the body read, then each file loaded.
void load(const std::string& body) {
  domain::load_scenario_set(std::get<std::vector<ScenarioSource>>(scenarios_from(body)), Options{});
}

std::string body_with_content(const std::string& content) {
  return R"({"files": [{"name": "inline.json", "content": )" + content + "}]}";
}

TEST(AdminJson, ScenarioContentNestedAHundredThousandLevelsIs400) {
  try {
    load(body_with_content(R"({"rules": )" + nested_arrays(100'000) + "}"));
    FAIL() << "the body was accepted";
  } catch (const AdminError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_STREQ(e.what(), "The body is not JSON: the JSON is nested deeper than 259 levels.");
  }
}

TEST(AdminJson, ScenarioContentAsDeepAsAFileMayBeReachesTheLoader) {
  // The content, its rules and the first rule are three of the file's 256 levels.
  try {
    load(body_with_content(R"({"rules": [)" + nested_arrays(254) + "]}"));
    FAIL() << "the scenario was accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0], "inline.json: /rules/0: expected an object, got " + std::string(57, '[') + "...");
  }
}

TEST(AdminJson, ScenarioTextNestedTooDeepIsAScenarioErrorNamingTheFile) {
  try {
    load(body_with_content(nlohmann::json(R"({"rules": )" + nested_arrays(100'000) + "}").dump()));
    FAIL() << "the scenario was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.errors(),
              std::vector<std::string>{"inline.json: /: not valid JSON: the JSON is nested deeper than 256 levels"});
  }
}

TEST(AdminJson, OtherBodiesNestedDeeperThanSixtyFourLevelsAre400) {
  try {
    clock_advance_from(R"({"by": )" + nested_arrays(65) + "}");
    FAIL() << "the body was accepted";
  } catch (const AdminError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_STREQ(e.what(), "The body is not JSON: the JSON is nested deeper than 64 levels.");
  }
}

TEST(AdminJson, BodyWithAPropertyGivenTwiceIs400) {
  try {
    namespace_name_from(R"({"name": "a", "name": "b"})");
    FAIL() << "the body was accepted";
  } catch (const AdminError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_STREQ(e.what(), "The body is not JSON: the property 'name' is given twice.");
  }
}

TEST(AdminJson, LongValueIsQuotedByItsStartOnly) {
  try {
    clock_advance_from(R"({"by": ")" + std::string(100'000, '9') + R"("})");
    FAIL() << "the body was accepted";
  } catch (const AdminError& e) {
    EXPECT_EQ(std::string(e.what()), R"('by' must be a duration like "250ms", "90s", "5m" or "2h", not ")" +
                                         std::string(56, '9') + "....");
  }
}

// The message of the AdminError 400 `call` throws; a failed test when it throws none.
template <typename Call>
std::string bad_request(Call&& call) {
  try {
    call();
  } catch (const AdminError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "badRequest");
    return e.what();
  }
  ADD_FAILURE() << "no AdminError";
  return {};
}

using Parameters = std::multimap<std::string, std::string>;

TEST(AdminJson, PhaseOrder_AStatusNoOperationHasIs400) {
  for (const char* status : {"Failed", "", "done"}) {
    SCOPED_TRACE(status);
    try {
      phase_order_from(std::string(R"({"status": ")") + status + "\"}");
      ADD_FAILURE() << "no AdminError";
    } catch (const AdminError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.code(), "badPhaseOrder");
      EXPECT_EQ(std::string(e.what()), std::string("Status '") + status +
                                           "' cannot be forced; force 'succeeded' or 'failed', or give a phase.");
    }
  }
}

// Found by the admin_json fuzzer: 2 220 003 191 hours, converted to the
// clock's nanoseconds, overflowed.
TEST(AdminJson, ClockAdvance_LongerThanTheClocksWholeRangeIsBadClockMove) {
  for (const char* by : {"2220003191h", "999999999999h", "2016145h"}) {
    SCOPED_TRACE(by);
    try {
      clock_advance_from(std::string(R"({"by": ")") + by + "\"}");
      ADD_FAILURE() << "no AdminError";
    } catch (const AdminError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.code(), "badClockMove");
    }
  }
  EXPECT_EQ(clock_advance_from(R"({"by": "2016144h"})"), std::chrono::hours(2016144));  // 1970 to 2200
}

TEST(AdminJson, JournalQuery_AnEndpointNoRequestHasIs400) {
  EXPECT_EQ(bad_request([] { journal_query_from({{"endpoint", "poll"}}); }),
            "'endpoint' must be export, operation, manifest, blob, unsupported or unmatched, not 'poll'.");
}

TEST(AdminJson, AResetTakesNoBodyOrAnEmptyObject) {
  check_reset_body("");
  check_reset_body(" \r\n");
  check_reset_body("{}");
}

TEST(AdminJson, AResetBodyThatIsNotJsonIs400) {
  EXPECT_EQ(bad_request([] { check_reset_body("{"); }), "The body is not JSON: the JSON ends early.");
  EXPECT_EQ(bad_request([] { check_reset_body("{} x"); }),
            "The body is not JSON: unexpected bytes after the JSON value at byte 3.");
  EXPECT_EQ(bad_request([] { check_reset_body(R"({"a": 1, "a": 2})"); }),
            "The body is not JSON: the property 'a' is given twice.");
}

TEST(AdminJson, AResetBodyWithAPropertyIs400) {
  EXPECT_EQ(bad_request([] { check_reset_body(R"({"seed": 7})"); }),
            "'seed' is not part of a reset, which takes nothing.");
}

TEST(AdminJson, AClockSettingWithAnotherPropertyIs400) {
  EXPECT_EQ(bad_request([] { clock_setting_from(R"({"now": "2025-01-01T00:00:00Z", "zone": "UTC"})"); }),
            "'zone' is not part of a clock setting, which takes 'now'.");
}

TEST(AdminJson, AClockAdvanceWithAnotherPropertyIs400) {
  EXPECT_EQ(bad_request([] { clock_advance_from(R"({"by": "1s", "then": "2s"})"); }),
            "'then' is not part of a clock advance, which takes 'by'.");
}

TEST(AdminJson, ANamespaceWithAnotherPropertyIs400) {
  EXPECT_EQ(bad_request([] { namespace_name_from(R"({"name": "a", "seed": 1})"); }),
            "'seed' is not part of a namespace, which takes 'name'.");
}

TEST(AdminJson, AClockSettingOutsideTheClocksRangeIs400NamingTheRange) {
  for (const char* now : {"1969-12-31T23:59:59Z", "1500-01-01T00:00:00Z", "2200-01-01T00:00:01Z"}) {
    EXPECT_EQ(bad_request([&] { clock_setting_from(std::string(R"({"now": ")") + now + R"("})"); }),
              std::string("'now' must be from 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z, not \"") + now + "\".");
  }
}

TEST(AdminJson, AClockSettingAtTheEpochIsTaken) {
  EXPECT_EQ(clock_setting_from(R"({"now": "1970-01-01T00:00:00Z"})"), TimePoint{});
}

TEST(AdminJson, APagingParameterGivenTwiceIs400) {
  EXPECT_EQ(bad_request([] { page_from(Parameters{{"$top", "5"}, {"$top", "7"}}); }),
            "'$top' is given more than once; give it once.");
}

TEST(AdminJson, AFilterGivenTwiceIs400) {
  EXPECT_EQ(bad_request([] { journal_query_from(Parameters{{"method", "GET"}, {"method", "POST"}}); }),
            "'method' is given more than once; give it once.");
}

TEST(AdminJson, ASkipTooLargeForAnyListingSaysSoWithTheMaximum) {
  EXPECT_EQ(bad_request([] { page_from(Parameters{{"$skip", "1000000000000000000000"}}); }),
            "'$skip' is too large: at most 18446744073709551615, not '1000000000000000000000'.");
}

TEST(AdminJson, ATopPastWhatAnyNumberHoldsSaysTheMostAPageHolds) {
  EXPECT_EQ(bad_request([] { page_from(Parameters{{"$top", "18446744073709551617"}}); }),
            "'$top' is too large: at most 1000, not '18446744073709551617'.");
}

TEST(AdminJson, ASkipThatIsNotAWholeNumberSaysSo) {
  for (const char* skip : {"-1", "+1", "1.5", "", "abc"}) {
    EXPECT_EQ(bad_request([&] { page_from(Parameters{{"$skip", skip}}); }),
              std::string("'$skip' must be a whole number, not '") + skip + "'.");
  }
}

TEST(AdminJson, TheOperationsListingRefusesAnyParameterButPaging) {
  EXPECT_EQ(bad_request([] { operations_page_from(Parameters{{"$top", "5"}, {"method", "GET"}}); }),
            "'method' is not a parameter of the operations listing; use $top and $skip.");
  EXPECT_EQ(operations_page_from(Parameters{{"$top", "5"}, {"$skip", "2"}}).top, 5u);
}

TEST(AdminJson, TheJournalRefusesAnUnknownParameterNamingTheKnownOnes) {
  EXPECT_EQ(bad_request([] { journal_query_from(Parameters{{"colour", "red"}}); }),
            "'colour' is not a parameter of the journal; use method, path, operationId, status, endpoint, "
            "invoiceId, $top and $skip.");
}

TEST(AdminJson, AStatusFilterIsAnHttpStatusOrZero) {
  EXPECT_EQ(journal_query_from(Parameters{{"status", "429"}}).status, 429);
  EXPECT_EQ(journal_query_from(Parameters{{"status", "0"}}).status, 0);
}

TEST(AdminJson, AStatusFilterOtherwiseIsRefusedByOneRule) {
  for (const char* status : {"-1", "abc", "99", "600", "+200", "", "4294967696"}) {
    EXPECT_EQ(bad_request([&] { journal_query_from(Parameters{{"status", status}}); }),
              std::string("'status' must be an HTTP status code from 100 to 599, or 0 for a connection closed "
                          "without an answer; not '") +
                  status + "'.")
        << status;
  }
}

TEST(AdminJson, AFileNameMayBe255Bytes) {
  const auto files = std::get<std::vector<ScenarioSource>>(
      scenarios_from(R"({"files": [{"name": ")" + std::string(255, 'n') + R"(", "content": {"rules": [{}]}}]})"));
  EXPECT_EQ(files.at(0).name.size(), 255u);
}

TEST(AdminJson, AFileNameEmptyOrLongerThan255BytesIs400) {
  EXPECT_EQ(bad_request([] { scenarios_from(R"({"files": [{"name": "", "content": {}}]})"); }),
            "files[0].name must be 1 to 255 bytes, not \"\".");
  EXPECT_EQ(bad_request([] {
              scenarios_from(R"({"files": [{"name": ")" + std::string(100'000, 'n') + R"(", "content": {}}]})");
            }),
            "files[0].name must be 1 to 255 bytes, not \"" + std::string(56, 'n') + "....");
}

TEST(AdminJson, AFileNameWithANulOrASlashIs400) {
  EXPECT_EQ(bad_request([] { scenarios_from(R"({"files": [{"name": "ok.json\u0000x", "content": {}}]})"); }),
            "files[0].name must not hold a NUL byte or '/', not \"ok.json\\u0000x\".");
  EXPECT_EQ(bad_request([] { scenarios_from(R"({"files": [{"name": "a/b.json", "content": {}}]})"); }),
            "files[0].name must not hold a NUL byte or '/', not \"a/b.json\".");
}

TEST(AdminJson, AFileWithAnotherPropertyIs400) {
  EXPECT_EQ(bad_request([] { scenarios_from(R"({"files": [{"name": "a.json", "content": {}, "x": 1}]})"); }),
            "'x' is not part of files[0], which takes 'name' and 'content'.");
}

TEST(AdminJson, APathHoldingANulIs400) {
  EXPECT_EQ(bad_request([] { scenarios_from(R"({"paths": ["ok.json\u0000anything"]})"); }),
            "'paths' must hold non-empty paths without a NUL byte, not \"ok.json\\u0000anything\".");
}

TEST(AdminJson, TwoFilesOfOneNameInOneLoadAreAScenarioError) {
  try {
    load(R"({"files": [{"name": "a.json", "content": {"rules": [{}]}},
                       {"name": "a.json", "content": {"rules": [{}]}}]})");
    FAIL() << "the files were loaded";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.errors(), std::vector<std::string>{"a.json: /: another file of this load has the same name: rules "
                                                   "are told apart by their file's name"});
  }
}

}  // namespace
}  // namespace graphfake::admin
