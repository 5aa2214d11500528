#include "core/json_input.h"

#include <fmt/format.h>

#include <iterator>
#include <optional>
#include <set>
#include <vector>

#include "core/excerpt.h"

namespace graphfake::core {
namespace {

using nlohmann::json;

// nlohmann's id for a number too large for a double.
constexpr int kNumberOverflow = 406;

bool json_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A byte iterator that counts the bytes the parser has taken: SAX events
// carry no position, and the checker needs to know where a value ended.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, std::size_t* taken) : at_(at), taken_(taken) {}

  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    ++*taken_;
    return *this;
  }
  CountingIterator operator++(int) {
    auto before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_;
  std::size_t* taken_;
};

std::string byte_description(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte > 0x20 && byte < 0x7F) return fmt::format("'{}'", c);
  if (byte < 0x80) return fmt::format("control character U+{:04X}", byte);
  return fmt::format("byte 0x{:02X}", byte);
}

// Checks the text as the parser reads it, and stops it at the first
// problem, before anything is built.
class Checker final : public nlohmann::json_sax<json> {
 public:
  Checker(std::string_view text, JsonLimits limits, const std::size_t& taken)
      : text_(text), limits_(limits), taken_(taken) {}

  std::optional<JsonProblem> problem;

  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return number(); }
  bool number_unsigned(number_unsigned_t) override { return number(); }
  bool number_float(number_float_t, const string_t&) override { return number(); }
  bool string(string_t&) override { return scalar(); }
  bool binary(binary_t&) override { return scalar(); }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& name) override {
    if (open_.back().insert(name).second) return true;
    return refuse(last_byte(), fmt::format("the property '{}' is given twice", text_excerpt(name)));
  }

  // `position` counts the bytes read, the offending one included.
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    const std::size_t at = position == 0 ? 0 : position - 1;
    if (value_end_) {
      auto after = *value_end_;
      while (after < text_.size() && json_whitespace(text_[after])) ++after;
      return refuse(after, fmt::format("unexpected bytes after the JSON value at byte {}", after));
    }
    if (text_.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return refuse(text_.size(), "there is no JSON value");
    }
    if (at >= text_.size()) return refuse(text_.size(), "the JSON ends early");
    if (error.id == kNumberOverflow) return refuse(at, fmt::format("a number too large at byte {}", at));
    const auto escape = std::string_view(error.what()).find("surrogate") != std::string_view::npos
                            ? unpaired_surrogate_before(at)
                            : std::nullopt;
    if (escape) {
      return refuse(*escape, fmt::format("an unpaired UTF-16 surrogate escape at byte {}", *escape));
    }
    return refuse(at, fmt::format("unexpected {} at byte {}", byte_description(text_[at]), at));
  }

 private:
  std::size_t last_byte() const { return taken_ == 0 ? 0 : taken_ - 1; }

  // The parser stops just after a \uD800-\uDFFF escape that no low half
  // follows (or that no high half came before), and blames the byte it
  // stopped at; the escape it could not pair is the nearest before it.
  std::optional<std::size_t> unpaired_surrogate_before(std::size_t at) const {
    constexpr std::size_t kEscape = 6;  // \uDxxx
    for (std::size_t back = 0; back <= 2 * kEscape && back <= at; ++back) {
      const auto start = at - back;
      if (start + kEscape > text_.size() || text_[start] != '\\' || text_[start + 1] != 'u') continue;
      const char d = text_[start + 2];
      const char half = text_[start + 3];
      const bool surrogate =
          (d == 'd' || d == 'D') && std::string_view("89abcdefABCDEF").find(half) != std::string_view::npos;
      // An escaped backslash before it would make it text, not an escape.
      const bool escaped = start > 0 && text_[start - 1] == '\\';
      if (surrogate && !escaped) return start;
    }
    return std::nullopt;
  }

  bool refuse(std::size_t offset, std::string reason) {
    problem = JsonProblem{offset, std::move(reason)};
    return false;
  }

  bool scalar() {
    if (open_.empty()) value_end_ = taken_;
    return true;
  }

  // The lexer reads one byte past a number to see it end. value_end_ is
  // read only when bytes follow the value, and then that byte was one.
  bool number() {
    if (open_.empty()) value_end_ = taken_ - 1;
    return true;
  }

  bool open() {
    if (open_.size() == limits_.max_depth) {
      return refuse(last_byte(), fmt::format("the JSON is nested deeper than {} levels", limits_.max_depth));
    }
    open_.emplace_back();
    return true;
  }

  bool close() {
    open_.pop_back();
    return scalar();
  }

  std::string_view text_;
  JsonLimits limits_;
  const std::size_t& taken_;
  std::vector<std::set<std::string>> open_;  // the property names so far of each open container
  std::optional<std::size_t> value_end_;     // once the one value has been read
};

}  // namespace

std::variant<json, JsonProblem> read_json(std::string_view text, JsonLimits limits) {
  // The parser takes a NUL byte for the end of the text, so it reads only
  // up to the first one, and a NUL is refused here.
  const auto nul = text.find('\0');
  const auto readable = text.substr(0, nul);
  std::size_t taken = 0;
  Checker checker(readable, limits, taken);
  const bool valid = json::sax_parse(CountingIterator(readable.data(), &taken),
                                     CountingIterator(readable.data() + readable.size(), &taken), &checker);
  if (nul != std::string_view::npos && (valid || checker.problem->offset == readable.size())) {
    return JsonProblem{nul, valid ? fmt::format("unexpected bytes after the JSON value at byte {}", nul)
                                  : fmt::format("unexpected NUL byte at byte {}", nul)};
  }
  if (!valid) return *checker.problem;
  return json::parse(readable);
}

}  // namespace graphfake::core
