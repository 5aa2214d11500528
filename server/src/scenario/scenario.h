#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/export.h"
#include "model/operation.h"

namespace re2 {
class RE2;
}

namespace graphfake::scenario {

// How deep a scenario file may nest arrays and objects. A valid file needs
// about 7 levels; the limit only keeps an absurd file from exhausting the stack.
constexpr std::size_t kMaxDepth = 256;
// A regex's length in characters. Real ones (invoice ids, header values)
// are a few dozen; the limit bounds what compiling one can cost.
constexpr std::size_t kMaxRegexCharacters = 1024;

// What RE2 may take for one regex: its program and the cache its matching
// fills. Plenty for any pattern an id or a header needs (G[0-9]{9} takes
// 14 instructions; the cap allows about 2 500).
inline constexpr std::size_t kRegexMemoryBytes = 32 * 1024;

// A string, or {"regex": "..."} (RE2 syntax) matched against the whole value.
struct TextMatch {
  std::string text;
  std::shared_ptr<const re2::RE2> regex;  // null: the value must equal `text`
  // What compiling the regex cost its load, in LoadBudget's units.
  std::size_t compile_units = 0;

  bool matches(std::string_view value) const;
};

// A TextMatch for `pattern`, or why it cannot be one: not RE2 syntax, too
// long, or needing more memory than a scenario regex may take. Either way,
// what compiling it cost, in LoadBudget's units.
struct RegexCompilation {
  std::variant<TextMatch, std::string> result;
  std::size_t units = 0;
};
RegexCompilation compile_regex(std::string_view pattern);

// Header names are lower-case.
using RequestHeaders = std::vector<std::pair<std::string, std::string>>;

struct Match {
  std::vector<std::string> kinds;  // as to_string(model::ExportKind); empty = any
  std::optional<model::ApiVersion> version;
  std::optional<TextMatch> invoice_id;
  std::optional<TextMatch> currency_code;
  std::optional<model::BillingPeriod> billing_period;
  std::optional<model::AttributeSet> attribute_set;
  std::vector<std::pair<std::string, TextMatch>> headers;

  bool matches(const model::ExportRequest& request, const RequestHeaders& headers) const;
};

struct Rule {
  std::string file;
  std::string name;
  Match match;
  std::optional<model::Timeline> timeline;  // absent: the default timeline
  std::vector<faults::Fault> export_faults;
  std::vector<faults::Fault> poll_faults;    // joined to the timeline, whichever it is
  std::vector<faults::Fault> manifest_faults;
  std::vector<faults::Fault> blob_faults;
  model::EarlyPolls early_polls = model::EarlyPolls::serve;
  model::Evolution evolution;
};

// What a file leaves unsaid comes from the server's options.
struct Defaults {
  std::chrono::seconds retry_after{1};
  model::ManifestShape manifest;
};

struct LoadError {
  std::string file;
  std::string pointer;
  std::string reason;

  std::string text() const;  // "file: /pointer: reason"
};

// The rules of every loaded file, in load order. The first rule that
// matches an export decides its timeline.
struct ScenarioSet {
  std::vector<Rule> rules;

  const Rule* first_match(const model::ExportRequest& request, const RequestHeaders& headers) const;
};

// Regular expressions one load compiles, across all its files. Each is
// bounded (kMaxRegexCharacters, kRegexMemoryBytes); this bounds how many.
inline constexpr std::size_t kMaxRegexesPerLoad = 1000;

// What compiling the regexes of one load may cost, across its files, in
// units of at most about 1.5 us of CPU. RE2's compile time grows with the
// program it builds (RE2::ProgramSize(), in instructions), faster than
// linearly up to the memory cap, and its parse time with the pattern, so a
// count of regexes alone does not bound them: a pattern costs a unit per
// byte and one per instruction of its program.
inline constexpr std::size_t kRegexUnitsPerLoad = 100'000;
// A Unicode class (\pL, \p{Greek}, \PN) costs its parse about 60 us more,
// whatever program it ends up in.
inline constexpr std::size_t kUnicodeClassUnits = 100;
// A pattern RE2 refused as too complex was compiled up to the memory cap:
// it costs about what the largest program allowed would.
inline constexpr std::size_t kTooComplexUnits = 2'500;

// What one load may still spend, shared by the files it reads.
struct LoadBudget {
  std::size_t regexes_left = kMaxRegexesPerLoad;
  std::size_t units_left = kRegexUnitsPerLoad;
};

// What a set of rules holds, near enough: how many regexes and what they
// cost to compile (and so to match), and the memory of the rules, each
// regex counted at kRegexMemoryBytes, what RE2 may take for it.
struct Footprint {
  std::size_t regexes = 0;
  std::size_t regex_units = 0;
  std::size_t bytes = 0;

  Footprint& operator+=(const Footprint& other);
};
Footprint footprint(const ScenarioSet& set);

// Parses one file's text; `file` names it in errors. `budget` is the load's
// this file is part of.
std::variant<ScenarioSet, std::vector<LoadError>> parse_scenario(std::string_view file, std::string_view text,
                                                                 const Defaults& defaults, LoadBudget& budget);
// A file loaded on its own.
std::variant<ScenarioSet, std::vector<LoadError>> parse_scenario(std::string_view file, std::string_view text,
                                                                 const Defaults& defaults);

// An error for each of `names` that an earlier one repeats: rules are
// told apart (in listings, the journal, errors) by their file's name.
std::vector<LoadError> repeated_names(const std::vector<std::string>& names);

// Loads files, and directories (every *.json in them, in name order), in
// the order given. All or nothing: any error anywhere means no set.
std::variant<ScenarioSet, std::vector<LoadError>> load_scenarios(const std::vector<std::string>& paths,
                                                                 const Defaults& defaults);

// Why a path cannot be read or opened (an errno value), in words rather
// than the system's own: what loading by path, in-process or over the
// admin API, says of it.
std::string system_problem(int error);

}  // namespace graphfake::scenario
