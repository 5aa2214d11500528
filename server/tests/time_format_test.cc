#include "core/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <variant>

#include "graphfake/clock.h"

namespace graphfake::core {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TimePoint at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  return TimePoint(sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
                   milliseconds{ms});
}

struct Instant {
  const char* name;
  TimePoint t;
  const char* ms;
  const char* seconds;
  const char* unzoned;
  const char* http;
};

void PrintTo(const Instant& c, std::ostream* os) { *os << c.name; }

class TimeFormatOnFixedInstants : public ::testing::TestWithParam<Instant> {};

TEST_P(TimeFormatOnFixedInstants, Rfc3339WithMilliseconds) {
  EXPECT_EQ(rfc3339_ms(GetParam().t), GetParam().ms);
}

TEST_P(TimeFormatOnFixedInstants, Rfc3339WithSeconds) {
  EXPECT_EQ(rfc3339_seconds(GetParam().t), GetParam().seconds);
}

TEST_P(TimeFormatOnFixedInstants, IsoSecondsWithoutZone) {
  EXPECT_EQ(iso_seconds_unzoned(GetParam().t), GetParam().unzoned);
}

TEST_P(TimeFormatOnFixedInstants, HttpDate) {
  EXPECT_EQ(http_date(GetParam().t), GetParam().http);
}

INSTANTIATE_TEST_SUITE_P(
    Instants, TimeFormatOnFixedInstants,
    ::testing::Values(
        Instant{"Epoch", TimePoint{}, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z",
                "1970-01-01T00:00:00", "Thu, 01 Jan 1970 00:00:00 GMT"},
        Instant{"RealManifest", at(2024, 10, 8, 0, 57, 36, 37), "2024-10-08T00:57:36.037Z",
                "2024-10-08T00:57:36Z", "2024-10-08T00:57:36", "Tue, 08 Oct 2024 00:57:36 GMT"},
        Instant{"LeapDay2024", at(2024, 2, 29, 23, 59, 59, 999), "2024-02-29T23:59:59.999Z",
                "2024-02-29T23:59:59Z", "2024-02-29T23:59:59", "Thu, 29 Feb 2024 23:59:59 GMT"},
        Instant{"LeapDay2000", at(2000, 2, 29, 12, 0, 0, 5), "2000-02-29T12:00:00.005Z",
                "2000-02-29T12:00:00Z", "2000-02-29T12:00:00", "Tue, 29 Feb 2000 12:00:00 GMT"},
        Instant{"DayAfterNonLeap2100Feb", at(2100, 3, 1), "2100-03-01T00:00:00.000Z",
                "2100-03-01T00:00:00Z", "2100-03-01T00:00:00", "Mon, 01 Mar 2100 00:00:00 GMT"},
        Instant{"NewYear2025", at(2025, 1, 1), "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:00Z",
                "2025-01-01T00:00:00", "Wed, 01 Jan 2025 00:00:00 GMT"},
        Instant{"LastMillisecondOfYear", at(2023, 12, 31, 23, 59, 59, 999), "2023-12-31T23:59:59.999Z",
                "2023-12-31T23:59:59Z", "2023-12-31T23:59:59", "Sun, 31 Dec 2023 23:59:59 GMT"},
        Instant{"SubMillisecondIsTruncated", at(2024, 10, 8, 0, 57, 36, 37) + 999us,
                "2024-10-08T00:57:36.037Z", "2024-10-08T00:57:36Z", "2024-10-08T00:57:36",
                "Tue, 08 Oct 2024 00:57:36 GMT"},
        Instant{"HalfSecondBeforeEpochFloors", TimePoint{} - 500ms, "1969-12-31T23:59:59.500Z",
                "1969-12-31T23:59:59Z", "1969-12-31T23:59:59", "Wed, 31 Dec 1969 23:59:59 GMT"},
        Instant{"EachWeekdaySaturday", at(2025, 3, 15, 6, 7, 8), "2025-03-15T06:07:08.000Z",
                "2025-03-15T06:07:08Z", "2025-03-15T06:07:08", "Sat, 15 Mar 2025 06:07:08 GMT"},
        Instant{"EachWeekdayFriday", at(2025, 6, 13, 18, 30, 1, 100), "2025-06-13T18:30:01.100Z",
                "2025-06-13T18:30:01Z", "2025-06-13T18:30:01", "Fri, 13 Jun 2025 18:30:01 GMT"}),
    [](const ::testing::TestParamInfo<Instant>& info) { return std::string(info.param.name); });

