#include "core/duration.h"

#include <algorithm>
#include <charconv>

namespace graphfake::core {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::size_t max_digits) {
  // 10^12 hours is 3.6 * 10^18 ms, inside 64 bits.
  constexpr std::size_t kMostDigits = 12;
  const auto unit_at = text.find_first_not_of("0123456789");
  if (unit_at == 0 || unit_at == std::string_view::npos || unit_at > std::min(max_digits, kMostDigits)) {
    return std::nullopt;
  }
  long long amount = 0;
  std::from_chars(text.data(), text.data() + unit_at, amount);
  const auto unit = text.substr(unit_at);
  if (unit == "ms") return std::chrono::milliseconds(amount);
  if (unit == "s") return std::chrono::seconds(amount);
  if (unit == "m") return std::chrono::minutes(amount);
  if (unit == "h") return std::chrono::hours(amount);
  return std::nullopt;
}

}  // namespace graphfake::core
