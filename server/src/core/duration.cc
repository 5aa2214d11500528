#include "core/duration.h"

#include <charconv>

namespace graphfake::core {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const auto unit_at = text.find_first_not_of("0123456789");
  // Nine digits at most: no unit's amount then overflows milliseconds.
  if (unit_at == 0 || unit_at == std::string_view::npos || unit_at > 9) return std::nullopt;
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
