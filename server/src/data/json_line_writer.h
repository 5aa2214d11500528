#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "data/billing_calendar.h"
#include "data/fixed_point.h"
#include "data/line_format.h"
#include "data/random.h"
#include "data/schema_column.h"
#include "model/export.h"

namespace graphfake::data {

// `value` as a lower-case RFC 4122 version-4 GUID (the variant and version
// bits overwritten), like the GUIDs Entra ID hands out; no quotes.
void append_guid(std::string& out, Guid value);

// Writes one data line: a JSON object with a value for every column of a
// schema table, in table order, followed by '\n'. Columns outside the
// attribute set are skipped. Each value names its column, and the name is
// checked against the table, so the writing code and the schema cannot drift
// apart.
class JsonLineWriter {
 public:
  // `keys`: each column's key as the format spells it (see spell_keys).
  JsonLineWriter(std::string& out, std::span<const Column> columns,
                 std::span<const std::string> keys, model::AttributeSet set,
                 const LineFormat& format);

  void text(std::string_view name, std::string_view value);
  // An absent GUID is written as "".
  void guid(std::string_view name, const std::optional<Guid>& value);
  // 12 hex digits.
  void hex_id(std::string_view name, std::uint64_t value);
  // Decimal digits as a string; 0 stands for none and is written as "".
  void digits(std::string_view name, std::uint32_t value);
  // The text of a JSON array, which the format writes as the array itself or
  // as a string (ProductQualifiers).
  void array(std::string_view name, std::string_view array_text);
  // Shortest exact decimal text (12.10 as 12.1), a JSON number or a string as
  // the format asks.
  void number(std::string_view name, Decimal value);
  // ISO 8601 UTC, "2024-03-01T13:05:00Z".
  void date(std::string_view name, Timestamp value);
  void date(std::string_view name, std::chrono::sys_days day);

  // Closes the line; throws std::logic_error if a column was not written.
  void finish();

 private:
  bool key(std::string_view name);

  std::string& out_;
  std::span<const Column> columns_;
  std::span<const std::string> keys_;
  bool basic_only_;
  bool numbers_as_strings_;
  bool arrays_as_arrays_;
  std::size_t next_column_ = 0;
  bool first_key_ = true;
};

}  // namespace graphfake::data
