#include "scenario/scenario.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "core/duration.h"
#include "core/excerpt.h"
#include "core/json_input.h"
#include "core/strings.h"
#include "graphfake/scenarios.h"

namespace graphfake::scenario {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view kKinds[] = {"billedReconciliation", "unbilledReconciliation", "billedUsage",
                                       "unbilledUsage"};

std::string shown(const json& value) { return core::json_excerpt(value); }

std::size_t utf8_characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// \p and \P escapes: each names a Unicode class, which RE2 builds range
// by range when it parses the pattern.
std::size_t unicode_classes(std::string_view pattern) {
  std::size_t classes = 0;
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    if (pattern[i + 1] == 'p' || pattern[i + 1] == 'P') ++classes;
    ++i;  // the escaped character, a backslash included, is not an escape itself
  }
  return classes;
}

// What parsing `pattern` costs, known before it is compiled.
std::size_t parse_units(std::string_view pattern) {
  return pattern.size() + unicode_classes(pattern) * kUnicodeClassUnits;
}

std::string regex_problem(const re2::RE2& regex) {
  if (regex.error_code() == re2::RE2::ErrorPatternTooLarge) {
    return fmt::format("the regular expression is too complex: RE2 would need more than {} KiB for it",
                       kRegexMemoryBytes / 1024);
  }
  // RE2 says "reason: fragment", and the fragment can be the whole pattern.
  std::string_view reason = regex.error();
  const std::string& fragment = regex.error_arg();
  std::string text;
  if (!fragment.empty() && reason.size() > fragment.size() + 2 && reason.ends_with(": " + fragment)) {
    reason.remove_suffix(fragment.size() + 2);
    text = fmt::format("not a valid RE2 regular expression: {}: {}", reason, core::text_excerpt(fragment));
  } else {
    text = fmt::format("not a valid RE2 regular expression: {}", core::text_excerpt(reason));
  }
  if (regex.error_code() == re2::RE2::ErrorRepeatSize) {
    text += " (a count is at most 1000, and counts nested in one another multiply)";
  }
  return text;
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Walks one file, collecting every problem instead of stopping at the first.
class Reader {
 public:
  Reader(std::string_view file, const Defaults& defaults, LoadBudget& budget)
      : file_(file), defaults_(defaults), budget_(budget) {}

  std::vector<LoadError> take_errors() { return std::move(errors_); }

  void fail(const std::string& pointer, std::string reason) {
    errors_.push_back(LoadError{file_, pointer.empty() ? "/" : pointer, std::move(reason)});
  }

  bool object_with_only(const json& value, const std::string& at, std::initializer_list<std::string_view> allowed) {
    return object_with_only(value, at, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }

  bool object_with_only(const json& value, const std::string& at, std::span<const std::string_view> allowed) {
    if (!value.is_object()) {
      fail(at, fmt::format("expected an object, got {}", shown(value)));
      return false;
    }
    for (const auto& [key, item] : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string expected;
        for (const auto name : allowed) expected += (expected.empty() ? "" : ", ") + std::string(name);
        fail(at + "/" + escape_pointer_token(key), fmt::format("unknown property (expected one of {})", expected));
      }
    }
    return true;
  }

  std::optional<std::string> string(const json& value, const std::string& at) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      fail(at, fmt::format("expected a non-empty string, got {}", shown(value)));
      return std::nullopt;
    }
    return value.get<std::string>();
  }

  template <typename T>
  std::optional<T> one_of(const json& value, const std::string& at,
                          std::initializer_list<std::pair<std::string_view, T>> choices) {
    if (value.is_string()) {
      for (const auto& [name, choice] : choices) {
        if (value == name) return choice;
      }
    }
    std::string expected;
    for (const auto& [name, choice] : choices) expected += (expected.empty() ? "\"" : ", \"") + std::string(name) + "\"";
    fail(at, fmt::format("expected one of {}, got {}", expected, shown(value)));
    return std::nullopt;
  }

  std::optional<std::uint64_t> count(const json& value, const std::string& at, std::uint64_t minimum) {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() < minimum) {
      fail(at, fmt::format("expected a whole number of at least {}, got {}", minimum, shown(value)));
      return std::nullopt;
    }
    return value.get<std::uint64_t>();
  }

  // A whole number in [minimum, maximum], compared before it is narrowed:
  // JSON's integers run to 2^64 - 1, which no signed type holds.
  std::optional<std::int64_t> integer(const json& value, const std::string& at, std::int64_t minimum,
                                      std::int64_t maximum, std::string_view what) {
    // Unsigned: past maximum, or else small enough to compare as signed.
    const bool fits =
        value.is_number_integer() &&
        (!value.is_number_unsigned() || value.get<std::uint64_t>() <= static_cast<std::uint64_t>(maximum)) &&
        value.get<std::int64_t>() >= minimum && value.get<std::int64_t>() <= maximum;
    if (!fits) {
      fail(at, fmt::format("expected {} from {} to {}, got {}", what, minimum, maximum, shown(value)));
      return std::nullopt;
    }
    return value.get<std::int64_t>();
  }

  std::optional<std::chrono::milliseconds> duration(const json& value, const std::string& at) {
    if (value.is_string()) {
      const auto span = core::parse_duration(value.get_ref<const std::string&>());
      // Longer spans would overflow the clock's arithmetic, and no test needs them.
      if (span && *span > kMaxDuration) {
        fail(at, fmt::format("durations are at most 365 days (\"8760h\"), got {}", shown(value)));
        return std::nullopt;
      }
      if (span) return span;
    }
    fail(at, fmt::format("expected a duration like \"30s\", got {}", shown(value)));
    return std::nullopt;
  }

  std::optional<std::chrono::seconds> whole_seconds(const json& value, const std::string& at, std::string_view what) {
    const auto span = duration(value, at);
    if (!span) return std::nullopt;
    if (*span % 1s != 0ms) {
      fail(at, fmt::format("{} is whole seconds, got {}", what, shown(value)));
      return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*span);
  }

  std::optional<TextMatch> text_match(const json& value, const std::string& at) {
    if (value.is_string()) return TextMatch{value.get<std::string>(), nullptr};
    if (value.is_object() && object_with_only(value, at, {"regex"})) {
      const auto regex = value.find("regex");
      if (regex == value.end()) {
        fail(at, fmt::format("expected a string or {{\"regex\": \"...\"}}, got {}", shown(value)));
        return std::nullopt;
      }
      const auto pattern = string(*regex, at + "/regex");
      if (!pattern) return std::nullopt;
      if (budget_.regexes_left == 0) {
        fail(at + "/regex", fmt::format("one load compiles at most {} regular expressions, across its files",
                                        kMaxRegexesPerLoad));
        return std::nullopt;
      }
      --budget_.regexes_left;
      // What was spent is spent: a pattern that takes the load past its
      // budget leaves none, so every pattern after it is refused uncompiled.
      const auto past_budget = [&] {
        budget_.units_left = 0;
        fail(at + "/regex", fmt::format("compiling the regular expressions of one load costs at most {} units "
                                        "(one per byte of a pattern and per instruction of its RE2 program), "
                                        "across its files; this one takes the load past that",
                                        kRegexUnitsPerLoad));
        return std::nullopt;
      };
      if (budget_.units_left == 0 || parse_units(*pattern) > budget_.units_left) return past_budget();
      auto compiled = compile_regex(*pattern);
      if (compiled.units > budget_.units_left) return past_budget();
      budget_.units_left -= compiled.units;
      if (auto* problem = std::get_if<std::string>(&compiled.result)) {
        fail(at + "/regex", std::move(*problem));
        return std::nullopt;
      }
      return std::get<TextMatch>(std::move(compiled.result));
    }
    if (!value.is_object()) fail(at, fmt::format("expected a string or {{\"regex\": \"...\"}}, got {}", shown(value)));
    return std::nullopt;
  }

  Match match(const json& value, const std::string& at) {
    Match match;
    if (!object_with_only(value, at, {"kind", "version", "invoiceId", "currencyCode", "billingPeriod", "attributeSet", "header"})) return match;
    if (const auto it = value.find("kind"); it != value.end()) {
      const auto kinds = it->is_array() ? *it : json::array({*it});
      if (kinds.empty()) fail(at + "/kind", "expected a kind or a non-empty array of kinds");
      for (std::size_t i = 0; i < kinds.size(); ++i) {
        const auto where = it->is_array() ? fmt::format("{}/kind/{}", at, i) : at + "/kind";
        const bool known = kinds[i].is_string() &&
                           std::find(std::begin(kKinds), std::end(kKinds), kinds[i].get<std::string>()) != std::end(kKinds);
        if (!known) {
          fail(where, fmt::format("expected one of \"billedReconciliation\", \"unbilledReconciliation\", "
                                  "\"billedUsage\", \"unbilledUsage\", got {}",
                                  shown(kinds[i])));
        } else {
          match.kinds.push_back(kinds[i].get<std::string>());
        }
      }
    }
    if (const auto it = value.find("version"); it != value.end()) {
      match.version = one_of<model::ApiVersion>(*it, at + "/version",
                                                {{"v1.0", model::ApiVersion::v1_0}, {"beta", model::ApiVersion::beta}});
    }
    if (const auto it = value.find("invoiceId"); it != value.end()) match.invoice_id = text_match(*it, at + "/invoiceId");
    if (const auto it = value.find("currencyCode"); it != value.end()) {
      match.currency_code = text_match(*it, at + "/currencyCode");
    }
    if (const auto it = value.find("billingPeriod"); it != value.end()) {
      match.billing_period = one_of<model::BillingPeriod>(
          *it, at + "/billingPeriod", {{"current", model::BillingPeriod::current}, {"last", model::BillingPeriod::last}});
    }
    if (const auto it = value.find("attributeSet"); it != value.end()) {
      match.attribute_set = one_of<model::AttributeSet>(
          *it, at + "/attributeSet", {{"full", model::AttributeSet::full}, {"basic", model::AttributeSet::basic}});
    }
    if (const auto it = value.find("header"); it != value.end()) {
      if (!it->is_object() || it->empty()) {
        fail(at + "/header", fmt::format("expected an object of header name to value, got {}", shown(*it)));
      } else {
        for (const auto& [name, expected] : it->items()) {
          if (auto text = text_match(expected, at + "/header/" + escape_pointer_token(name))) {
            match.headers.emplace_back(core::ascii_lower(name), std::move(*text));
          }
        }
      }
    }
    return match;
  }

  std::optional<model::Phase> waiting_phase(const json& value, const std::string& at, model::OperationStatus status) {
    if (!object_with_only(value, at, {"status", "polls", "after", "retryAfter"})) return std::nullopt;
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

  std::optional<model::Phase> succeeded_phase(const json& value, const std::string& at) {
    if (!object_with_only(value, at,
                          {"status", "rows", "rowsPerBlob", "blobs", "attributeSet", "seed", "numbers", "resourceLocation",
                           "sasValidFor"})) {
      return std::nullopt;
    }
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
      shape.attribute_set = one_of<model::AttributeSet>(
          *it, at + "/attributeSet", {{"full", model::AttributeSet::full}, {"basic", model::AttributeSet::basic}});
    }
    if (const auto it = value.find("seed"); it != value.end()) {
      if (const auto seed = count(*it, at + "/seed", 0)) shape.seed = *seed;
    }
    if (const auto it = value.find("numbers"); it != value.end()) {
      shape.numbers_as_strings = one_of<bool>(*it, at + "/numbers", {{"numbers", false}, {"strings", true}});
    }
    if (const auto it = value.find("resourceLocation"); it != value.end()) {
      if (const auto style = one_of<model::ResourceLocationStyle>(
              *it, at + "/resourceLocation",
              {{"both", model::ResourceLocationStyle::both},
               {"inline", model::ResourceLocationStyle::inline_object},
               {"navigationLink", model::ResourceLocationStyle::navigation_link}})) {
        shape.resource_location = *style;
      }
    }
    if (const auto it = value.find("sasValidFor"); it != value.end()) {
      if (const auto valid = whole_seconds(*it, at + "/sasValidFor", "a SAS expiry")) shape.sas_valid_for = *valid;
    }
    phase.manifest = shape;
    return phase;
  }

  std::optional<model::Phase> failed_phase(const json& value, const std::string& at) {
    if (!object_with_only(value, at, {"status", "error"})) return std::nullopt;
    const auto it = value.find("error");
    if (it == value.end()) {
      fail(at, "a failed phase needs \"error\": {\"code\": \"...\", \"message\": \"...\"}");
      return std::nullopt;
    }
    if (!object_with_only(*it, at + "/error", {"code", "message"})) return std::nullopt;
    model::OperationFailure failure;
    for (const char* field : {"code", "message"}) {
      const auto member = it->find(field);
      if (member == it->end()) {
        fail(at + "/error", fmt::format("missing \"{}\"", field));
      } else if (auto text = string(*member, at + "/error/" + field)) {
        (std::string_view(field) == "code" ? failure.code : failure.message) = std::move(*text);
      }
    }
    model::Phase phase;
    phase.status = model::OperationStatus::failed;
    phase.failure = std::move(failure);
    return phase;
  }

  // A non-empty array of whole numbers from `first`: request and poll
  // numbers count from 1, blob indexes from 0.
  std::vector<std::uint64_t> numbers(const json& value, const std::string& at, std::uint64_t first) {
    std::vector<std::uint64_t> found;
    if (!value.is_array() || value.empty()) {
      fail(at, fmt::format("expected a non-empty array of whole numbers from {}, got {}", first, shown(value)));
      return found;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (const auto n = count(value[i], fmt::format("{}/{}", at, i), first)) found.push_back(*n);
    }
    return found;
  }

  std::optional<faults::Fault> fault(const json& value, const std::string& at) {
    static constexpr std::array<std::string_view, 19> known_keys = {
        "on",     "requests",   "polls", "phase",   "after", "blobs",    "probability", "status", "retryAfter", "code",
        "message", "body",      "location", "gzip", "resetAtByte", "extraContentLength", "blobCountDelta", "drop",
        "delay"};
    const auto errors_at_start = errors_.size();
    if (!object_with_only(value, at, known_keys)) return std::nullopt;
    using Fault = faults::Fault;
    const auto on_it = value.find("on");
    if (on_it == value.end()) {
      fail(at, "a fault needs \"on\": \"export\", \"poll\", \"manifest\" or \"blob\"");
      return std::nullopt;
    }
    const auto on = one_of<Fault::On>(*on_it, at + "/on",
                                      {{"export", Fault::On::export_request},
                                       {"poll", Fault::On::poll},
                                       {"manifest", Fault::On::manifest},
                                       {"blob", Fault::On::blob}});
    if (!on) return std::nullopt;
    Fault fault;
    fault.on = *on;
    const auto errors_before = errors_.size();

    // Which triggers and actions each kind of fault takes.
    struct Kind {
      std::vector<std::string_view> triggers;
      std::vector<std::string_view> actions;
    };
    const Kind kind = [&]() -> Kind {
      switch (*on) {
        case Fault::On::export_request:
          return {{"requests", "probability"}, {"status", "location", "drop"}};
        case Fault::On::poll:
          return {{"polls", "phase", "after", "probability"}, {"status", "body"}};
        case Fault::On::blob:
          return {{"blobs", "probability"}, {"status", "gzip", "resetAtByte", "extraContentLength"}};
        case Fault::On::manifest:
          return {{}, {"blobCountDelta"}};
      }
      return {};
    }();
    const auto on_name = on_it->get<std::string>();
    auto listed = [](const auto& names, std::string_view key) {
      return std::find(names.begin(), names.end(), key) != names.end();
    };
    int actions = 0;
    bool misplaced = false;
    for (const auto& [key, item] : value.items()) {
      const bool status_detail = key == "retryAfter" || key == "code" || key == "message";
      if (key == "on" || key == "delay" || status_detail) continue;
      if (!listed(kind.triggers, key) && !listed(kind.actions, key)) {
        if (listed(known_keys, key)) {
          fail(at + "/" + key, fmt::format("does not apply to faults on \"{}\"", on_name));
          misplaced = true;
        }
        continue;
      }
      if (listed(kind.actions, key)) ++actions;
    }
    // A misplaced action is the mistake to report, not the count it leaves.
    const bool unknown_keys = errors_before != errors_at_start;
    if (!misplaced && !unknown_keys && (actions > 1 || (actions == 0 && !value.contains("delay")))) {
      std::string names;
      for (const auto name : kind.actions) names += (names.empty() ? "\"" : "\", \"") + std::string(name);
      fail(at, fmt::format("a fault on \"{}\" needs at most one of {}\", and a \"delay\" if it has none",
                           on_name, names));
    }

    if (const auto it = value.find("requests"); it != value.end()) fault.requests = numbers(*it, at + "/requests", 1);
    if (const auto it = value.find("polls"); it != value.end()) fault.polls = numbers(*it, at + "/polls", 1);
    if (const auto it = value.find("blobs"); it != value.end()) fault.blobs = numbers(*it, at + "/blobs", 0);
    if (const auto it = value.find("phase"); it != value.end()) {
      fault.phase = one_of<model::OperationStatus>(*it, at + "/phase",
                                                   {{"notStarted", model::OperationStatus::not_started},
                                                    {"running", model::OperationStatus::running},
                                                    {"succeeded", model::OperationStatus::succeeded},
                                                    {"failed", model::OperationStatus::failed}});
    }
    if (const auto it = value.find("after"); it != value.end()) fault.after = duration(*it, at + "/after");
    if (const auto it = value.find("probability"); it != value.end()) {
      if (!it->is_number() || it->get<double>() <= 0.0 || it->get<double>() > 1.0) {
        fail(at + "/probability", fmt::format("expected a number greater than 0 and at most 1, got {}", shown(*it)));
      } else {
        fault.probability = it->get<double>();
      }
    }

    if (const auto it = value.find("status"); it != value.end()) {
      if (const auto status = integer(*it, at + "/status", 400, 599, "an HTTP error status")) {
        fault.status = static_cast<int>(*status);
      }
    }
    for (const char* key : {"retryAfter", "code", "message"}) {
      if (value.contains(key) && !value.contains("status")) {
        fail(at + "/" + key, "applies only to a fault with a \"status\"");
      }
    }
    if (const auto it = value.find("retryAfter"); it != value.end()) {
      fault.retry_after = whole_seconds(*it, at + "/retryAfter", "Retry-After");
    }
    if (const auto it = value.find("code"); it != value.end()) {
      if (auto code = string(*it, at + "/code")) fault.code = std::move(*code);
    }
    if (const auto it = value.find("message"); it != value.end()) {
      if (auto message = string(*it, at + "/message")) fault.message = std::move(*message);
    }
    if (const auto it = value.find("body"); it != value.end()) {
      fault.body = one_of<Fault::Body>(*it, at + "/body",
                                       {{"notJson", Fault::Body::not_json}, {"unknownStatus", Fault::Body::unknown_status}});
    }
    if (const auto it = value.find("location"); it != value.end()) {
      fault.location = one_of<Fault::Location>(*it, at + "/location",
                                               {{"relative", Fault::Location::relative},
                                                {"missing", Fault::Location::missing},
                                                {"wrongHost", Fault::Location::wrong_host}});
    }
    if (const auto it = value.find("drop"); it != value.end()) {
      fault.drop = one_of<Fault::Drop>(*it, at + "/drop",
                                       {{"beforeCreate", Fault::Drop::before_create},
                                        {"afterCreate", Fault::Drop::after_create}});
    }
    if (const auto it = value.find("gzip"); it != value.end()) {
      fault.gzip = one_of<Fault::Gzip>(*it, at + "/gzip",
                                       {{"truncated", Fault::Gzip::truncated}, {"corrupt", Fault::Gzip::corrupt}});
    }
    if (const auto it = value.find("resetAtByte"); it != value.end()) fault.reset_at_byte = count(*it, at + "/resetAtByte", 0);
    if (const auto it = value.find("extraContentLength"); it != value.end()) {
      if (const auto extra = integer(*it, at + "/extraContentLength", 1, kMaxExtraContentLength, "a number of bytes")) {
        fault.extra_content_length = static_cast<std::uint64_t>(*extra);
      }
    }
    if (const auto it = value.find("blobCountDelta"); it != value.end()) {
      const auto delta = integer(*it, at + "/blobCountDelta", -static_cast<std::int64_t>(kMaxBlobs),
                                 static_cast<std::int64_t>(kMaxBlobs), "a whole number");
      if (delta == 0) {
        fail(at + "/blobCountDelta", "0 would leave blobCount as it is; give a difference other than 0");
      } else if (delta) {
        fault.blob_count_delta = *delta;
      }
    }
    if (const auto it = value.find("delay"); it != value.end()) fault.delay = latency(*it, at + "/delay");
    if (errors_.size() != errors_before) return std::nullopt;
    return fault;
  }

  // "2s" for a fixed delay, or a distribution to draw each delay from.
  std::optional<faults::Latency> latency(const json& value, const std::string& at) {
    using Distribution = faults::Latency::Distribution;
    faults::Latency latency;
    if (value.is_string()) {
      const auto fixed = duration(value, at);
      if (!fixed) return std::nullopt;
      latency.fixed = *fixed;
      return latency;
    }
    if (!value.is_object()) {
      fail(at, fmt::format("expected a duration like \"2s\" or a distribution object, got {}", shown(value)));
      return std::nullopt;
    }
    const auto kind = value.find("distribution");
    if (kind == value.end()) {
      fail(at, "a delay object needs \"distribution\": \"uniform\" or \"logNormal\"");
      return std::nullopt;
    }
    const auto distribution = one_of<Distribution>(*kind, at + "/distribution",
                                                   {{"uniform", Distribution::uniform},
                                                    {"logNormal", Distribution::log_normal}});
    if (!distribution) return std::nullopt;
    latency.distribution = *distribution;
    const auto errors_before = errors_.size();
    const auto required = [&](const char* key) -> std::optional<std::chrono::milliseconds> {
      const auto it = value.find(key);
      if (it == value.end()) {
        fail(at, fmt::format("a {} delay needs \"{}\"", kind->get<std::string>(), key));
        return std::nullopt;
      }
      return duration(*it, at + "/" + key);
    };
    if (*distribution == Distribution::uniform) {
      if (!object_with_only(value, at, {"distribution", "min", "max"})) return std::nullopt;
      const auto min = required("min");
      const auto max = required("max");
      if (min && max && *max < *min) {
        fail(at + "/max", fmt::format("must not be less than \"min\" ({})", shown(value["min"])));
      }
      latency.min = min.value_or(0ms);
      latency.max = max.value_or(0ms);
    } else {
      if (!object_with_only(value, at, {"distribution", "median", "sigma", "max"})) return std::nullopt;
      latency.median = required("median").value_or(0ms);
      const auto sigma = value.find("sigma");
      if (sigma == value.end()) {
        fail(at, "a logNormal delay needs \"sigma\"");
      } else if (!sigma->is_number() || sigma->get<double>() <= 0.0 || sigma->get<double>() > 4.0) {
        fail(at + "/sigma", fmt::format("expected a number greater than 0 and at most 4, got {}", shown(*sigma)));
      } else {
        latency.sigma = sigma->get<double>();
      }
      if (const auto max = value.find("max"); max != value.end()) {
        const auto cap = duration(*max, at + "/max");
        if (cap && *cap < latency.median) {
          fail(at + "/max", fmt::format("must not be less than \"median\" ({})", shown(value["median"])));
        } else if (cap && cap->count() == 0) {
          fail(at + "/max", "a cap of 0 would hold nothing back; leave \"max\" out for no cap");
        } else if (cap) {
          latency.max = *cap;
        }
      }
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return latency;
  }

  std::optional<model::Timeline> timeline(const json& value, const std::string& at) {
    if (!value.is_array() || value.empty()) {
      fail(at, fmt::format("expected a non-empty array of phases, got {}", shown(value)));
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
      const auto status = one_of<model::OperationStatus>(*status_it, where + "/status",
                                                         {{"notStarted", model::OperationStatus::not_started},
                                                          {"running", model::OperationStatus::running},
                                                          {"succeeded", model::OperationStatus::succeeded},
                                                          {"failed", model::OperationStatus::failed}});
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

  ScenarioSet file(const json& document) {
    ScenarioSet set;
    if (!object_with_only(document, "", {"$schema", "description", "rules"})) return set;
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
      if (!object_with_only(item, at, {"name", "match", "timeline", "faults", "earlyPolls"})) continue;
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

  static constexpr std::uint64_t kMaxBlobs = 100'000;
  // A gigabyte more than is sent is a lie as good as any, and far from
  // where a Content-Length's arithmetic could wrap.
  static constexpr std::int64_t kMaxExtraContentLength = std::int64_t{1} << 30;
  static constexpr std::uint64_t kMaxRows = 100'000'000;
  static constexpr std::uint64_t kMaxPolls = 1'000'000;
  static constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24 * 365);

 private:
  std::string file_;
  const Defaults& defaults_;
  LoadBudget& budget_;
  std::vector<LoadError> errors_;
};

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
      errors.push_back(LoadError{path, "/", "no such file or directory"});
    }
  }
  return files;
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

