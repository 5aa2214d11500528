#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "data/billing_calendar.h"
#include "data/data_profile.h"
#include "data/fixed_point.h"
#include "data/random.h"
#include "data/schema_column.h"
#include "model/export.h"

namespace graphfake::data {

// `value` as a lower-case RFC 4122 version-4 GUID (the variant and version
// bits overwritten), like the GUIDs Entra ID hands out; no quotes.
void append_guid(std::string& out, Guid value);

// `text` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view text);

// Writes one data line: a JSON object with a value for every column of a
// schema table, given in table order, followed by '\n'. Each value names its
// column, and the name is checked against the table, so the writing code and
// the schema cannot drift apart. The layout (data/data_profile.h) decides
// each value's key, its place in the line and how it prints; columns the
// layout leaves out are skipped, and a value written as absent (null) leaves
// its key out.
class JsonLineWriter {
 public:
  JsonLineWriter(std::string& out, std::span<const Column> columns, const LineLayout& layout);

  void text(std::string_view name, std::string_view value);
  // An absent GUID is written as "".
  void guid(std::string_view name, const std::optional<Guid>& value);
  // 12 hex digits.
  void hex_id(std::string_view name, std::uint64_t value);
  // 64 hex digits derived from `seed`, like a SHA-256 digest.
  void digest(std::string_view name, std::uint64_t seed);
  // Decimal digits as a string; 0 stands for none and is written as "" (or
  // "0" where the layout says so).
  void digits(std::string_view name, std::uint32_t value);
  // The text of a JSON array, which the layout writes as the array itself or
  // as a string (ProductQualifiers).
  void array(std::string_view name, std::string_view array_text);
  // An exact decimal, at the column's scale or in a shortest form, a JSON
  // number or a string as the layout asks.
  void number(std::string_view name, Decimal value);
  // A UTC timestamp or day, as the column's date style prints it.
  void date(std::string_view name, Timestamp value);
  void date(std::string_view name, std::chrono::sys_days day);
  // A null value: the key is left out.
  void absent(std::string_view name);

  // The vocabulary of the layout's profile, for values that depend on it.
  const DataVocabulary& vocabulary() const { return *layout_.vocabulary; }

  // Closes the line; throws std::logic_error if a column was not written.
  void finish();

 private:
  // The column's format if the line has its key, after writing the key;
  // null if the line has none.
  const ValueFormat* key(std::string_view name);
  void end_fragment();

  static constexpr std::size_t kMaxKeys = 64;

  std::string& out_;
  std::span<const Column> columns_;
  const LineLayout& layout_;
  std::size_t line_start_;
  std::size_t next_column_ = 0;
  bool first_key_ = true;
  // Out of schema order only: where each key's "key":value text lies in out_.
  int open_output_ = -1;
  std::array<std::uint32_t, kMaxKeys> fragment_start_{};
  std::array<std::uint32_t, kMaxKeys> fragment_size_{};
};

}  // namespace graphfake::data
