#include "core/excerpt.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace graphfake::core {
namespace {

using nlohmann::json;

TEST(TextExcerpt, ShortTextIsKeptWhole) { EXPECT_EQ(text_excerpt("G016907411"), "G016907411"); }

TEST(TextExcerpt, TextOfExactlyTheLimitIsKeptWhole) {
  EXPECT_EQ(text_excerpt(std::string(60, 'a')), std::string(60, 'a'));
}

TEST(TextExcerpt, LongTextIsCutToTheLimitWithAnEllipsis) {
  EXPECT_EQ(text_excerpt(std::string(1'000'000, 'a')), std::string(57, 'a') + "...");
}

TEST(TextExcerpt, CutNeverSplitsAUtf8Character) {
  // "é" is two bytes; 56 ASCII bytes put the 57th byte inside the first one.
  EXPECT_EQ(text_excerpt(std::string(56, 'a') + "éééé"), std::string(56, 'a') + "...");
}

TEST(TextExcerpt, ANulIsWrittenAsAnEscapeSoTheMessageGoesOnPastIt) {
  EXPECT_EQ(text_excerpt(std::string("ab\0cd", 5)), "ab\\u0000cd");
}

TEST(TextExcerpt, LineBreaksAndDeleteAreWrittenAsEscapes) {
  EXPECT_EQ(text_excerpt("a\nb\rc\x7f"), "a\\u000Ab\\u000Dc\\u007F");
}

TEST(TextExcerpt, AnEscapeCountsAsTheSixBytesItTakesAndIsNeverCut) {
  // 54 letters and a NUL: 60 bytes written, which fit.
  EXPECT_EQ(text_excerpt(std::string(54, 'a') + std::string(1, '\0')), std::string(54, 'a') + "\\u0000");
  // One more letter, and the escape no longer fits before the ellipsis.
  EXPECT_EQ(text_excerpt(std::string(55, 'a') + std::string(1, '\0')), std::string(55, 'a') + "...");
}

TEST(TextExcerpt, AMillionControlBytesCostWhatAnExcerptShows) {
  EXPECT_EQ(text_excerpt(std::string(1'000'000, '\x01')).size(), 57u);
}

TEST(JsonExcerpt, ScalarIsWrittenAsJson) {
  EXPECT_EQ(json_excerpt(json(404)), "404");
  EXPECT_EQ(json_excerpt(json(nullptr)), "null");
  EXPECT_EQ(json_excerpt(json("G1")), R"("G1")");
}

TEST(JsonExcerpt, SmallValueIsWrittenAsCompactJson) {
  EXPECT_EQ(json_excerpt(json::parse(R"({"a": [1, {"b": []}], "c": {}})")), R"({"a":[1,{"b":[]}],"c":{}})");
}

TEST(JsonExcerpt, LongStringIsCutToTheLimit) {
  EXPECT_EQ(json_excerpt(json(std::string(1'000'000, 'a'))), "\"" + std::string(56, 'a') + "...");
}

TEST(JsonExcerpt, LongPropertyNameIsCutToTheLimit) {
  EXPECT_EQ(json_excerpt(json{{std::string(1'000, 'k'), 1}}), "{\"" + std::string(55, 'k') + "...");
}

TEST(JsonExcerpt, LargeArrayIsCutToTheLimit) {
  std::string start = "[7";
  while (start.size() < 57) start += ",7";
  EXPECT_EQ(json_excerpt(json(std::vector<int>(100'000, 7))), start.substr(0, 57) + "...");
}

TEST(JsonExcerpt, DeeplyNestedValueIsCutToTheLimit) {
  const auto deep = json::parse(std::string(100'000, '[') + std::string(100'000, ']'));
  EXPECT_EQ(json_excerpt(deep), std::string(57, '[') + "...");
}

}  // namespace
}  // namespace graphfake::core
