#include "scenario/reader.h"

#include <algorithm>

#include "core/duration.h"
#include "core/excerpt.h"

namespace graphfake::scenario {

using namespace std::chrono_literals;

std::string shown(const json& value) { return core::json_excerpt(value); }

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string quoted(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) out += (out.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  return out;
}

void Reader::fail(const std::string& pointer, std::string reason) {
  errors_.push_back(LoadError{file_, pointer.empty() ? "/" : pointer, std::move(reason)});
}

bool Reader::object_with_only(const json& value, const std::string& at, std::span<const core::Field> fields) {
  if (!value.is_object()) {
    fail(at, fmt::format("expected an object, got {}", shown(value)));
    return false;
  }
  for (const auto& [key, item] : value.items()) {
    if (core::find_field(fields, key) == nullptr) {
      std::string expected;
      for (const auto& field : fields) expected += (expected.empty() ? "" : ", ") + std::string(field.name);
      fail(at + "/" + escape_pointer_token(key), fmt::format("unknown property (expected one of {})", expected));
    }
  }
  return true;
}

std::optional<std::string> Reader::string(const json& value, const std::string& at) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    fail(at, fmt::format("expected a non-empty string, got {}", shown(value)));
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<std::uint64_t> Reader::count(const json& value, const std::string& at, std::uint64_t minimum) {
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() < minimum) {
    fail(at, fmt::format("expected a whole number of at least {}, got {}", minimum, shown(value)));
    return std::nullopt;
  }
  return value.get<std::uint64_t>();
}

// A whole number in [minimum, maximum], compared before it is narrowed:
// JSON's integers run to 2^64 - 1, which no signed type holds.
std::optional<std::int64_t> Reader::integer(const json& value, const std::string& at, std::int64_t minimum,
                                            std::int64_t maximum, std::string_view what) {
  // Unsigned: past maximum, or else small enough to compare as signed.
  const bool fits =
      value.is_number_integer() &&
      (!value.is_number_unsigned() || value.get<std::uint64_t>() <= static_cast<std::uint64_t>(maximum)) &&
      value.get<std::int64_t>() >= minimum && value.get<std::int64_t>() <= maximum;
  if (!fits) {
    fail(at, fmt::format("expected {} from {} to {}, got {}", what, minimum, maximum, shown(value)));
    return std::nullopt;
  }
  return value.get<std::int64_t>();
}

std::optional<std::chrono::milliseconds> Reader::duration(const json& value, const std::string& at) {
  if (value.is_string()) {
    const auto span = core::parse_duration(value.get_ref<const std::string&>());
    // Longer spans would overflow the clock's arithmetic, and no test needs them.
    if (span && *span > kMaxDuration) {
      fail(at, fmt::format("durations are at most 365 days (\"8760h\"), got {}", shown(value)));
      return std::nullopt;
    }
    if (span) return span;
  }
  fail(at, fmt::format("expected a duration like \"30s\", got {}", shown(value)));
  return std::nullopt;
}

std::optional<std::chrono::seconds> Reader::whole_seconds(const json& value, const std::string& at,
                                                          std::string_view what) {
  const auto span = duration(value, at);
  if (!span) return std::nullopt;
  if (*span % 1s != 0ms) {
    fail(at, fmt::format("{} is whole seconds, got {}", what, shown(value)));
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*span);
}

// A non-empty array of whole numbers from `first`: request and poll
// numbers count from 1, blob indexes from 0.
std::vector<std::uint64_t> Reader::numbers(const json& value, const std::string& at, std::uint64_t first) {
  std::vector<std::uint64_t> found;
  if (!value.is_array() || value.empty()) {
    fail(at, fmt::format("expected a non-empty array of whole numbers from {}, got {}", first, shown(value)));
    return found;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (const auto n = count(value[i], fmt::format("{}/{}", at, i), first)) found.push_back(*n);
  }
  return found;
}

}  // namespace graphfake::scenario
