#include "scenario/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/excerpt.h"
#include "core/json_input.h"
#include "graphfake/scenarios.h"
#include "scenario/reader.h"

// Loading scenario files (paths, budgets, all or nothing) and what a loaded
// set costs; reading one file is Reader's, section by section.
namespace graphfake::scenario {
namespace {

}  // namespace

std::string system_problem(int error) {
  switch (error) {
    case ENOENT: return "no such file or directory";
    case ENOTDIR: return "a part of the path before its end is a file, not a directory";
    case ELOOP: return "a symbolic link, swapped in after the path was resolved";
    case ENAMETOOLONG: return "the path is too long: a name is at most 255 bytes, a path 4095";
    case EACCES: return "the fake is not allowed to read it";
    default: return fmt::format("it cannot be read (error {})", error);
  }
}

namespace {

std::vector<std::filesystem::path> expand(const std::vector<std::string>& paths, std::vector<LoadError>& errors) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    // The system reads a path up to its first NUL: it would name another file.
    if (path.find('\0') != std::string::npos) {
      errors.push_back(LoadError{core::text_excerpt(path, 200), "/", "a path cannot hold a NUL byte"});
    } else if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) errors.push_back(LoadError{path, "/", "the directory holds no *.json scenario file"});
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(path, error)) {
      files.emplace_back(path);
    } else if (std::filesystem::exists(path, error)) {
      // A device, a FIFO or a socket: reading one could block, or never end.
      errors.push_back(LoadError{path, "/", "not a regular file"});
    } else {
      // What the system said when asked whether it exists: missing, or a
      // name it will not even look up.
      errors.push_back(LoadError{path, "/", system_problem(error ? error.value() : ENOENT)});
    }
  }
  return files;
}

std::size_t text_bytes(const std::string& text) { return sizeof(std::string) + text.size(); }

std::size_t fault_bytes(const faults::Fault& fault) {
  const auto triggers = fault.requests.size() + fault.polls.size() + fault.blobs.size();
  return sizeof(faults::Fault) + triggers * sizeof(std::uint64_t) + fault.code.size() + fault.message.size();
}

std::size_t faults_bytes(const std::vector<faults::Fault>& faults) {
  std::size_t bytes = 0;
  for (const auto& fault : faults) bytes += fault_bytes(fault);
  return bytes;
}

Footprint text_match_footprint(const TextMatch& match) {
  Footprint footprint{0, 0, text_bytes(match.text) + sizeof(TextMatch)};
  if (match.regex) footprint += Footprint{1, match.compile_units, kRegexMemoryBytes};
  return footprint;
}

// A rule in force is held twice: as loaded, and its timeline again with the
// rule's poll faults, as the operations it starts share it.
Footprint rule_footprint(const Rule& rule) {
  Footprint footprint{0, 0, sizeof(Rule) + rule.file.size() + rule.name.size()};
  for (const auto& kind : rule.match.kinds) footprint.bytes += text_bytes(kind);
  if (rule.match.invoice_id) footprint += text_match_footprint(*rule.match.invoice_id);
  if (rule.match.currency_code) footprint += text_match_footprint(*rule.match.currency_code);
  for (const auto& [name, value] : rule.match.headers) {
    footprint.bytes += text_bytes(name);
    footprint += text_match_footprint(value);
  }
  std::size_t timeline = sizeof(model::Timeline) + faults_bytes(rule.poll_faults);
  if (rule.timeline) {
    for (const auto& phase : rule.timeline->phases) {
      timeline += sizeof(model::Phase);
      if (phase.failure) timeline += phase.failure->code.size() + phase.failure->message.size();
      if (phase.manifest) timeline += faults_bytes(phase.manifest->blob_faults);
    }
  }
  // Twice: the rule's own, and the timeline the loaded set builds from it
  // with the poll faults joined in.
  footprint.bytes += 2 * timeline + faults_bytes(rule.export_faults) + faults_bytes(rule.manifest_faults) +
                     faults_bytes(rule.blob_faults);
  return footprint;
}

}  // namespace

std::vector<LoadError> repeated_names(const std::vector<std::string>& names) {
  std::vector<LoadError> errors;
  std::set<std::string_view> seen;
  for (const auto& name : names) {
    if (!seen.insert(name).second) {
      errors.push_back(LoadError{name, "/", "another file of this load has the same name: rules are told apart by "
                                            "their file's name"});
    }
  }
  return errors;
}

Footprint& Footprint::operator+=(const Footprint& other) {
  regexes += other.regexes;
  regex_units += other.regex_units;
  bytes += other.bytes;
  return *this;
}

Footprint footprint(const ScenarioSet& set) {
  Footprint total;
  for (const auto& rule : set.rules) total += rule_footprint(rule);
  return total;
}

std::string LoadError::text() const { return fmt::format("{}: {}: {}", file, pointer, reason); }

const Rule* ScenarioSet::first_match(const model::ExportRequest& request, const RequestHeaders& headers) const {
  for (const auto& rule : rules) {
    if (rule.match.matches(request, headers)) return &rule;
  }
  return nullptr;
}

std::variant<ScenarioSet, std::vector<LoadError>> parse_scenario(std::string_view file, std::string_view text,
                                                                 const Defaults& defaults, LoadBudget& budget) {
  auto document = core::read_json(text, core::JsonLimits{kMaxDepth});
  if (const auto* problem = std::get_if<core::JsonProblem>(&document)) {
    return std::vector<LoadError>{{std::string(file), "/", "not valid JSON: " + problem->reason}};
  }
  Reader reader(file, defaults, budget);
  auto set = reader.file(std::get<json>(document));
  auto errors = reader.take_errors();
  if (!errors.empty()) return errors;
  return set;
}

std::variant<ScenarioSet, std::vector<LoadError>> parse_scenario(std::string_view file, std::string_view text,
                                                                 const Defaults& defaults) {
  LoadBudget budget;
  return parse_scenario(file, text, defaults, budget);
}

std::variant<ScenarioSet, std::vector<LoadError>> load_scenarios(const std::vector<std::string>& paths,
                                                                 const Defaults& defaults) {
  LoadBudget budget;
  std::vector<LoadError> errors;
  ScenarioSet all;
  const auto files = expand(paths, errors);
  std::vector<std::string> names;
  for (const auto& path : files) names.push_back(path.string());
  for (auto& repeated : repeated_names(names)) errors.push_back(std::move(repeated));
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      errors.push_back(LoadError{path.string(), "/", "cannot be read"});
      continue;
    }
    auto parsed = parse_scenario(path.string(), text.str(), defaults, budget);
    if (auto* found = std::get_if<std::vector<LoadError>>(&parsed)) {
      errors.insert(errors.end(), found->begin(), found->end());
    } else {
      auto& rules = std::get<ScenarioSet>(parsed).rules;
      std::move(rules.begin(), rules.end(), std::back_inserter(all.rules));
    }
  }
  if (!errors.empty()) return errors;
  return all;
}

}  // namespace graphfake::scenario

namespace graphfake {

namespace {
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> errors)
    : std::runtime_error(joined(errors)), errors_(std::move(errors)) {}

}  // namespace graphfake

