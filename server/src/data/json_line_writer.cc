#include "data/json_line_writer.h"

#include <fmt/format.h>

#include <array>
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

JsonLineWriter::JsonLineWriter(std::string& out, std::span<const Column> columns,
                               std::span<const std::string> keys, model::AttributeSet set,
                               const LineFormat& format)
    : out_(out),
      columns_(columns),
      keys_(keys),
      basic_only_(set == model::AttributeSet::basic),
      numbers_as_strings_(format.numbers == Dialect::Numbers::strings),
      arrays_as_arrays_(format.product_qualifiers == Dialect::ProductQualifiers::array) {
  out_ += '{';
}

void JsonLineWriter::text(std::string_view name, std::string_view value) {
  if (key(name)) append_json_string(out_, value);
}

void JsonLineWriter::guid(std::string_view name, const std::optional<Guid>& value) {
  if (!key(name)) return;
  out_ += '"';
  if (value) append_guid(out_, *value);
  out_ += '"';
}

void JsonLineWriter::hex_id(std::string_view name, std::uint64_t value) {
  if (!key(name)) return;
  out_ += '"';
  append_hex(out_, value, 12);
  out_ += '"';
}

void JsonLineWriter::digits(std::string_view name, std::uint32_t value) {
  if (!key(name)) return;
  out_ += '"';
  if (value != 0) append_decimal_digits(out_, value, 1);
  out_ += '"';
}

void JsonLineWriter::array(std::string_view name, std::string_view array_text) {
  if (!key(name)) return;
  if (arrays_as_arrays_) {
    out_ += array_text;
  } else {
    append_json_string(out_, array_text);
  }
}

void JsonLineWriter::number(std::string_view name, Decimal value) {
  if (!key(name)) return;
  if (numbers_as_strings_) out_ += '"';
  append_decimal(out_, value);
  if (numbers_as_strings_) out_ += '"';
}

void JsonLineWriter::date(std::string_view name, Timestamp value) {
  if (!key(name)) return;
  const std::chrono::year_month_day date{value.day};
  const auto seconds = static_cast<unsigned>(value.second_of_day);
  out_ += '"';
  append_decimal_digits(out_, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out_ += '-';
  append_decimal_digits(out_, static_cast<unsigned>(date.month()), 2);
  out_ += '-';
  append_decimal_digits(out_, static_cast<unsigned>(date.day()), 2);
  out_ += 'T';
  append_decimal_digits(out_, seconds / 3600, 2);
  out_ += ':';
  append_decimal_digits(out_, seconds / 60 % 60, 2);
  out_ += ':';
  append_decimal_digits(out_, seconds % 60, 2);
  out_ += "Z\"";
}

void JsonLineWriter::date(std::string_view name, std::chrono::sys_days day) {
  date(name, Timestamp{day, 0});
}

void JsonLineWriter::finish() {
  if (next_column_ != columns_.size()) {
    throw std::logic_error(fmt::format("data line is missing schema column {}",
                                       columns_[next_column_].name));
  }
  out_ += "}\n";
}

bool JsonLineWriter::key(std::string_view name) {
  if (next_column_ >= columns_.size() || columns_[next_column_].name != name) {
    throw std::logic_error(fmt::format("column {} written out of schema order", name));
  }
  const std::size_t index = next_column_++;
  if (basic_only_ && !columns_[index].in_basic) return false;
  out_ += first_key_ ? "\"" : ",\"";
  out_ += keys_[index];
  out_ += "\":";
  first_key_ = false;
  return true;
}

}  // namespace graphfake::data