RegexCompilation compile_regex(std::string_view pattern) {
  if (const auto length = utf8_characters(pattern); length > kMaxRegexCharacters) {
    return {fmt::format("a regular expression is at most {} characters, got {}", kMaxRegexCharacters, length), 0};
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(static_cast<std::int64_t>(kRegexMemoryBytes));
  auto regex = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  auto units = parse_units(pattern);
  if (!regex->ok()) {
    if (regex->error_code() == re2::RE2::ErrorPatternTooLarge) units += kTooComplexUnits;
    return {regex_problem(*regex), units};
  }
  units += static_cast<std::size_t>(regex->ProgramSize());
  return {TextMatch{std::string(pattern), std::move(regex), units}, units};
}

bool TextMatch::matches(std::string_view value) const {
  return regex ? re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *regex) : value == text;
}

bool Match::matches(const model::ExportRequest& request, const RequestHeaders& request_headers) const {
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), model::to_string(request.kind)) == kinds.end()) {
    return false;
  }
  if (version && *version != request.version) return false;
  // Unbilled exports name no invoice, and billed ones no currency or period,
  // so a rule that asks for one never fits the other.
  if (invoice_id && (!model::is_billed(request.kind) || !invoice_id->matches(request.invoice_id))) return false;
  if (currency_code && (model::is_billed(request.kind) || !currency_code->matches(request.currency_code))) return false;
  if (billing_period && (model::is_billed(request.kind) || *billing_period != request.billing_period)) return false;
  if (attribute_set && *attribute_set != request.attribute_set) return false;
  for (const auto& [name, expected] : headers) {
    const auto sent = [&name = name, &expected = expected](const auto& header) {
      return header.first == name && expected.matches(header.second);
    };
    if (std::none_of(request_headers.begin(), request_headers.end(), sent)) return false;
  }
  return true;
}

namespace {

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
