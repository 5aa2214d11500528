#pragma once

// What a JSON object of a file format may hold, written once: the parser
// reads it (property names, the values a string may take) and a test holds
// the format's JSON Schema and its documentation to it.
#include <span>
#include <string_view>

namespace graphfake::core {

// The JSON types a property may take, as bits: a property given as a
// string or an object (a text match, a delay) has two.
enum JsonType : unsigned {
  json_string = 1U << 0,
  json_integer = 1U << 1,
  json_number = 1U << 2,  // any number, fractions included
  json_boolean = 1U << 3,
  json_array = 1U << 4,
  json_object = 1U << 5,
};

struct Field {
  std::string_view name;
  unsigned types;  // JsonType bits
  // The only strings the property takes (for an array, its items); empty:
  // any the property's own check allows.
  std::span<const std::string_view> allowed;
  bool required;
  std::string_view description;  // one line, for readers of the table
};

// The field called `name`, or null.
constexpr const Field* find_field(std::span<const Field> fields, std::string_view name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace graphfake::core
