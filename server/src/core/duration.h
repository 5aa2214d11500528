#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace graphfake::core {

// "250ms", "30s", "5m", "2h": digits then a unit. nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace graphfake::core