TEST(TimeFormat, ParseRfc3339_TakesWholeSecondsAndFractionsUpToNanoseconds) {
  EXPECT_EQ(parse_rfc3339("2025-01-01T00:05:00Z"), at(2025, 1, 1, 0, 5));
  EXPECT_EQ(parse_rfc3339("2025-01-01T00:05:00.250Z"), at(2025, 1, 1, 0, 5, 0, 250));
  EXPECT_EQ(parse_rfc3339("2025-01-01T00:05:00.5Z"), at(2025, 1, 1, 0, 5, 0, 500));
  EXPECT_EQ(parse_rfc3339("2025-01-01T00:05:00.000000001Z"),
            at(2025, 1, 1, 0, 5) + std::chrono::nanoseconds(1));
}

TEST(TimeFormat, ParseRfc3339_RefusesMalformedFractions) {
  EXPECT_FALSE(parse_rfc3339("2025-01-01T00:05:00.Z"));
  EXPECT_FALSE(parse_rfc3339("2025-01-01T00:05:00.1234567890Z"));
  EXPECT_FALSE(parse_rfc3339("2025-01-01T00:05:00.25"));
  EXPECT_FALSE(parse_rfc3339("2025-01-01T00:05:00.2x5Z"));
  EXPECT_FALSE(parse_rfc3339("2025-13-01T00:05:00.250Z"));
}

TEST(TimeFormat, SecondsFormatsTruncateRatherThanRound) {
  const auto t = at(2024, 10, 8, 0, 57, 36, 999);
  EXPECT_EQ(rfc3339_seconds(t), "2024-10-08T00:57:36Z");
  EXPECT_EQ(iso_seconds_unzoned(t), "2024-10-08T00:57:36");
  EXPECT_EQ(http_date(t), "Tue, 08 Oct 2024 00:57:36 GMT");
}

TEST(TimeFormat, HttpDateParsesBackWhatHttpDateWrites) {
  EXPECT_EQ(parse_http_date("Tue, 08 Oct 2024 00:57:36 GMT"), at(2024, 10, 8, 0, 57, 36));
  EXPECT_EQ(parse_http_date("Sat, 29 Feb 2020 23:59:59 GMT"), at(2020, 2, 29, 23, 59, 59));
}

TEST(TimeFormat, HttpDateParseRefusesAnythingButRfc1123) {
  EXPECT_FALSE(parse_http_date("Wed, 08 Oct 2024 00:57:36 GMT"));  // the 8th was a Tuesday
  EXPECT_FALSE(parse_http_date("Tue, 08 Oct 2024 00:57:36 UTC"));
  EXPECT_FALSE(parse_http_date("Tuesday, 08-Oct-24 00:57:36 GMT"));
  EXPECT_FALSE(parse_http_date("Tue Oct  8 00:57:36 2024"));
  EXPECT_FALSE(parse_http_date("Tue, 31 Sep 2024 00:57:36 GMT"));
  EXPECT_FALSE(parse_http_date("Tue, 08 Oct 2024 24:57:36 GMT"));
  EXPECT_FALSE(parse_http_date("2024-10-08T00:57:36Z"));
  EXPECT_FALSE(parse_http_date(""));
}

TEST(TimeFormat, TicksFormatGivesTheDocumentationsSevenFractionDigits) {
  const auto t = at(2023, 3, 9, 8, 37, 48) + 504669100ns;
  EXPECT_EQ(rfc3339_ticks(t), "2023-03-09T08:37:48.5046691Z");
}

TEST(TimeFormat, TicksFormatKeepsZeroDigitsAndTruncatesBelowATick) {
  EXPECT_EQ(rfc3339_ticks(at(2025, 1, 1)), "2025-01-01T00:00:00.0000000Z");
  EXPECT_EQ(rfc3339_ticks(at(2025, 1, 1) + 99ns), "2025-01-01T00:00:00.0000000Z");
  EXPECT_EQ(rfc3339_ticks(at(2025, 1, 1, 0, 0, 0, 37)), "2025-01-01T00:00:00.0370000Z");
}

