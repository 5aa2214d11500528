#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/dialect.h"
#include "model/export.h"

namespace graphfake::data {

// One attribute of a data file: a value the rows' writing code provides, in
// table order. Most are the attributes an attributeSet table documents; a
// few only real files carry (docs/fidelity.md).
struct Column {
  std::string_view name;  // documented (PascalCase) spelling
  bool in_basic;
  bool documented = true;  // listed in Graph's attributeSet table
};

// The documented names a line of the documented profile carries for `set`,
// in table order.
std::vector<std::string_view> column_names(std::span<const Column> columns, model::AttributeSet set);


}  // namespace graphfake::data
