#include "data/schema_column.h"

#include "data/line_format.h"

namespace graphfake::data {

std::vector<std::string_view> column_names(std::span<const Column> columns, model::AttributeSet set) {
  std::vector<std::string_view> names;
  names.reserve(columns.size());
  for (const Column& column : columns) {
    if (set == model::AttributeSet::full || column.in_basic) names.push_back(column.name);
  }
  return names;
}

std::vector<std::string> spell_keys(std::span<const Column> columns, Dialect::KeyCase casing) {
  std::vector<std::string> keys;
  keys.reserve(columns.size());
  for (const Column& column : columns) keys.push_back(spell_key(column.name, casing));
  return keys;
}

}  // namespace graphfake::data
