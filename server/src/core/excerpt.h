#pragma once

// Quoting a caller's value in an error message: at most a short prefix of
// it, however long or deep the value is.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace graphfake::core {

constexpr std::size_t kExcerptBytes = 60;

// `text` itself when it fits in `max_bytes`; else its start, cut between
// UTF-8 characters, and "...", together `max_bytes` at most. Control
// characters (a NUL, a line break, DEL) are written as \u0000 escapes,
// and count as the six bytes they take.
std::string text_excerpt(std::string_view text, std::size_t max_bytes = kExcerptBytes);

// `value` as compact JSON, cut as text_excerpt cuts. It writes no more than
// the excerpt needs and walks nested values without recursion, so a 1 MiB
// or deeply nested value costs what a small one does.
std::string json_excerpt(const nlohmann::json& value, std::size_t max_bytes = kExcerptBytes);

}  // namespace graphfake::core
