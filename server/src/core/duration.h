#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace graphfake::core {

// "250ms", "30s", "5m", "2h": digits then a unit. nullopt for anything else,
// and for more than `max_digits` digits (at most 12: no unit's amount then
// overflows milliseconds).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::size_t max_digits = 9);

}  // namespace graphfake::core
