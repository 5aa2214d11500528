#include "core/excerpt.h"

#include <fmt/format.h>

#include <vector>

namespace graphfake::core {
namespace {

using nlohmann::json;

constexpr std::string_view kEllipsis = "...";

// The longest start of `text` of at most `max_bytes` that does not end
// inside a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  while (end > 0 && continuation(text[end])) --end;
  return text.substr(0, end);
}

// A string as JSON, from no more of it than an excerpt can show.
std::string string_json(std::string_view text, std::size_t max_bytes) {
  return json(std::string(utf8_prefix(text, max_bytes))).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string text_excerpt(std::string_view text, std::size_t max_bytes) {
  const auto kept = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  std::string out;
  std::size_t fits_with_ellipsis = 0;  // the longest start of `out` that leaves room for "..."
  for (std::size_t at = 0; at < text.size();) {
    // One character: a control character written as an escape, so that no
    // message quoting a value carries a NUL or breaks a line; else a UTF-8
    // character whole.
    std::string piece;
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x20 || byte == 0x7F) {
      piece = fmt::format("\\u{:04X}", byte);
      ++at;
    } else {
      const auto start = at++;
      while (at < text.size() && continuation(text[at])) ++at;
      piece = text.substr(start, at - start);
    }
    if (out.size() + piece.size() > max_bytes) return out.substr(0, fits_with_ellipsis) + std::string(kEllipsis);
    out += piece;
    if (out.size() <= kept) fits_with_ellipsis = out.size();
  }
  return out;
}

std::string json_excerpt(const json& value, std::size_t max_bytes) {
  struct Open {
    const json* container;
    json::const_iterator next;
  };
  std::string out;
  std::vector<Open> open;
  const json* pending = &value;
  // Writing stops as soon as the text is longer than the excerpt shows.
  while (out.size() <= max_bytes) {
    if (pending != nullptr) {
      if (pending->is_structured()) {
        out += pending->is_object() ? '{' : '[';
        open.push_back({pending, pending->cbegin()});
      } else {
        out += pending->is_string() ? string_json(pending->get_ref<const std::string&>(), max_bytes)
                                    : pending->dump(-1, ' ', false, json::error_handler_t::replace);
      }
      pending = nullptr;
      continue;
    }
    if (open.empty()) break;
    auto& top = open.back();
    if (top.next == top.container->cend()) {
      out += top.container->is_object() ? '}' : ']';
      open.pop_back();
      continue;
    }
    if (top.next != top.container->cbegin()) out += ',';
    if (top.container->is_object()) out += string_json(top.next.key(), max_bytes) + ':';
    pending = &*top.next;
    ++top.next;
  }
  return text_excerpt(out, max_bytes);
}

}  // namespace graphfake::core
