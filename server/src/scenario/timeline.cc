#include "scenario/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "scenario/format.h"
#include "scenario/reader.h"

// A rule's "timeline": its phases, and the waiting and failed ones' fields
// (a succeeded phase's are the manifest's: manifest.cc).
namespace graphfake::scenario {
namespace {

using core::json_integer;
using core::json_object;
using core::json_string;

constexpr core::Field kWaitingPhaseFields[] = {
    {"status", json_string, std::span(model::kOperationStatusNames).first<2>(), true, "what polls report meanwhile"},
    {"polls", json_integer, {}, false, "the phase answers this many polls"},
    {"after", json_string, {}, false, "the phase lasts this long on the fake's clock"},
    {"retryAfter", json_string, {}, false, "the Retry-After polls get, whole seconds"},
};

constexpr core::Field kFailedPhaseFields[] = {
    {"status", json_string, std::span(model::kOperationStatusNames).subspan<3, 1>(), true, "the operation failed"},
    {"error", json_object, {}, true, "the failedOperation's error"},
};

constexpr core::Field kOperationErrorFields[] = {
    {"code", json_string, {}, true, "the error's code, e.g. \"5000\""},
    {"message", json_string, {}, true, "the error's message"},
};

constexpr core::Field kTimelinePresetFields[] = {
    {"preset", json_string, kTimelinePresetNames, true, "the named timeline"},
    {"generatedAgo", json_string, {}, false, "alreadyGenerated: how long before the export the manifest was created"},
    {"runsFor", json_string, {}, false, "generatingForMinutes: how long the export takes, on the fake's clock"},
    {"retryAfter", json_string, {}, false, "generatingForMinutes: the Retry-After polls get, whole seconds"},
};

enum class Preset { already_generated, generating_for_minutes };
// Beside kTimelinePresetNames.
constexpr std::array<Preset, 2> kPresets = {Preset::already_generated, Preset::generating_for_minutes};
struct PresetParameter {
  std::string_view name;
  Preset owner;  // the preset it belongs to
  std::string_view default_value;  // as a file spells it, read as one
};
// Client authors report that real exports take 1 to 15 minutes, and that
// they poll every 10 to 15 seconds (no Retry-After value is documented;
// the predecessor API's example sent 10). Already generated data was
// generated hours before, by the real service's periodic runs.
constexpr PresetParameter kPresetParameters[] = {
    {"generatedAgo", Preset::already_generated, "6h"},
    {"runsFor", Preset::generating_for_minutes, "5m"},
    {"retryAfter", Preset::generating_for_minutes, "10s"}};

std::string_view name_of(Preset preset) { return kTimelinePresetNames[static_cast<std::size_t>(preset)]; }

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> timeline_preset_defaults() {
  std::vector<std::pair<std::string_view, std::string_view>> defaults;
  for (const auto& parameter : kPresetParameters) defaults.emplace_back(parameter.name, parameter.default_value);
  return defaults;
}

std::span<const core::Field> waiting_phase_fields() { return kWaitingPhaseFields; }
std::span<const core::Field> failed_phase_fields() { return kFailedPhaseFields; }
std::span<const core::Field> operation_error_fields() { return kOperationErrorFields; }
std::span<const core::Field> timeline_preset_fields() { return kTimelinePresetFields; }

std::optional<model::Timeline> Reader::timeline(const json& value, const std::string& at) {
  if (value.is_string() || value.is_object()) return timeline_preset(value, at);
  if (!value.is_array() || value.empty()) {
    fail(at, fmt::format("expected a non-empty array of phases, or a preset ({}) by name or as "
                         "{{\"preset\": ...}}, got {}",
                         quoted(kTimelinePresetNames), shown(value)));
    return std::nullopt;
  }
  model::Timeline timeline;
  bool complete = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto where = fmt::format("{}/{}", at, i);
    const bool last = i + 1 == value.size();
    const json& item = value[i];
    const auto status_it = item.is_object() ? item.find("status") : item.end();
    if (!item.is_object() || status_it == item.end()) {
      fail(where, fmt::format("expected a phase object with a \"status\", got {}", shown(item)));
      complete = false;
      continue;
    }
    const auto status =
        one_of(*status_it, where + "/status", model::kOperationStatusNames, model::kOperationStatuses);
    if (!status) {
      complete = false;
      continue;
    }
    if (model::is_terminal(*status) != last) {
      fail(where + "/status", last ? fmt::format("the last phase must be \"succeeded\" or \"failed\", got \"{}\"",
                                                 model::to_string(*status))
                                   : fmt::format("\"{}\" ends the operation, so it must be the last phase",
                                                 model::to_string(*status)));
      complete = false;
    }
    std::optional<model::Phase> phase;
    switch (*status) {
      case model::OperationStatus::succeeded:
        phase = succeeded_phase(item, where);
        break;
      case model::OperationStatus::failed:
        phase = failed_phase(item, where);
        break;
      default:
        phase = waiting_phase(item, where, *status);
    }
    if (phase) {
      timeline.phases.push_back(std::move(*phase));
    } else {
      complete = false;
    }
  }
  return complete ? std::optional(std::move(timeline)) : std::nullopt;
}

std::optional<model::Timeline> Reader::timeline_preset(const json& value, const std::string& at) {
  const bool named = value.is_string();
  const auto name_it = named ? value.end() : value.find("preset");
  if (!named && name_it == value.end()) {
    // Most likely one phase written without its array.
    fail(at, fmt::format("expected a non-empty array of phases, or a preset ({}) by name or as "
                         "{{\"preset\": ...}}, got {}",
                         quoted(kTimelinePresetNames), shown(value)));
    return std::nullopt;
  }
  if (!named && !object_with_only(value, at, kTimelinePresetFields)) return std::nullopt;
  const json& name = named ? value : *name_it;
  const auto preset = one_of(name, named ? at : at + "/preset", kTimelinePresetNames, kPresets);
  if (!preset) return std::nullopt;
  bool complete = true;
  if (!named) {
    for (const auto& [parameter, owner, default_value] : kPresetParameters) {
      if (owner != *preset && value.contains(parameter)) {
        fail(at + "/" + std::string(parameter),
             fmt::format("belongs to the \"{}\" preset, not \"{}\"", name_of(owner), name_of(*preset)));
        complete = false;
      }
    }
  }
  // A parameter as given, or its default (read as if given); nullopt when
  // it is wrong.
  const auto parameter = [&](std::string_view parameter_name, auto read) {
    const auto where = at + "/" + std::string(parameter_name);
    const auto it = named ? value.end() : value.find(std::string(parameter_name));
    if (it != value.end()) {
      const auto given = read(*it, where);
      if (!given) complete = false;
      return given;
    }
    const auto known = std::find_if(std::begin(kPresetParameters), std::end(kPresetParameters),
                                    [&](const PresetParameter& p) { return p.name == parameter_name; });
    return read(json(std::string(known->default_value)), where);
  };
  const auto read_duration = [&](const json& v, const std::string& where) { return duration(v, where); };

  model::Phase succeeded;
  succeeded.status = model::OperationStatus::succeeded;
  succeeded.manifest = defaults_.manifest;
  model::Timeline timeline;
  if (*preset == Preset::already_generated) {
    const auto ago = parameter("generatedAgo", read_duration);
    if (ago && *ago <= std::chrono::milliseconds::zero()) {
      fail(at + "/generatedAgo", fmt::format("already generated data is older than the export: expected a "
                                             "duration above 0, got {}", shown(value["generatedAgo"])));
      complete = false;
    }
    if (!complete) return std::nullopt;
    succeeded.manifest->generated_before = *ago;
    timeline.phases.push_back(std::move(succeeded));
    return timeline;
  }
  const auto wait = parameter("retryAfter", [&](const json& v, const std::string& where) {
    return whole_seconds(v, where, "Retry-After");
  });
  const auto runs = parameter("runsFor", read_duration);
  if (wait && *wait < std::chrono::seconds(1)) {
    fail(at + "/retryAfter", fmt::format("the first Retry-After is the time notStarted lasts: expected at least "
                                         "\"1s\", got {}", shown(value["retryAfter"])));
    complete = false;
  } else if (wait && runs && *runs <= *wait) {
    fail(at + "/runsFor", fmt::format("the export runs longer than its first Retry-After ({} s), got {}",
                                      wait->count(), named || !value.contains("runsFor")
                                                         ? std::string("the default")
                                                         : shown(value["runsFor"])));
    complete = false;
  }
  if (!complete) return std::nullopt;
  // Queued for the first Retry-After, running for the rest: a client that
  // waits each one sees notStarted once, then running for minutes.
  model::Phase queued;
  queued.status = model::OperationStatus::not_started;
  queued.duration = *wait;
  queued.retry_after = *wait;
  model::Phase running;
  running.status = model::OperationStatus::running;
  running.duration = *runs - *wait;
  running.retry_after = *wait;
  timeline.phases = {std::move(queued), std::move(running), std::move(succeeded)};
  return timeline;
}

std::optional<model::Phase> Reader::waiting_phase(const json& value, const std::string& at,
                                                  model::OperationStatus status) {
  if (!object_with_only(value, at, kWaitingPhaseFields)) return std::nullopt;
  model::Phase phase;
  phase.status = status;
  phase.retry_after = defaults_.retry_after;
  if (const auto it = value.find("polls"); it != value.end()) {
    if (const auto polls = count(*it, at + "/polls", 1)) {
      if (*polls > kMaxPolls) {
        fail(at + "/polls", fmt::format("at most {} polls are allowed, got {}", kMaxPolls, *polls));
      } else {
        phase.polls = static_cast<int>(*polls);
      }
    }
  }
  if (const auto it = value.find("after"); it != value.end()) phase.duration = duration(*it, at + "/after");
  if (value.find("polls") == value.end() && value.find("after") == value.end()) {
    fail(at, fmt::format("a {} phase needs \"polls\", \"after\" or both, to say when it ends",
                         model::to_string(status)));
  }
  if (const auto it = value.find("retryAfter"); it != value.end()) {
    if (const auto wait = whole_seconds(*it, at + "/retryAfter", "Retry-After")) phase.retry_after = *wait;
  }
  return phase;
}

std::optional<model::Phase> Reader::failed_phase(const json& value, const std::string& at) {
  if (!object_with_only(value, at, kFailedPhaseFields)) return std::nullopt;
  const auto it = value.find("error");
  if (it == value.end()) {
    fail(at, "a failed phase needs \"error\": {\"code\": \"...\", \"message\": \"...\"}");
    return std::nullopt;
  }
  if (!object_with_only(*it, at + "/error", kOperationErrorFields)) return std::nullopt;
  model::OperationFailure failure;
  for (const auto& field : kOperationErrorFields) {
    const std::string name(field.name);
    const auto member = it->find(name);
    if (member == it->end()) {
      if (field.required) fail(at + "/error", fmt::format("missing \"{}\"", name));
    } else if (auto text = string(*member, at + "/error/" + name)) {
      (name == "code" ? failure.code : failure.message) = std::move(*text);
    }
  }
  model::Phase phase;
  phase.status = model::OperationStatus::failed;
  phase.failure = std::move(failure);
  return phase;
}

}  // namespace graphfake::scenario
