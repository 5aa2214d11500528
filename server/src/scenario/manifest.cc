#include "scenario/scenario.h"

#include <fmt/format.h>

#include "scenario/format.h"
#include "scenario/reader.h"

// A succeeded phase: the manifest it publishes and the data its blobs hold.
namespace graphfake::scenario {
namespace {

using core::json_integer;
using core::json_string;

constexpr core::Field kSucceededPhaseFields[] = {
    {"status", json_string, std::span(model::kOperationStatusNames).subspan<2, 1>(), true, "the operation succeeded"},
    {"rows", json_integer, {}, false, "rows in the export"},
    {"rowsPerBlob", json_integer, {}, false, "rows per blob"},
    {"blobs", json_integer, {}, false, "instead of rowsPerBlob: this many blobs, rows spread evenly"},
    {"attributeSet", json_string, kAttributeSetNames, false, "the columns the data really has"},
    {"seed", json_integer, {}, false, "the seed the rows derive from"},
    {"numbers", json_string, kNumbersNames, false, "how rows spell numeric values"},
    {"dataProfile", json_string, kDataProfileNames, false, "the data files' profile"},
    {"extraColumn", core::json_object, {}, false, "one more column, last on every row"},
    {"resourceLocation", json_string, kResourceLocationNames, false, "how the operation carries the manifest"},
    {"sasValidFor", json_string, {}, false, "how long each SAS stays valid, whole seconds"},
    {"sas", core::json_object, {}, false, "what each SAS grants: a SAS Azure would refuse"},
};

constexpr core::Field kExtraColumnFields[] = {
    {"name", json_string, {}, true, "the column's key"},
    {"value", json_string, {}, true, "its value on every row, a string"},
};

}  // namespace

std::span<const core::Field> succeeded_phase_fields() { return kSucceededPhaseFields; }
std::span<const core::Field> extra_column_fields() { return kExtraColumnFields; }

std::optional<model::Phase> Reader::succeeded_phase(const json& value, const std::string& at) {
  if (!object_with_only(value, at, kSucceededPhaseFields)) return std::nullopt;
  model::Phase phase;
  phase.status = model::OperationStatus::succeeded;
  model::ManifestShape shape = defaults_.manifest;
  if (const auto it = value.find("rows"); it != value.end()) {
    if (const auto rows = count(*it, at + "/rows", 0)) shape.rows = *rows;
  }
  const auto per_blob = value.find("rowsPerBlob");
  const auto blobs = value.find("blobs");
  if (per_blob != value.end() && blobs != value.end()) {
    fail(at + "/blobs", "give \"rowsPerBlob\" or \"blobs\", not both");
  } else if (per_blob != value.end()) {
    if (const auto rows = count(*per_blob, at + "/rowsPerBlob", 1)) shape.rows_per_blob = *rows;
  } else if (blobs != value.end()) {
    if (const auto n = count(*blobs, at + "/blobs", 1)) shape.blob_count = *n;
  }
  const auto blob_total = shape.blob_count ? *shape.blob_count
                          : shape.rows_per_blob == 0
                              ? 1
                              : shape.rows / shape.rows_per_blob + (shape.rows % shape.rows_per_blob != 0 ? 1 : 0);
  if (shape.rows > kMaxRows) {
    fail(at + "/rows", fmt::format("at most {} rows are allowed, got {}", kMaxRows, shape.rows));
  } else if (blob_total > kMaxBlobs) {
    fail(at, fmt::format("this export would have {} blobs; at most {} are allowed", blob_total, kMaxBlobs));
  }
  if (const auto it = value.find("attributeSet"); it != value.end()) {
    shape.attribute_set = one_of(*it, at + "/attributeSet", kAttributeSetNames, kAttributeSets);
  }
  if (const auto it = value.find("seed"); it != value.end()) {
    if (const auto seed = count(*it, at + "/seed", 0)) shape.seed = *seed;
  }
  if (const auto it = value.find("numbers"); it != value.end()) {
    shape.numbers_as_strings = one_of(*it, at + "/numbers", kNumbersNames, kNumbersAsStrings);
  }
  if (const auto it = value.find("dataProfile"); it != value.end()) {
    shape.data_profile = one_of(*it, at + "/dataProfile", kDataProfileNames, kDataProfiles);
  }
  if (const auto it = value.find("extraColumn"); it != value.end()) {
    shape.extra_column = extra_column(*it, at + "/extraColumn");
  }
  if (const auto it = value.find("resourceLocation"); it != value.end()) {
    if (const auto style = one_of(*it, at + "/resourceLocation", kResourceLocationNames, kResourceLocations)) {
      shape.resource_location = *style;
    }
  }
  if (const auto it = value.find("sasValidFor"); it != value.end()) {
    if (const auto valid = whole_seconds(*it, at + "/sasValidFor", "a SAS expiry")) shape.sas_valid_for = *valid;
  }
  if (const auto it = value.find("sas"); it != value.end()) sas_terms(*it, at + "/sas", shape);
  phase.manifest = shape;
  return phase;
}

std::optional<model::ExtraColumn> Reader::extra_column(const json& value, const std::string& at) {
  if (!object_with_only(value, at, kExtraColumnFields)) return std::nullopt;
  const auto name = value.find("name");
  const auto text = value.find("value");
  if (name == value.end()) fail(at, "missing \"name\", the column's key");
  if (text == value.end()) fail(at, "missing \"value\", the column's value on every row");
  if (name == value.end() || text == value.end()) return std::nullopt;
  auto column_name = string(*name, at + "/name");
  if (!text->is_string()) {
    fail(at + "/value", fmt::format("expected a string, got {}", shown(*text)));
    return std::nullopt;
  }
  if (!column_name) return std::nullopt;
  return model::ExtraColumn{std::move(*column_name), text->get<std::string>()};
}

}  // namespace graphfake::scenario
