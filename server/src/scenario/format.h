#pragma once

// The scenario file format, written once: a field table for each kind of
// object a file holds, which the parser reads (the properties it accepts and
// the values it takes) and a test holds scenarios/schema/scenario.schema.json
// and docs/scenarios.md to.
#include <array>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_fields.h"
#include "graphfake/dialect.h"
#include "model/export.h"
#include "model/export_kinds.h"
#include "model/operation.h"

namespace graphfake::scenario {

// Spellings beside the values they stand for.
inline constexpr const auto& kKindNames = model::kExportKindNames;
inline constexpr std::array<std::string_view, 2> kVersionNames = {"v1.0", "beta"};
inline constexpr std::array<model::ApiVersion, 2> kVersions = {model::ApiVersion::v1_0, model::ApiVersion::beta};
inline constexpr std::array<std::string_view, 2> kBillingPeriodNames = {"current", "last"};
inline constexpr std::array<model::BillingPeriod, 2> kBillingPeriods = {model::BillingPeriod::current,
                                                                        model::BillingPeriod::last};
inline constexpr std::array<std::string_view, 2> kAttributeSetNames = {"full", "basic"};
inline constexpr std::array<model::AttributeSet, 2> kAttributeSets = {model::AttributeSet::full,
                                                                      model::AttributeSet::basic};
inline constexpr std::array<std::string_view, 2> kNumbersNames = {"numbers", "strings"};
inline constexpr std::array<bool, 2> kNumbersAsStrings = {false, true};
inline constexpr std::array<std::string_view, 3> kDataProfileNames = {
    to_string(DataProfile::observed), to_string(DataProfile::documented), to_string(DataProfile::legacy_camel)};
inline constexpr std::array<DataProfile, 3> kDataProfiles = {DataProfile::observed, DataProfile::documented,
                                                             DataProfile::legacy_camel};
inline constexpr std::array<std::string_view, 3> kResourceLocationNames = {"both", "inline", "navigationLink"};
inline constexpr std::array<model::ResourceLocationStyle, 3> kResourceLocations = {
    model::ResourceLocationStyle::both, model::ResourceLocationStyle::inline_object,
    model::ResourceLocationStyle::navigation_link};
inline constexpr std::array<std::string_view, 2> kEarlyPollsNames = {"serve", "throttle"};
// Named timelines a rule can take instead of writing its phases.
inline constexpr std::array<std::string_view, 2> kTimelinePresetNames = {"alreadyGenerated", "generatingForMinutes"};
// What a rule's "evolution" may ask of the service (model::Evolution).
inline constexpr std::array<std::string_view, 2> kEvolutionNames = {"unknownProperties", "unknownSubtype"};

// One kind of object in a scenario file.
struct Section {
  std::string_view name;
  std::string_view schema_definition;  // "" for the file itself, else a name under the schema's $defs
  std::string_view docs_heading;       // the docs/scenarios.md heading its property table is under
  std::span<const core::Field> fields;
};

// The field tables, each beside the code that parses its section.
std::span<const core::Field> file_fields();             // file.cc
std::span<const core::Field> rule_fields();             // file.cc
std::span<const core::Field> match_fields();            // match.cc
std::span<const core::Field> regex_fields();            // match.cc
std::span<const core::Field> waiting_phase_fields();    // timeline.cc
std::span<const core::Field> failed_phase_fields();     // timeline.cc
std::span<const core::Field> operation_error_fields();  // timeline.cc
std::span<const core::Field> timeline_preset_fields();  // timeline.cc
std::span<const core::Field> succeeded_phase_fields();  // manifest.cc
std::span<const core::Field> extra_column_fields();     // manifest.cc
std::span<const core::Field> sas_terms_fields();        // sas.cc
// Each timeline preset parameter and its default, as a file spells it (timeline.cc).
std::vector<std::pair<std::string_view, std::string_view>> timeline_preset_defaults();

// Every section, the fault sections (whose tables faults/ keeps) included.
std::vector<Section> sections();

}  // namespace graphfake::scenario
