#include "handlers/byte_range.h"

#include <gtest/gtest.h>

namespace graphfake::handlers {
namespace {

using Kind = RangeRequest::Kind;

TEST(ByteRange, ClosedRangeIsServedAsAsked) {
  const auto asked = requested_range("bytes=10-19", 100);
  EXPECT_EQ(asked.kind, Kind::part);
  EXPECT_EQ(asked.range.first, 10u);
  EXPECT_EQ(asked.range.length, 10u);
}

TEST(ByteRange, OpenRangeRunsToTheEnd) {
  const auto asked = requested_range("bytes=90-", 100);
  EXPECT_EQ(asked.range.first, 90u);
  EXPECT_EQ(asked.range.length, 10u);
}

TEST(ByteRange, SuffixRangeIsTheLastBytes) {
  const auto asked = requested_range("bytes=-30", 100);
  EXPECT_EQ(asked.range.first, 70u);
  EXPECT_EQ(asked.range.length, 30u);
  EXPECT_EQ(requested_range("bytes=-300", 100).range.length, 100u);
}

TEST(ByteRange, LastPastTheEndIsClipped) { EXPECT_EQ(requested_range("bytes=50-5000", 100).range.length, 50u); }

TEST(ByteRange, StartAtOrPastTheEndIsUnsatisfiable) {
  EXPECT_EQ(requested_range("bytes=100-", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(requested_range("bytes=-0", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(requested_range("bytes=-5", 0).kind, Kind::unsatisfiable);
}

TEST(ByteRange, UnusableHeadersServeTheWhole) {
  for (const char* header : {"", "bytes=abc", "items=0-5", "bytes=5-2", "bytes=0--5", "bytes=0-1,3-4", "bytes=-",
                             "bytes=99999999999999999999999-"}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(requested_range(header, 100).kind, Kind::whole);
  }
}

}  // namespace
}  // namespace graphfake::handlers