TEST(TimeFormat, ParsingATimeBeforeWhatATimePointHoldsGivesNothing) {
  EXPECT_EQ(parse_rfc3339_seconds("1677-09-21T00:12:43Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339_seconds("0001-01-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("1500-01-01T00:00:00.5Z"), std::nullopt);
}

TEST(TimeFormat, ParsingATimePastWhatATimePointHoldsGivesNothing) {
  EXPECT_EQ(parse_rfc3339_seconds("2262-04-12T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339_seconds("9999-12-31T23:59:59Z"), std::nullopt);
}

TEST(TimeFormat, ParsingKeepsTheTimesATimePointHolds) {
  EXPECT_EQ(rfc3339_seconds(*parse_rfc3339_seconds("1677-09-22T00:00:00Z")), "1677-09-22T00:00:00Z");
  EXPECT_EQ(rfc3339_seconds(*parse_rfc3339_seconds("2262-04-11T00:00:00Z")), "2262-04-11T00:00:00Z");
}

TEST(ClockTime, IsTakenFromTheEpochToTheLatestAVirtualClockShows) {
  EXPECT_EQ(std::get<TimePoint>(parse_clock_time("1970-01-01T00:00:00Z")), TimePoint{});
  EXPECT_EQ(std::get<TimePoint>(parse_clock_time("2200-01-01T00:00:00Z")), VirtualClock::latest());
}

TEST(ClockTime, OutsideTheRangeSaysTheRange) {
  for (const char* text : {"1969-12-31T23:59:59Z", "1500-01-01T00:00:00Z", "2200-01-01T00:00:00.001Z",
                           "9999-01-01T00:00:00Z"}) {
    EXPECT_EQ(std::get<std::string>(parse_clock_time(text)),
              "must be from 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z")
        << text;
  }
}

TEST(ClockTime, NotATimeSaysWhatOneLooksLike) {
  EXPECT_NE(std::get<std::string>(parse_clock_time("yesterday")).find("2025-01-01T00:05:00Z"), std::string::npos);
}

TEST(TimeFormat, TicksFormatFloorsBeforeTheEpoch) {
  EXPECT_EQ(rfc3339_ticks(TimePoint{} - 100ns), "1969-12-31T23:59:59.9999999Z");
}

TEST(VirtualClock, DefaultStartIsNewYear2025Utc) {
  const VirtualClock clock;
  EXPECT_EQ(clock.now(), at(2025, 1, 1));
  EXPECT_EQ(VirtualClock::default_start(), at(2025, 1, 1));
  EXPECT_EQ(rfc3339_ms(clock.now()), "2025-01-01T00:00:00.000Z");
}

TEST(VirtualClock, StartsWhereItIsTold) {
  const VirtualClock clock(at(2024, 2, 29, 1, 2, 3, 4));
  EXPECT_EQ(clock.now(), at(2024, 2, 29, 1, 2, 3, 4));
}

TEST(VirtualClock, DoesNotMoveByItself) {
  const VirtualClock clock;
  const auto first = clock.now();
  EXPECT_EQ(clock.now(), first);
}

TEST(VirtualClock, AdvanceMovesForwardByExactlyTheAmount) {
  VirtualClock clock;
  clock.advance(90min);
  EXPECT_EQ(clock.now(), at(2025, 1, 1, 1, 30));
  clock.advance(1ms);
  EXPECT_EQ(clock.now(), at(2025, 1, 1, 1, 30, 0, 1));
}

TEST(VirtualClock, AdvanceAccumulates) {
  VirtualClock clock;
  for (int i = 0; i < 10; ++i) clock.advance(6s);
  EXPECT_EQ(clock.now(), at(2025, 1, 1, 0, 1));
}

TEST(VirtualClock, AdvanceByNegativeMovesBack) {
  VirtualClock clock;
  clock.advance(-24h);
  EXPECT_EQ(clock.now(), at(2024, 12, 31));
}

TEST(VirtualClock, SetJumpsToTheInstantEitherWay) {
  VirtualClock clock;
  clock.set(at(2030, 7, 4, 12));
  EXPECT_EQ(clock.now(), at(2030, 7, 4, 12));
  clock.set(at(2020, 1, 1));
  EXPECT_EQ(clock.now(), at(2020, 1, 1));
  clock.advance(1s);
  EXPECT_EQ(clock.now(), at(2020, 1, 1, 0, 0, 1));
}

}  // namespace
}  // namespace graphfake::core
