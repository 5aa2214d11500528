#include "core/time_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

namespace graphfake::core {
namespace {

struct Fields {
  int year;
  unsigned month, day, hour, minute, second, millisecond, weekday;
};

Fields split(TimePoint t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto days = floor<std::chrono::days>(ms);
  const year_month_day ymd{days};
  const hh_mm_ss hms{ms - days};
  return Fields{static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(hms.hours().count()),
                static_cast<unsigned>(hms.minutes().count()),
                static_cast<unsigned>(hms.seconds().count()),
                static_cast<unsigned>(hms.subseconds().count()),
                weekday{days}.c_encoding()};
}

}  // namespace

std::string rfc3339_ms(TimePoint t) {
  const auto f = split(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", f.year, f.month, f.day, f.hour,
                     f.minute, f.second, f.millisecond);
}

std::string rfc3339_ticks(TimePoint t) {
  using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  const auto f = split(t);
  const auto ticks = std::chrono::floor<Ticks>(t) - std::chrono::floor<std::chrono::seconds>(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z", f.year, f.month, f.day, f.hour,
                     f.minute, f.second, ticks.count());
}

std::string rfc3339_nanoseconds(TimePoint t) {
  const auto f = split(t);
  const auto nanoseconds =
      std::chrono::floor<std::chrono::nanoseconds>(t) - std::chrono::floor<std::chrono::seconds>(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", f.year, f.month, f.day, f.hour,
                     f.minute, f.second, nanoseconds.count());
}

std::string rfc3339_seconds(TimePoint t) {
  const auto f = split(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", f.year, f.month, f.day, f.hour,
                     f.minute, f.second);
}

namespace {

// Seconds since the epoch of exactly "dddd-dd-ddTdd:dd:ddZ": years 0000 to
// 9999, far more than a TimePoint holds, and nothing overflows on the way.
std::optional<std::int64_t> epoch_seconds(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  using namespace std::chrono;
  const year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                            day{static_cast<unsigned>(number(8, 2))}};
  const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return std::int64_t{sys_days{date}.time_since_epoch().count()} * 86'400 + hour * 3'600 + minute * 60 + second;
}

// A TimePoint counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11.
constexpr std::int64_t kEarliestSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(TimePoint::min().time_since_epoch()).count() + 1;
constexpr std::int64_t kLatestSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(TimePoint::max().time_since_epoch()).count() - 1;

}  // namespace

std::optional<TimePoint> parse_rfc3339_seconds(std::string_view text) {
  const auto seconds = epoch_seconds(text);
  if (!seconds || *seconds < kEarliestSeconds || *seconds > kLatestSeconds) return std::nullopt;
  return TimePoint{} + std::chrono::seconds(*seconds);
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
  constexpr std::size_t kSecondsEnd = 19;  // "dddd-dd-ddTdd:dd:dd"
  if (text.size() <= kSecondsEnd + 2 || text[kSecondsEnd] != '.') return parse_rfc3339_seconds(text);
  const auto fraction = text.substr(kSecondsEnd + 1, text.size() - kSecondsEnd - 2);
  if (text.back() != 'Z' || fraction.empty() || fraction.size() > 9) return std::nullopt;
  std::int64_t nanoseconds = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    const char digit = i < fraction.size() ? fraction[i] : '0';
    if (digit < '0' || digit > '9') return std::nullopt;
    nanoseconds = nanoseconds * 10 + (digit - '0');
  }
  // fmt, not `std::string(...) + "Z"`: GCC 12 at -O2 reports a false -Warray-bounds for that.
  const auto whole = parse_rfc3339_seconds(fmt::format("{}Z", text.substr(0, kSecondsEnd)));
  if (!whole) return std::nullopt;
  return *whole + std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanoseconds));
}

TimePoint earliest_clock_time() { return TimePoint{}; }

std::variant<TimePoint, std::string> parse_clock_time(std::string_view text) {
  const auto range = [] {
    return fmt::format("must be from {} to {}", rfc3339_seconds(earliest_clock_time()),
                       rfc3339_seconds(VirtualClock::latest()));
  };
  // The range is checked on the seconds, before a far year could overflow a TimePoint.
  const auto whole = text.size() > 20 && text[19] == '.' ? fmt::format("{}Z", text.substr(0, 19)) : std::string(text);
  const auto seconds = epoch_seconds(whole);
  if (!seconds) return std::string("must be a time like \"2025-01-01T00:05:00Z\" (UTC; a fraction of a second "
                                   "of up to nine digits may follow the seconds)");
  const auto latest =
      std::chrono::duration_cast<std::chrono::seconds>(VirtualClock::latest().time_since_epoch()).count();
  if (*seconds < 0 || *seconds > latest) return range();
  const auto at = parse_rfc3339(text);
  if (!at) return std::string("must be a time like \"2025-01-01T00:05:00Z\" (UTC; a fraction of a second of up "
                              "to nine digits may follow the seconds)");
  if (*at > VirtualClock::latest()) return range();
  return *at;
}

std::string iso_seconds_unzoned(TimePoint t) {
  const auto f = split(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", f.year, f.month, f.day, f.hour,
                     f.minute, f.second);
}

namespace {

constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string http_date(TimePoint t) {
  const auto f = split(t);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[f.weekday], f.day,
                     kMonths[f.month - 1], f.year, f.hour, f.minute, f.second);
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
  // "Tue, 08 Oct 2024 00:57:36 GMT": read as its RFC 3339 spelling, then
  // held to the weekday it names.
  constexpr std::string_view kShape = "www, dd mmm dddd dd:dd:dd GMT";
  if (text.size() != kShape.size() || text.substr(3, 2) != ", " || !text.ends_with(" GMT")) return std::nullopt;
  const auto month = std::find(std::begin(kMonths), std::end(kMonths), text.substr(8, 3));
  if (month == std::end(kMonths) || text[7] != ' ' || text[11] != ' ' || text[16] != ' ') return std::nullopt;
  const auto at = parse_rfc3339_seconds(fmt::format("{}-{:02}-{}T{}Z", text.substr(12, 4),
                                                    month - std::begin(kMonths) + 1, text.substr(5, 2),
                                                    text.substr(17, 8)));
  if (!at || http_date(*at) != text) return std::nullopt;
  return at;
}

}  // namespace graphfake::core
