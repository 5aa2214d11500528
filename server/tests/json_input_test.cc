#include "core/json_input.h"
#include "unit_test_values.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <variant>

namespace graphfake::core {
namespace {

using unit_test::nested_arrays;

using nlohmann::json;

constexpr JsonLimits kLimits{.max_depth = 64};

// The problem reading `text` gives; a failed test (and an empty problem) when it reads.
JsonProblem problem_of(std::string_view text, JsonLimits limits = kLimits) {
  auto read = read_json(text, limits);
  if (auto* problem = std::get_if<JsonProblem>(&read)) return *problem;
  ADD_FAILURE() << "expected a problem, but the text was read: " << std::get<json>(read).dump();
  return {};
}

json value_of(std::string_view text, JsonLimits limits = kLimits) {
  auto read = read_json(text, limits);
  if (auto* problem = std::get_if<JsonProblem>(&read)) {
    ADD_FAILURE() << "expected a value, got: " << problem->reason;
    return {};
  }
  return std::get<json>(std::move(read));
}

TEST(JsonInput, ReadsAnObject) {
  EXPECT_EQ(value_of(R"({"invoiceId": "G016907411", "n": [1, 2.5, true, null]})"),
            json({{"invoiceId", "G016907411"}, {"n", {1, 2.5, true, nullptr}}}));
}

TEST(JsonInput, ReadsAValueNestedExactlyAsDeepAsTheLimit) {
  const auto value = value_of(nested_arrays(64));
  EXPECT_TRUE(value.is_array());
}

TEST(JsonInput, RefusesAValueNestedOneLevelDeeperThanTheLimit) {
  const auto problem = problem_of(nested_arrays(65));
  EXPECT_EQ(problem.reason, "the JSON is nested deeper than 64 levels");
  EXPECT_EQ(problem.offset, 64u);
}

TEST(JsonInput, RefusesAHundredThousandLevelsOfNesting) {
  EXPECT_EQ(problem_of(nested_arrays(100'000)).reason, "the JSON is nested deeper than 64 levels");
}

TEST(JsonInput, CountsObjectsAndArraysAlikeTowardsTheDepth) {
  EXPECT_EQ(problem_of(R"({"a": [{"b": [1]}]})", JsonLimits{.max_depth = 3}).reason,
            "the JSON is nested deeper than 3 levels");
}

TEST(JsonInput, RefusesAPropertyGivenTwiceInOneObject) {
  const auto problem = problem_of(R"({"invoiceId": "G1", "invoiceId": "G2"})");
  EXPECT_EQ(problem.reason, "the property 'invoiceId' is given twice");
  EXPECT_EQ(problem.offset, 30u);
}

TEST(JsonInput, AcceptsOneNameInEachOfTwoObjects) {
  EXPECT_EQ(value_of(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])").size(), 3u);
}

TEST(JsonInput, QuotesAShortStartOfALongPropertyName) {
  const std::string name(10'000, 'k');
  const auto problem = problem_of("{\"" + name + "\": 1, \"" + name + "\": 2}");
  EXPECT_LT(problem.reason.size(), 100u) << problem.reason;
  EXPECT_NE(problem.reason.find("kkk..."), std::string::npos) << problem.reason;
}

TEST(JsonInput, RefusesANulByteAfterTheValue) {
  const auto problem = problem_of(std::string(R"({"invoiceId":"G1"})") + '\0' + "garbage");
  EXPECT_EQ(problem.reason, "unexpected bytes after the JSON value at byte 18");
  EXPECT_EQ(problem.offset, 18u);
}

TEST(JsonInput, RefusesANulByteInsideTheValue) {
  EXPECT_EQ(problem_of(std::string(R"({"invoiceId":"G1)") + '\0' + R"("})").reason, "unexpected NUL byte at byte 16");
}

TEST(JsonInput, RefusesBytesAfterTheValueNamingWhereTheyStart) {
  EXPECT_EQ(problem_of(R"({"invoiceId":"G1"}  {})").reason, "unexpected bytes after the JSON value at byte 20");
}

TEST(JsonInput, RefusesBytesRightAfterANumber) {
  EXPECT_EQ(problem_of("123x").reason, "unexpected bytes after the JSON value at byte 3");
}

TEST(JsonInput, AcceptsWhitespaceAfterTheValue) { EXPECT_EQ(value_of("{} \r\n\t "), json::object()); }

TEST(JsonInput, RefusesAnEmptyText) { EXPECT_EQ(problem_of("").reason, "there is no JSON value"); }

TEST(JsonInput, RefusesATextOfOnlyWhitespace) { EXPECT_EQ(problem_of(" \n ").reason, "there is no JSON value"); }

TEST(JsonInput, RefusesATruncatedText) {
  const auto problem = problem_of(R"({"invoiceId": "G01)");
  EXPECT_EQ(problem.reason, "the JSON ends early");
  EXPECT_EQ(problem.offset, 18u);
}

TEST(JsonInput, NamesTheUnexpectedCharacterAndWhereItIs) {
  EXPECT_EQ(problem_of(R"({"invoiceId":})").reason, "unexpected '}' at byte 13");
}

TEST(JsonInput, NamesAControlCharacterInAString) {
  EXPECT_EQ(problem_of("[\"a\x01\"]").reason, "unexpected control character U+0001 at byte 3");
}

TEST(JsonInput, RefusesAStringThatIsNotUtf8) {
  EXPECT_EQ(problem_of("[\"a\xff\"]").reason, "unexpected byte 0xFF at byte 3");
}

TEST(JsonInput, NamesAnUnpairedHighSurrogateEscapeAndWhereItStarts) {
  EXPECT_EQ(problem_of(R"({"a": "\ud800"})").reason, "an unpaired UTF-16 surrogate escape at byte 7");
}

TEST(JsonInput, NamesAHighSurrogateEscapeFollowedByAnotherEscape) {
  EXPECT_EQ(problem_of(R"(["x\uD83D\u0041"])").reason, "an unpaired UTF-16 surrogate escape at byte 3");
}

TEST(JsonInput, NamesALoneLowSurrogateEscape) {
  EXPECT_EQ(problem_of(R"(["\udc00"])").reason, "an unpaired UTF-16 surrogate escape at byte 2");
}

TEST(JsonInput, ReadsAPairedSurrogateEscape) { EXPECT_EQ(value_of(R"(["\ud83d\ude00"])"), json({"\U0001F600"})); }

TEST(JsonInput, AfterAPairedSurrogateOtherErrorsAreNamedAsUsual) {
  EXPECT_EQ(problem_of(R"(["\ud83d\ude00" x])").reason, "unexpected 'x' at byte 16");
}

TEST(JsonInput, RefusesANumberTooLargeForADouble) {
  EXPECT_EQ(problem_of("[1e999]").reason, "a number too large at byte 5");
}

class JsonParserMessage : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonParserMessage, IsNeverShown) {
  const auto problem = problem_of(GetParam());
  EXPECT_EQ(problem.reason.find("json.exception"), std::string::npos) << problem.reason;
  EXPECT_EQ(problem.reason.find("parse error"), std::string::npos) << problem.reason;
}

INSTANTIATE_TEST_SUITE_P(JsonInput, JsonParserMessage,
                         ::testing::Values("{", "{\"a\" 1}", "[1,]", "tru", "{'a': 1}", "[01]", "\"\\x\"", "1e999",
                                           "{\"a\":1,\"a\":2}", "[] []"));

}  // namespace
}  // namespace graphfake::core
