#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace graphfake::conformance {

// A member of `object`, or null when `object` is not an object or lacks it:
// checks read bodies of any shape without throwing.
inline const nlohmann::ordered_json& member(const nlohmann::ordered_json& object, std::string_view name) {
  static const nlohmann::ordered_json kAbsent;
  if (!object.is_object()) return kAbsent;
  const auto it = object.find(name);
  return it == object.end() ? kAbsent : *it;
}

// A value as a violation message quotes it.
inline std::string shown(const nlohmann::ordered_json& value) { return value.is_null() ? "absent" : value.dump(); }

}  // namespace graphfake::conformance
