#include "handlers/blob_conditions.h"

#include <gtest/gtest.h>

#include <chrono>

#include "unit_test_values.h"

namespace graphfake::handlers {
namespace {

using namespace std::chrono_literals;
using unit_test::t0;

// A blob last modified at t0 + 0.5 s: its Last-Modified says t0 (whole seconds).
const TimePoint kConditionsLastModified = t0 + 500ms;
constexpr std::string_view kConditionsEtag = "\"0x8D0123456789ABC\"";
constexpr const char* kAtLastModified = "Wed, 01 Jan 2025 00:00:00 GMT";
constexpr const char* kBeforeLastModified = "Tue, 31 Dec 2024 23:59:59 GMT";

BlobCondition conditions_of(Headers headers) {
  return evaluate_blob_conditions(headers, kConditionsEtag, kConditionsLastModified);
}

TEST(BlobConditions, NoConditionalHeaderIsMet) { EXPECT_EQ(conditions_of({}), BlobCondition::met); }

TEST(BlobConditions, IfMatchWithTheEtagIsMet) {
  EXPECT_EQ(conditions_of({{"If-Match", std::string(kConditionsEtag)}}), BlobCondition::met);
}

TEST(BlobConditions, IfMatchTakesTheEtagUnquotedAsAzureDoes) {
  EXPECT_EQ(conditions_of({{"if-match", "0x8D0123456789ABC"}}), BlobCondition::met);
}

TEST(BlobConditions, IfMatchWithAnotherEtagFails) {
  EXPECT_EQ(conditions_of({{"If-Match", "\"0x8D0000000000000\""}}), BlobCondition::failed);
}

TEST(BlobConditions, IfMatchWithSeveralEtagsIsMetWhenAnyMatches) {
  EXPECT_EQ(conditions_of({{"If-Match", "\"0x1\", \"0x8D0123456789ABC\""}}), BlobCondition::met);
  EXPECT_EQ(conditions_of({{"If-Match", "\"0x1\""}, {"If-Match", "\"0x8D0123456789ABC\""}}), BlobCondition::met);
}

TEST(BlobConditions, IfMatchStarIsMetByABlobThatExists) {
  EXPECT_EQ(conditions_of({{"If-Match", "*"}}), BlobCondition::met);
}

TEST(BlobConditions, IfMatchWithAWeakTagFailsStrongComparison) {
  EXPECT_EQ(conditions_of({{"If-Match", "W/\"0x8D0123456789ABC\""}}), BlobCondition::failed);
}

TEST(BlobConditions, IfNoneMatchWithTheEtagIsNotModified) {
  EXPECT_EQ(conditions_of({{"If-None-Match", std::string(kConditionsEtag)}}), BlobCondition::not_modified);
  EXPECT_EQ(conditions_of({{"If-None-Match", "W/\"0x8D0123456789ABC\""}}), BlobCondition::not_modified);
}

TEST(BlobConditions, IfNoneMatchWithOtherEtagsIsMet) {
  EXPECT_EQ(conditions_of({{"If-None-Match", "\"0x1\", \"0x2\""}}), BlobCondition::met);
}

TEST(BlobConditions, IfNoneMatchStarOnABlobIsUnsatisfiable) {
  EXPECT_EQ(conditions_of({{"If-None-Match", "*"}}), BlobCondition::unsatisfiable);
}

TEST(BlobConditions, IfModifiedSinceTheLastModificationIsNotModified) {
  EXPECT_EQ(conditions_of({{"If-Modified-Since", kAtLastModified}}), BlobCondition::not_modified);
}

TEST(BlobConditions, IfModifiedSinceAnEarlierTimeIsMet) {
  EXPECT_EQ(conditions_of({{"If-Modified-Since", kBeforeLastModified}}), BlobCondition::met);
}

TEST(BlobConditions, IfUnmodifiedSinceAnEarlierTimeFails) {
  EXPECT_EQ(conditions_of({{"If-Unmodified-Since", kBeforeLastModified}}), BlobCondition::failed);
}

TEST(BlobConditions, IfUnmodifiedSinceTheLastModificationIsMet) {
  EXPECT_EQ(conditions_of({{"If-Unmodified-Since", kAtLastModified}}), BlobCondition::met);
}

TEST(BlobConditions, ADateThatIsNotRfc1123IsIgnored) {
  EXPECT_EQ(conditions_of({{"If-Unmodified-Since", "yesterday"}}), BlobCondition::met);
  EXPECT_EQ(conditions_of({{"If-Modified-Since", "2025-01-01T00:00:00Z"}}), BlobCondition::met);
}

TEST(BlobConditions, ADateSentTwiceIsRefused) {
  EXPECT_EQ(conditions_of({{"If-Modified-Since", kBeforeLastModified}, {"If-Modified-Since", kAtLastModified}}),
            BlobCondition::repeated_date);
}

// If-Match && If-Unmodified-Since && (If-None-Match || If-Modified-Since)
TEST(BlobConditions, AFailedIfMatchOutranksANotModified) {
  EXPECT_EQ(conditions_of({{"If-Match", "\"0x1\""}, {"If-None-Match", std::string(kConditionsEtag)}}),
            BlobCondition::failed);
}

TEST(BlobConditions, AFailedIfUnmodifiedSinceOutranksANotModified) {
  EXPECT_EQ(conditions_of({{"If-Unmodified-Since", kBeforeLastModified}, {"If-Modified-Since", kAtLastModified}}),
            BlobCondition::failed);
}

TEST(BlobConditions, IfNoneMatchOrIfModifiedSinceEitherHoldingIsMet) {
  EXPECT_EQ(
      conditions_of({{"If-None-Match", std::string(kConditionsEtag)}, {"If-Modified-Since", kBeforeLastModified}}),
      BlobCondition::met);
  EXPECT_EQ(conditions_of({{"If-None-Match", "\"0x1\""}, {"If-Modified-Since", kAtLastModified}}), BlobCondition::met);
}

TEST(BlobConditions, IfNoneMatchAndIfModifiedSinceBothFailingIsNotModified) {
  EXPECT_EQ(conditions_of({{"If-None-Match", std::string(kConditionsEtag)}, {"If-Modified-Since", kAtLastModified}}),
            BlobCondition::not_modified);
}

TEST(BlobConditions, AllFourHoldingIsMet) {
  EXPECT_EQ(conditions_of({{"If-Match", std::string(kConditionsEtag)},
                           {"If-Unmodified-Since", kAtLastModified},
                           {"If-None-Match", "\"0x1\""},
                           {"If-Modified-Since", kBeforeLastModified}}),
            BlobCondition::met);
}

}  // namespace
}  // namespace graphfake::handlers
