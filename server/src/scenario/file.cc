#include "scenario/scenario.h"

#include <fmt/format.h>

#include "scenario/format.h"
#include "scenario/reader.h"

// The file itself and its rules; each rule's sections are read by the
// files named after them.
namespace graphfake::scenario {
namespace {

using core::json_array;
using core::json_object;
using core::json_string;

constexpr core::Field kFileFields[] = {
    {"$schema", json_string, {}, false, "the schema, for editors"},
    {"description", json_string, {}, false, "what the file tests"},
    {"rules", json_array, {}, true, "the rules, in the order they are tried"},
};

constexpr core::Field kRuleFields[] = {
    {"name", json_string, {}, false, "shown in errors and the journal"},
    {"match", json_object, {}, false, "which exports the rule takes"},
    {"timeline", json_array | json_string | json_object, kTimelinePresetNames, false,
     "the phases the operation goes through, or a preset"},
    {"faults", json_array, {}, false, "misbehaviour and delays"},
    {"earlyPolls", json_string, kEarlyPollsNames, false, "what a poll before its Retry-After gets"},
    {"evolution", json_array, kEvolutionNames, false, "what a newer service sends that clients must tolerate"},
};

}  // namespace

std::span<const core::Field> file_fields() { return kFileFields; }
std::span<const core::Field> rule_fields() { return kRuleFields; }

ScenarioSet Reader::file(const json& document) {
  ScenarioSet set;
  if (!object_with_only(document, "", kFileFields)) return set;
  if (const auto it = document.find("description"); it != document.end()) (void)string(*it, "/description");
  if (const auto it = document.find("$schema"); it != document.end()) (void)string(*it, "/$schema");
  const auto rules = document.find("rules");
  if (rules == document.end() || !rules->is_array() || rules->empty()) {
    fail("/rules", "expected a non-empty array of rules");
    return set;
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const auto at = fmt::format("/rules/{}", i);
    const json& item = (*rules)[i];
    if (!object_with_only(item, at, kRuleFields)) continue;
    Rule rule;
    rule.file = file_;
    rule.name = fmt::format("rule {}", i);
    if (const auto it = item.find("name"); it != item.end()) {
      if (auto name = string(*it, at + "/name")) rule.name = std::move(*name);
    }
    if (const auto it = item.find("match"); it != item.end()) rule.match = match(*it, at + "/match");
    if (const auto it = item.find("timeline"); it != item.end()) rule.timeline = timeline(*it, at + "/timeline");
    if (const auto it = item.find("earlyPolls"); it != item.end()) {
      if (*it == "throttle") {
        rule.early_polls = model::EarlyPolls::throttle;
      } else if (*it != "serve") {
        fail(at + "/earlyPolls", fmt::format("expected \"serve\" or \"throttle\", got {}", shown(*it)));
      }
    }
    if (const auto it = item.find("evolution"); it != item.end()) rule.evolution = evolution(*it, at + "/evolution");
    if (const auto it = item.find("faults"); it != item.end()) {
      if (!it->is_array() || it->empty()) {
        fail(at + "/faults", fmt::format("expected a non-empty array of faults, got {}", shown(*it)));
      } else {
        for (std::size_t f = 0; f < it->size(); ++f) {
          if (auto parsed = fault((*it)[f], fmt::format("{}/faults/{}", at, f))) {
            switch (parsed->on) {
              case faults::Fault::On::export_request:
                rule.export_faults.push_back(std::move(*parsed));
                break;
              case faults::Fault::On::poll:
                rule.poll_faults.push_back(std::move(*parsed));
                break;
              case faults::Fault::On::manifest:
                rule.manifest_faults.push_back(std::move(*parsed));
                break;
              case faults::Fault::On::blob:
                rule.blob_faults.push_back(std::move(*parsed));
                break;
            }
          }
        }
      }
    }
    set.rules.push_back(std::move(rule));
  }
  return set;
}

model::Evolution Reader::evolution(const json& value, const std::string& at) {
  model::Evolution evolution;
  if (!value.is_array() || value.empty()) {
    fail(at, fmt::format("expected a non-empty array of {}, got {}", quoted(kEvolutionNames), shown(value)));
    return evolution;
  }
  // Beside kEvolutionNames.
  const std::array<bool*, 2> flags = {&evolution.unknown_properties, &evolution.unknown_subtype};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto where = fmt::format("{}/{}", at, i);
    const auto flag = one_of(value[i], where, kEvolutionNames, flags);
    if (!flag) continue;
    if (**flag) fail(where, fmt::format("{} is given twice", shown(value[i])));
    **flag = true;
  }
  return evolution;
}

}  // namespace graphfake::scenario
