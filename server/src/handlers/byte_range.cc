#include "handlers/byte_range.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace graphfake::handlers {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeRequest requested_range(std::string_view header, std::uint64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  const RangeRequest whole{};
  const RangeRequest unsatisfiable{RangeRequest::Kind::unsatisfiable, {}};
  if (!header.starts_with(kUnit) || header.find(',') != std::string_view::npos) return whole;
  const std::string_view spec = header.substr(kUnit.size());
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;

  const auto first_text = spec.substr(0, dash);
  const auto last_text = spec.substr(dash + 1);
  const auto first = number(first_text);
  const auto last = number(last_text);
  if ((!first && !first_text.empty()) || (!last && !last_text.empty())) return whole;
  if (!first) {
    if (!last) return whole;
    if (*last == 0 || size == 0) return unsatisfiable;
    const auto length = std::min(*last, size);
    return RangeRequest{RangeRequest::Kind::part, {size - length, length}};
  }
  if (last && *last < *first) return whole;
  if (*first >= size) return unsatisfiable;
  const std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return RangeRequest{RangeRequest::Kind::part, {*first, end - *first + 1}};
}

}  // namespace graphfake::handlers
