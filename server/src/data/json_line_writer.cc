#include "data/json_line_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace graphfake::data {
namespace {

// Digits are written by hand: fmt's back-inserter path dominated profiles of
// the line-writing loop.
constexpr std::string_view kHexDigits = "0123456789abcdef";

void append_hex(std::string& out, std::uint64_t value, int width) {
  std::array<char, 16> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = kHexDigits[value & 0xf];
    value >>= 4;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

// Zero-padded to at least `min_width` digits.
void append_decimal_digits(std::string& out, std::uint64_t value, int min_width) {
  std::array<char, 20> digits{};
  std::size_t start = digits.size();
  do {
    digits[--start] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 || digits.size() - start < static_cast<std::size_t>(min_width));
  out.append(digits.data() + start, digits.size() - start);
}

void append_decimal(std::string& out, Decimal value) {
  if (value.units < 0) out += '-';
  const std::uint64_t magnitude = value.units < 0 ? 0 - static_cast<std::uint64_t>(value.units)
                                                  : static_cast<std::uint64_t>(value.units);
  const auto unit = static_cast<std::uint64_t>(pow10(value.scale));
  append_decimal_digits(out, magnitude / unit, 1);
  std::uint64_t fraction = magnitude % unit;
  if (fraction == 0) return;
  int digits = value.scale;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  out += '.';
  append_decimal_digits(out, fraction, digits);
}


std::uint64_t magnitude_of(std::int64_t units) {
  return units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
}

// `magnitude` / 10^scale with exactly `printed_scale` >= scale decimals: the
// exact digits, then zeros. Scales beyond an int64's 18 digits never need
// wider arithmetic this way.
void append_fixed_magnitude(std::string& out, std::uint64_t magnitude, int scale, int printed_scale) {
  const auto unit = static_cast<std::uint64_t>(pow10(scale));
  append_decimal_digits(out, magnitude / unit, 1);
  if (printed_scale == 0) return;
  out += '.';
  if (scale > 0) append_decimal_digits(out, magnitude % unit, scale);
  out.append(static_cast<std::size_t>(printed_scale - scale), '0');
}

// `value` with exactly `printed_scale` decimals, rounded half away from zero
// where it has more; a zero as 0E-<printed_scale> if `zero_exponent`.
void append_fixed(std::string& out, Decimal value, int printed_scale, bool zero_exponent) {
  std::uint64_t magnitude = magnitude_of(value.units);
  int scale = value.scale;
  if (scale > printed_scale) {
    const auto divisor = static_cast<std::uint64_t>(pow10(scale - printed_scale));
    magnitude = magnitude / divisor + (magnitude % divisor >= divisor - divisor / 2 ? 1 : 0);
    scale = printed_scale;
  }
  if (magnitude == 0 && zero_exponent && printed_scale > 0) {
    out += "0E-";
    append_decimal_digits(out, static_cast<std::uint64_t>(printed_scale), 1);
    return;
  }
  if (value.units < 0 && magnitude != 0) out += '-';
  append_fixed_magnitude(out, magnitude, scale, printed_scale);
}

// As Java's Double.toString prints the double nearest `value` (the same
// digits, for the at most 15 significant digits the rows carry): plain with
// at least one decimal from 10^-3 up to 10^7, else d.dddE<exponent>.
void append_java_double(std::string& out, Decimal value) {
  if (value.units == 0) {
    out += "0.0";
    return;
  }
  if (value.units < 0) out += '-';
  std::uint64_t magnitude = magnitude_of(value.units);
  int scale = value.scale;
  while (scale > 0 && magnitude % 10 == 0) {
    magnitude /= 10;
    --scale;
  }
  std::string digits;
  append_decimal_digits(digits, magnitude, 1);
  const int exponent = static_cast<int>(digits.size()) - 1 - scale;
  if (exponent >= -3 && exponent < 7) {
    append_fixed_magnitude(out, magnitude, scale, std::max(scale, 1));
    return;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  out += digits[0];
  out += '.';
  if (digits.size() > 1) {
    out.append(digits, 1);
  } else {
    out += '0';
  }
  out += 'E';
  if (exponent < 0) out += '-';
  append_decimal_digits(out, static_cast<std::uint64_t>(exponent < 0 ? -exponent : exponent), 1);
}

// "Add quantity" as "addQuantity" (ASCII words).
void append_camel_words(std::string& out, std::string_view words) {
  out += '"';
  bool word_start = false;
  bool first = true;
  for (const char c : words) {
    if (c == ' ') {
      word_start = true;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += first ? static_cast<char>(std::tolower(byte)) : word_start ? static_cast<char>(std::toupper(byte)) : c;
    first = false;
    word_start = false;
  }
  out += '"';
}

}  // namespace

void append_guid(std::string& out, Guid value) {
  append_hex(out, value.high >> 32, 8);
  out += '-';
  append_hex(out, value.high >> 16, 4);
  out += "-4";
  append_hex(out, value.high, 3);
  out += '-';
  append_hex(out, 0x8000 | ((value.low >> 48) & 0x3fff), 4);
  out += '-';
  append_hex(out, value.low, 12);
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t unescaped_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 bytes pass through
    out.append(text, unescaped_from, i - unescaped_from);
    unescaped_from = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u";
        append_hex(out, c, 4);
        break;
    }
  }
  out.append(text, unescaped_from);
  out += '"';
}

JsonLineWriter::JsonLineWriter(std::string& out, std::span<const Column> columns, const LineLayout& layout)
    : out_(out), columns_(columns), layout_(layout), line_start_(out.size()) {
  if (!layout_.in_schema_order && layout_.keys.size() > kMaxKeys) {
    throw std::logic_error(fmt::format("a re-ordered line has {} keys; at most {} are supported", layout_.keys.size(),
                                       kMaxKeys));
  }
  out_ += '{';
}

void JsonLineWriter::text(std::string_view name, std::string_view value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  switch (format->text) {
    case TextStyle::as_written: append_json_string(out_, value); break;
    case TextStyle::always_empty: out_ += "\"\""; break;
    case TextStyle::camel_words: append_camel_words(out_, value); break;
    case TextStyle::constant: append_json_string(out_, format->constant); break;
  }
}

void JsonLineWriter::guid(std::string_view name, const std::optional<Guid>& value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  out_ += '"';
  if (value && format->text != TextStyle::always_empty) append_guid(out_, *value);
  out_ += '"';
}

void JsonLineWriter::hex_id(std::string_view name, std::uint64_t value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  out_ += '"';
  if (format->text != TextStyle::always_empty) append_hex(out_, value, 12);
  out_ += '"';
}

void JsonLineWriter::digest(std::string_view name, std::uint64_t seed) {
  const ValueFormat* format = this->key(name);
  if (format == nullptr) return;
  SplitMix64 random(seed);
  out_ += '"';
  for (int word = 0; word < 4; ++word) append_hex(out_, random.next(), 16);
  out_ += '"';
}

void JsonLineWriter::digits(std::string_view name, std::uint32_t value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  out_ += '"';
  if (format->text != TextStyle::always_empty && (value != 0 || format->zero_as_digit)) {
    append_decimal_digits(out_, value, 1);
  }
  out_ += '"';
}

void JsonLineWriter::array(std::string_view name, std::string_view array_text) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  if (format->array) {
    out_ += array_text;
  } else {
    append_json_string(out_, array_text);
  }
}

