// The scenario format is written once, in the parser's field tables
// (scenario/format.h, faults/format.h); the JSON Schema and the property
// tables of docs/scenarios.md must say what they say, no more and no less.
#include "scenario/format.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "faults/format.h"

namespace graphfake::scenario::format_check {

using nlohmann::json;

std::filesystem::path repository() { return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path(); }

std::string text_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const json& schema() {
  static const json parsed = json::parse(text_of(repository() / "scenarios/schema/scenario.schema.json"));
  return parsed;
}

const json& resolved(const json& node) {
  if (node.is_object() && node.contains("$ref")) {
    const auto ref = node["$ref"].get<std::string>();
    return resolved(schema().at(json::json_pointer(ref.substr(1))));
  }
  return node;
}

unsigned value_type(const json& value) {
  if (value.is_string()) return core::json_string;
  if (value.is_number_integer()) return core::json_integer;
  if (value.is_number()) return core::json_number;
  if (value.is_boolean()) return core::json_boolean;
  if (value.is_array()) return core::json_array;
  return core::json_object;
}

unsigned named_type(const std::string& name) {
  if (name == "string") return core::json_string;
  if (name == "integer") return core::json_integer;
  if (name == "number") return core::json_number;
  if (name == "boolean") return core::json_boolean;
  if (name == "array") return core::json_array;
  return core::json_object;
}

// The JSON types a schema lets a property take.
unsigned schema_types(const json& property) {
  const json& node = resolved(property);
  if (!node.is_object()) return 0;
  unsigned types = 0;
  if (const auto type = node.find("type"); type != node.end()) {
    for (const auto& name : type->is_array() ? *type : json::array({*type})) types |= named_type(name);
  } else if (const auto values = node.find("enum"); values != node.end()) {
    for (const auto& value : *values) types |= value_type(value);
  } else if (const auto value = node.find("const"); value != node.end()) {
    types |= value_type(*value);
  }
  for (const char* choice : {"anyOf", "oneOf"}) {
    if (const auto branches = node.find(choice); branches != node.end()) {
      for (const auto& branch : *branches) types |= schema_types(branch);
    }
  }
  return types;
}

// The strings a schema lets a property (or its array's items) take; empty: any.
std::set<std::string> schema_allowed(const json& property) {
  const json& node = resolved(property);
  std::set<std::string> allowed;
  if (!node.is_object()) return allowed;
  if (const auto values = node.find("enum"); values != node.end()) {
    for (const auto& value : *values) allowed.insert(value.get<std::string>());
  }
  if (const auto value = node.find("const"); value != node.end()) allowed.insert(value->get<std::string>());
  if (const auto items = node.find("items"); items != node.end()) allowed.merge(schema_allowed(*items));
  for (const char* choice : {"anyOf", "oneOf"}) {
    if (const auto branches = node.find(choice); branches != node.end()) {
      for (const auto& branch : *branches) allowed.merge(schema_allowed(branch));
    }
  }
  return allowed;
}

std::set<std::string> names_of(std::span<const core::Field> fields, bool required_only = false) {
  std::set<std::string> names;
  for (const auto& field : fields) {
    if (!required_only || field.required) names.emplace(field.name);
  }
  return names;
}

TEST(ScenarioFormat, TheSchemaHasExactlyTheParsersProperties) {
  for (const auto& section : sections()) {
    SCOPED_TRACE(std::string(section.name));
    const json& node =
        section.schema_definition.empty() ? schema() : schema()["$defs"][std::string(section.schema_definition)];
    ASSERT_TRUE(node.is_object());
    std::set<std::string> in_schema;
    for (const auto& [name, property] : node["properties"].items()) in_schema.insert(name);
    EXPECT_EQ(in_schema, names_of(section.fields));
    EXPECT_EQ(node.value("additionalProperties", true), false);
    std::set<std::string> required;
    for (const auto& name : node.value("required", json::array())) required.insert(name.get<std::string>());
    EXPECT_EQ(required, names_of(section.fields, true));
    for (const auto& field : section.fields) {
      const auto property = node["properties"].find(std::string(field.name));
      if (property == node["properties"].end()) continue;
      SCOPED_TRACE(std::string(field.name));
      EXPECT_EQ(schema_types(*property), field.types);
      EXPECT_EQ(schema_allowed(*property), std::set<std::string>(field.allowed.begin(), field.allowed.end()));
    }
  }
}

// Which fault points the schema lets take a property: those whose "on"
// branch does not forbid it.
std::set<std::string> schema_points(const std::string& property) {
  std::set<std::string> points;
  for (const auto& branch : schema()["$defs"]["fault"]["allOf"]) {
    bool forbidden = false;
    for (const auto& required : branch["then"]["not"]["anyOf"]) {
      forbidden = forbidden || required["required"][0] == property;
    }
    if (!forbidden) points.insert(branch["if"]["properties"]["on"]["const"].get<std::string>());
  }
  return points;
}

std::set<std::string> table_points(const faults::Property& property) {
  std::set<std::string> points;
  for (std::size_t i = 0; i < faults::kPoints.size(); ++i) {
    if (property.applies_to(faults::kPoints[i])) points.emplace(faults::kPointNames[i]);
  }
  return points;
}

TEST(ScenarioFormat, TheSchemaLetsTheSameFaultPointsTakeEachProperty) {
  for (const auto& property : faults::properties()) {
    if (property.role != faults::Role::trigger && property.role != faults::Role::action) continue;
    SCOPED_TRACE(std::string(property.field.name));
    EXPECT_EQ(schema_points(std::string(property.field.name)), table_points(property));
  }
}

// One row of a property table in the docs.
struct DocsRow {
  std::vector<std::string> names;  // the `backticked` names of its first cell
  std::vector<std::string> cells;
};

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  return cells;
}

