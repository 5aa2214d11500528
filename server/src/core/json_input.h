#pragma once

// Reading JSON that a caller sent: request bodies, scenario files. The text
// is checked with a non-recursive pass before any value is built, so no
// input can make the value, or code that walks it, too deep for the stack.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace graphfake::core {

struct JsonLimits {
  // Arrays and objects inside one another: {"a": [1]} is 2 deep.
  std::size_t max_depth;
};

// A request body the fake reads is one flat object; the depth only keeps a
// hostile body from costing more than a plain one.
inline constexpr JsonLimits kRequestBodyLimits{.max_depth = 64};

// Why a text was refused, in plain words, never the JSON parser's own.
struct JsonProblem {
  std::size_t offset;  // of the byte where the problem shows
  std::string reason;  // e.g. "the property 'invoiceId' is given twice at byte 30"
};

// Exactly one JSON value, within `limits`, with nothing but JSON whitespace
// after it. Refuses a property given twice in one object, any NUL byte (the
// parser would take it for the end of the text), and strings that are not
// UTF-8.
std::variant<nlohmann::json, JsonProblem> read_json(std::string_view text, JsonLimits limits);

}  // namespace graphfake::core
