#include "data/schema_column.h"


namespace graphfake::data {

std::vector<std::string_view> column_names(std::span<const Column> columns, model::AttributeSet set) {
  std::vector<std::string_view> names;
  names.reserve(columns.size());
  for (const Column& column : columns) {
    if (column.documented && (set == model::AttributeSet::full || column.in_basic)) names.push_back(column.name);
  }
  return names;
}

}  // namespace graphfake::data