std::vector<std::string> backticked(const std::string& cell) {
  std::vector<std::string> names;
  for (auto open = cell.find('`'); open != std::string::npos; open = cell.find('`', open)) {
    const auto close = cell.find('`', open + 1);
    if (close == std::string::npos) break;
    names.push_back(cell.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return names;
}

// The header and rows of the first table under `heading`, before the next heading.
std::pair<std::vector<std::string>, std::vector<DocsRow>> docs_table(const std::string& heading) {
  std::istringstream docs(text_of(repository() / "docs/scenarios.md"));
  std::string line;
  bool under = false;
  std::vector<std::string> header;
  std::vector<DocsRow> rows;
  while (std::getline(docs, line)) {
    if (line.starts_with("#")) {
      if (under) break;
      under = line == heading;
      continue;
    }
    if (!under || !line.starts_with("|")) {
      if (!rows.empty()) break;
      continue;
    }
    if (header.empty()) {
      header = cells_of(line);
    } else if (!line.starts_with("|---")) {
      auto cells = cells_of(line);
      rows.push_back(DocsRow{backticked(cells.at(0)), std::move(cells)});
    }
  }
  return {header, rows};
}

TEST(ScenarioFormat, TheDocsTablesHaveExactlyTheParsersProperties) {
  for (const auto& section : sections()) {
    SCOPED_TRACE(std::string(section.name));
    const auto [header, rows] = docs_table(std::string(section.docs_heading));
    ASSERT_FALSE(rows.empty()) << "no table under " << section.docs_heading;
    std::set<std::string> documented;
    for (const auto& row : rows) documented.insert(row.names.begin(), row.names.end());
    EXPECT_EQ(documented, names_of(section.fields));
    const auto required_column = std::find(header.begin(), header.end(), " Required ");
    for (const auto& row : rows) {
      for (const auto& name : row.names) {
        const auto* field = core::find_field(section.fields, name);
        if (field == nullptr) continue;
        SCOPED_TRACE(name);
        if (required_column != header.end()) {
          const auto& cell = row.cells.at(static_cast<std::size_t>(required_column - header.begin()));
          EXPECT_EQ(cell == " yes ", field->required);
        } else {
          EXPECT_EQ(row.cells.at(1).find("required") != std::string::npos, field->required);
        }
      }
    }
  }
}

// The presets' defaults are the parser's table's, in the schema and the docs.
TEST(ScenarioFormat, TheSchemaAndDocsGiveThePresetParametersTheParsersDefaults) {
  const auto defaults = timeline_preset_defaults();
  ASSERT_FALSE(defaults.empty());
  const auto [header, rows] = docs_table("### Presets");
  for (const auto& [parameter, value] : defaults) {
    const std::string_view name = parameter;  // a lambda cannot capture a structured binding in C++20
    SCOPED_TRACE(std::string(name));
    const auto& property = schema().at(json::json_pointer("/$defs/timelinePreset/properties/" + std::string(name)));
    EXPECT_EQ(property.value("default", ""), value);
    EXPECT_NE(property.value("description", "").find("Default \"" + std::string(value) + "\""), std::string::npos)
        << property.value("description", "");
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const DocsRow& r) {
      return std::find(r.names.begin(), r.names.end(), name) != r.names.end();
    });
    ASSERT_NE(row, rows.end());
    EXPECT_NE(row->cells.back().find("Default `" + std::string(value) + "`"), std::string::npos) << row->cells.back();
  }
}

// The fault table's "For" column: the points, "all", or "with `status`".
TEST(ScenarioFormat, TheDocsSayWhichFaultPointsTakeEachProperty) {
  const auto [header, rows] = docs_table("## `faults`");
  ASSERT_GE(header.size(), 2U);
  ASSERT_EQ(header[1], " For ");
  for (const auto& row : rows) {
    const std::string& cell = row.cells.at(1);
    for (const auto& name : row.names) {
      const auto* property = faults::find_property(name);
      ASSERT_NE(property, nullptr) << name;
      SCOPED_TRACE(name);
      std::set<std::string> points;
      if (cell.find("all") != std::string::npos) {
        points = {faults::kPointNames.begin(), faults::kPointNames.end()};
      } else if (cell.find("with `status`") != std::string::npos) {
        points = table_points(*faults::find_property("status"));
      } else {
        for (const auto& point : backticked(cell)) points.insert(point);
      }
      EXPECT_EQ(points, table_points(*property));
    }
  }
}

}  // namespace graphfake::scenario::format_check
