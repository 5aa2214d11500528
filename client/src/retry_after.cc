#include "graphfake/client/retry_after.h"

#include <algorithm>
#include <array>
#include <regex>
#include <string>

namespace graphfake::client {
namespace {

using namespace std::chrono;

constexpr auto kLongestWait = hours(24);

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// "120" or "2.128": seconds, at millisecond precision.
std::optional<milliseconds> parse_delay_seconds(std::string_view text) {
  static const std::regex kDelay(R"((\d+)(?:\.(\d+))?)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kDelay)) return std::nullopt;
  const std::string whole = match[1].str();
  // More than six digits is more than the longest wait anyway.
  if (whole.size() > 6) return kLongestWait;
  auto wait = seconds(std::stoll(whole)) + milliseconds(0);
  if (match[2].matched) {
    const std::string fraction = (match[2].str() + "00").substr(0, 3);
    wait += milliseconds(std::stoll(fraction));
  }
  return std::min<milliseconds>(wait, kLongestWait);
}

std::optional<unsigned> month_number(const std::string& name) {
  static const std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto found = std::find(kMonths.begin(), kMonths.end(), name);
  if (found == kMonths.end()) return std::nullopt;
  return static_cast<unsigned>(found - kMonths.begin()) + 1;
}

std::optional<system_clock::time_point> to_time(int year, const std::string& month_name, unsigned day, int hour,
                                                int minute, int second) {
  const auto month = month_number(month_name);
  if (!month) return std::nullopt;
  const year_month_day date{std::chrono::year(year), std::chrono::month(*month), std::chrono::day(day)};
  // 60 is a leap second, which RFC 9110's grammar allows.
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
}

}  // namespace

std::optional<system_clock::time_point> parse_http_date(std::string_view value) {
  static const std::string kWeekday = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
  static const std::string kLongWeekday = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
  static const std::string kMonth = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  static const std::string kTime = R"((\d{2}):(\d{2}):(\d{2}))";
  static const std::regex kImfFixdate(kWeekday + R"(, (\d{2}) )" + kMonth + R"( (\d{4}) )" + kTime + " GMT");
  static const std::regex kRfc850(kLongWeekday + R"(, (\d{2})-)" + kMonth + R"(-(\d{2}) )" + kTime + " GMT");
  static const std::regex kAsctime(kWeekday + " " + kMonth + R"( ([ \d]\d) )" + kTime + R"( (\d{4}))");

  const std::string text(trim(value));
  std::smatch m;
  auto number = [&](std::size_t group) { return std::stoi(m[group].str()); };
  if (std::regex_match(text, m, kImfFixdate)) {
    return to_time(number(3), m[2].str(), static_cast<unsigned>(number(1)), number(4), number(5), number(6));
  }
  if (std::regex_match(text, m, kRfc850)) {
    // A two-digit year: 70-99 are the 1900s, as in the format's own era.
    const int year = number(3) < 70 ? 2000 + number(3) : 1900 + number(3);
    return to_time(year, m[2].str(), static_cast<unsigned>(number(1)), number(4), number(5), number(6));
  }
  if (std::regex_match(text, m, kAsctime)) {
    return to_time(number(6), m[1].str(), static_cast<unsigned>(number(2)), number(3), number(4), number(5));
  }
  return std::nullopt;
}

std::optional<milliseconds> parse_retry_after(std::string_view value, system_clock::time_point now) {
  const auto text = trim(value);
  if (const auto delay = parse_delay_seconds(text)) return delay;
  const auto date = parse_http_date(text);
  if (!date) return std::nullopt;
  if (*date <= now) return milliseconds(0);
  return std::min<milliseconds>(ceil<milliseconds>(*date - now), kLongestWait);
}

}  // namespace graphfake::client
