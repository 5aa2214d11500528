#include "domain/admin_json.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "domain/billing_service.h"
#include "graphfake/scenarios.h"

namespace graphfake::domain {
namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// POST /_graphfake/scenarios as the route takes it: the body read, then each file loaded.
void load(const std::string& body) {
  load_scenario_set(std::get<std::vector<ScenarioSource>>(scenarios_from(body)), Options{});
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

}  // namespace
}  // namespace graphfake::domain
