#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/dialect.h"
#include "model/export.h"

namespace graphfake::data {

// One documented attribute of a data file, as an attributeSet table lists it.
struct Column {
  std::string_view name;  // documented (PascalCase) spelling
  bool in_basic;
};

// The names a line carries for `set`, in table order.
std::vector<std::string_view> column_names(std::span<const Column> columns, model::AttributeSet set);

// Every column's key as `casing` spells it, in table order.
std::vector<std::string> spell_keys(std::span<const Column> columns, Dialect::KeyCase casing);

}  // namespace graphfake::data
