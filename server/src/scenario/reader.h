#pragma once

// The walk over one scenario file, shared by the files that parse its
// sections (file.cc, match.cc, timeline.cc, manifest.cc, faults.cc). Not
// part of the scenario interface.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_fields.h"
#include "faults/fault.h"
#include "model/operation.h"
#include "scenario/scenario.h"

namespace graphfake::scenario {

using json = nlohmann::json;

// A value as an error message quotes it.
std::string shown(const json& value);
std::string escape_pointer_token(std::string_view token);
// "\"a\", \"b\"": the values a property takes, as errors list them.
std::string quoted(std::span<const std::string_view> names);

// Walks one file, collecting every problem instead of stopping at the first.
class Reader {
 public:
  Reader(std::string_view file, const Defaults& defaults, LoadBudget& budget)
      : file_(file), defaults_(defaults), budget_(budget) {}

  std::vector<LoadError> take_errors() { return std::move(errors_); }

  // The file's rules (file.cc).
  ScenarioSet file(const json& document);

 private:
  void fail(const std::string& pointer, std::string reason);

  // Whether `value` is an object, and an error for each of its properties
  // that `fields` does not name.
  bool object_with_only(const json& value, const std::string& at, std::span<const core::Field> fields);

  std::optional<std::string> string(const json& value, const std::string& at);

  // The value named `names[i]` is `values[i]`.
  template <typename T, std::size_t N>
  std::optional<T> one_of(const json& value, const std::string& at, const std::array<std::string_view, N>& names,
                          const std::array<T, N>& values) {
    if (value.is_string()) {
      for (std::size_t i = 0; i < N; ++i) {
        if (value == names[i]) return values[i];
      }
    }
    fail(at, fmt::format("expected one of {}, got {}", quoted(names), shown(value)));
    return std::nullopt;
  }

  std::optional<std::uint64_t> count(const json& value, const std::string& at, std::uint64_t minimum);
  std::optional<std::int64_t> integer(const json& value, const std::string& at, std::int64_t minimum,
                                      std::int64_t maximum, std::string_view what);
  std::optional<std::chrono::milliseconds> duration(const json& value, const std::string& at);
  std::optional<std::chrono::seconds> whole_seconds(const json& value, const std::string& at, std::string_view what);
  std::vector<std::uint64_t> numbers(const json& value, const std::string& at, std::uint64_t first);

  // sas.cc: a succeeded phase's "sas", into `shape`
  void sas_terms(const json& value, const std::string& at, model::ManifestShape& shape);

  // file.cc: a rule's "evolution"
  model::Evolution evolution(const json& value, const std::string& at);

  // manifest.cc
  std::optional<model::ExtraColumn> extra_column(const json& value, const std::string& at);

  // match.cc
  Match match(const json& value, const std::string& at);
  std::optional<TextMatch> text_match(const json& value, const std::string& at);

  // timeline.cc
  std::optional<model::Timeline> timeline(const json& value, const std::string& at);
  // A preset, by its name or as {"preset": ..., parameters}.
  std::optional<model::Timeline> timeline_preset(const json& value, const std::string& at);
  std::optional<model::Phase> waiting_phase(const json& value, const std::string& at, model::OperationStatus status);
  std::optional<model::Phase> failed_phase(const json& value, const std::string& at);

  // manifest.cc: the data a succeeded phase delivers
  std::optional<model::Phase> succeeded_phase(const json& value, const std::string& at);

  // faults.cc
  std::optional<faults::Fault> fault(const json& value, const std::string& at);
  std::optional<faults::Latency> latency(const json& value, const std::string& at);

  std::string file_;
  const Defaults& defaults_;
  LoadBudget& budget_;
  std::vector<LoadError> errors_;
};

inline constexpr std::uint64_t kMaxBlobs = 100'000;
// A gigabyte more than is sent is a lie as good as any, and far from
// where a Content-Length's arithmetic could wrap.
inline constexpr std::int64_t kMaxExtraContentLength = std::int64_t{1} << 30;
inline constexpr std::uint64_t kMaxRows = 100'000'000;
inline constexpr std::uint64_t kMaxPolls = 1'000'000;
inline constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24 * 365);

}  // namespace graphfake::scenario
