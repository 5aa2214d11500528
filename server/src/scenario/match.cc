#include "scenario/scenario.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "core/excerpt.h"
#include "core/strings.h"
#include "scenario/format.h"
#include "scenario/reader.h"

// The "match" of a rule: which exports it takes, by request fields, headers
// and RE2 regular expressions.
namespace graphfake::scenario {
namespace {

using core::json_array;
using core::json_object;
using core::json_string;

constexpr core::Field kMatchFields[] = {
    {"kind", json_string | json_array, kKindNames, false, "the export kind, or one of an array of them"},
    {"version", json_string, kVersionNames, false, "the request's API version"},
    {"invoiceId", json_string | json_object, {}, false, "a billed export's invoiceId: a string or {\"regex\": ...}"},
    {"currencyCode", json_string | json_object, {}, false,
     "an unbilled export's currencyCode: a string or {\"regex\": ...}"},
    {"billingPeriod", json_string, kBillingPeriodNames, false, "an unbilled export's billingPeriod"},
    {"attributeSet", json_string, kAttributeSetNames, false, "the requested attribute set"},
    {"header", json_object, {}, false, "header name to a string or {\"regex\": ...}: each must be sent"},
};

constexpr core::Field kRegexFields[] = {
    {"regex", json_string, {}, true, "an RE2 regular expression the whole value must match"},
};

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

}  // namespace

std::span<const core::Field> match_fields() { return kMatchFields; }
std::span<const core::Field> regex_fields() { return kRegexFields; }

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

std::optional<TextMatch> Reader::text_match(const json& value, const std::string& at) {
  if (value.is_string()) return TextMatch{value.get<std::string>(), nullptr};
  if (value.is_object() && object_with_only(value, at, kRegexFields)) {
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

Match Reader::match(const json& value, const std::string& at) {
  Match match;
  if (!object_with_only(value, at, kMatchFields)) return match;
  if (const auto it = value.find("kind"); it != value.end()) {
    const auto kinds = it->is_array() ? *it : json::array({*it});
    if (kinds.empty()) fail(at + "/kind", "expected a kind or a non-empty array of kinds");
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const auto where = it->is_array() ? fmt::format("{}/kind/{}", at, i) : at + "/kind";
      const bool known = kinds[i].is_string() && std::find(kKindNames.begin(), kKindNames.end(),
                                                           kinds[i].get<std::string>()) != kKindNames.end();
      if (!known) {
        fail(where, fmt::format("expected one of {}, got {}", quoted(kKindNames), shown(kinds[i])));
      } else {
        match.kinds.push_back(kinds[i].get<std::string>());
      }
    }
  }
  if (const auto it = value.find("version"); it != value.end()) {
    match.version = one_of(*it, at + "/version", kVersionNames, kVersions);
  }
  if (const auto it = value.find("invoiceId"); it != value.end()) match.invoice_id = text_match(*it, at + "/invoiceId");
  if (const auto it = value.find("currencyCode"); it != value.end()) {
    match.currency_code = text_match(*it, at + "/currencyCode");
  }
  if (const auto it = value.find("billingPeriod"); it != value.end()) {
    match.billing_period = one_of(*it, at + "/billingPeriod", kBillingPeriodNames, kBillingPeriods);
  }
  if (const auto it = value.find("attributeSet"); it != value.end()) {
    match.attribute_set = one_of(*it, at + "/attributeSet", kAttributeSetNames, kAttributeSets);
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

}  // namespace graphfake::scenario