void JsonLineWriter::number(std::string_view name, Decimal value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  if (layout_.numbers_as_strings) out_ += '"';
  switch (format->number) {
    case NumberStyle::shortest: append_decimal(out_, value); break;
    case NumberStyle::fixed: append_fixed(out_, value, format->scale, false); break;
    case NumberStyle::fixed_zero_exponent: append_fixed(out_, value, format->scale, true); break;
    case NumberStyle::java_double: append_java_double(out_, value); break;
  }
  if (layout_.numbers_as_strings) out_ += '"';
}

void JsonLineWriter::date(std::string_view name, Timestamp value) {
  const ValueFormat* format = key(name);
  if (format == nullptr) return;
  const std::chrono::year_month_day date{value.day};
  const auto seconds = static_cast<unsigned>(value.second_of_day);
  out_ += '"';
  append_decimal_digits(out_, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out_ += '-';
  append_decimal_digits(out_, static_cast<unsigned>(date.month()), 2);
  out_ += '-';
  append_decimal_digits(out_, static_cast<unsigned>(date.day()), 2);
  if (format->date == DateStyle::date_only) {
    out_ += '"';
    return;
  }
  out_ += 'T';
  append_decimal_digits(out_, seconds / 3600, 2);
  out_ += ':';
  append_decimal_digits(out_, seconds / 60 % 60, 2);
  out_ += ':';
  append_decimal_digits(out_, seconds % 60, 2);
  out_ += format->date == DateStyle::milliseconds ? ".000Z\"" : "Z\"";
}

void JsonLineWriter::date(std::string_view name, std::chrono::sys_days day) {
  date(name, Timestamp{day, 0});
}

void JsonLineWriter::absent(std::string_view name) {
  end_fragment();
  if (next_column_ >= columns_.size() || columns_[next_column_].name != name) {
    throw std::logic_error(fmt::format("column {} written out of schema order", name));
  }
  ++next_column_;
}

void JsonLineWriter::finish() {
  if (next_column_ != columns_.size()) {
    throw std::logic_error(fmt::format("data line is missing schema column {}",
                                       columns_[next_column_].name));
  }
  if (!layout_.in_schema_order) {
    // Each key's text was written where its value came; put them in key order.
    end_fragment();
    thread_local std::string written;
    written.assign(out_, line_start_, std::string::npos);
    out_.resize(line_start_ + 1);
    first_key_ = true;
    for (std::size_t output = 0; output < layout_.keys.size(); ++output) {
      if (fragment_size_[output] == 0) continue;
      if (!first_key_) out_ += ',';
      first_key_ = false;
      out_.append(written, fragment_start_[output], fragment_size_[output]);
    }
  }
  if (!layout_.extra_column.empty()) {
    if (!first_key_) out_ += ',';
    out_ += layout_.extra_column;
  }
  out_ += "}\n";
}

const ValueFormat* JsonLineWriter::key(std::string_view name) {
  if (next_column_ >= columns_.size() || columns_[next_column_].name != name) {
    throw std::logic_error(fmt::format("column {} written out of schema order", name));
  }
  const LineLayout::Slot& slot = layout_.slots[next_column_++];
  if (slot.output < 0) return nullptr;
  const auto output = static_cast<std::size_t>(slot.output);
  if (layout_.in_schema_order) {
    if (!first_key_) out_ += ',';
    first_key_ = false;
  } else {
    end_fragment();
    open_output_ = slot.output;
    fragment_start_[output] = static_cast<std::uint32_t>(out_.size() - line_start_);
  }
  out_ += layout_.keys[output];
  return &slot.format;
}

void JsonLineWriter::end_fragment() {
  if (open_output_ < 0) return;
  const auto output = static_cast<std::size_t>(open_output_);
  fragment_size_[output] = static_cast<std::uint32_t>(out_.size() - line_start_ - fragment_start_[output]);
  open_output_ = -1;
}

}  // namespace graphfake::data
