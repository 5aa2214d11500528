#pragma once

// Reading generated data lines back the way a reconciliation tool would: as
// JSON, and as the exact decimal text of their numbers.

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data::readback {

inline constexpr std::string_view kSamplePartner = "6e75cca6-47f0-47a3-a928-9d5315750bd9";
inline constexpr std::string_view kSampleInvoice = "G058476717";

// The documented profile, which tests of the documentation's columns and
// shortest-form numbers select.
inline const LineFormat kDocumentedLines{.profile = DataProfile::documented};

// A profile `kind` can be exported from, billed in euros at a rate that
// really rounds: invoice G058476717, or the unbilled charges of June 2025.
inline InvoiceProfile sample_profile_for(model::ExportKind kind, std::uint64_t seed) {
  if (!model::is_billed(kind)) return make_unbilled_profile(seed, "EUR", 2025, 6, kSamplePartner);
  InvoiceProfile profile = make_invoice_profile(seed, kSampleInvoice, kSamplePartner);
  profile.billing_currency = "EUR";
  profile.pc_to_bc_exchange_rate = 0.846202666;
  return profile;
}

inline std::string raw_line(const LineSource& source, std::uint64_t index) {
  std::string out;
  source.append_line(index, out);
  return out;
}

inline std::vector<std::string> raw_lines(const LineSource& source, std::uint64_t count) {
  std::vector<std::string> lines;
  lines.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) lines.push_back(raw_line(source, i));
  return lines;
}

inline std::vector<nlohmann::ordered_json> parsed_lines(const LineSource& source,
                                                        std::uint64_t count) {
  std::vector<nlohmann::ordered_json> lines;
  lines.reserve(count);
  for (const std::string& raw : raw_lines(source, count)) {
    lines.push_back(nlohmann::ordered_json::parse(raw));
  }
  return lines;
}

inline std::vector<std::string> keys_of(const nlohmann::ordered_json& line) {
  std::vector<std::string> keys;
  for (const auto& item : line.items()) keys.push_back(item.key());
  return keys;
}

// The exact text of a number value (JSON number or numeric string), without quotes.
inline std::string number_text(const std::string& line, std::string_view key) {
  const std::string marker = "\"" + std::string(key) + "\":";
  const std::size_t start = line.find(marker);
  if (start == std::string::npos) {
    ADD_FAILURE() << key << " missing from " << line;
    return "0";
  }
  std::size_t from = start + marker.size();
  const bool quoted = line[from] == '"';
  if (quoted) ++from;
  return line.substr(from, line.find_first_of(quoted ? "\"" : ",}", from) - from);
}

// Exact value of a decimal number text, in units of 10^-scale.
inline std::int64_t units(const std::string& text, int scale) {
  const bool negative = !text.empty() && text.front() == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const std::size_t point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
  EXPECT_LE(fraction.size(), static_cast<std::size_t>(scale)) << "too many decimals: " << text;
  std::int64_t value = std::stoll(whole);
  for (int i = 0; i < scale; ++i) {
    const auto position = static_cast<std::size_t>(i);
    value = value * 10 + (position < fraction.size() ? fraction[position] - '0' : 0);
  }
  return negative ? -value : value;
}

// Exact value of a decimal number text in units of 10^-scale, wide enough for
// the observed profile's 20- and 32-place columns; "0E-20" is zero.
__extension__ using WideUnits = __int128;
inline WideUnits exact_units(const std::string& text, int scale) {
  if (text.starts_with("0E-")) return 0;
  const bool negative = !text.empty() && text.front() == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const std::size_t point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
  EXPECT_LE(fraction.size(), static_cast<std::size_t>(scale)) << "too many decimals: " << text;
  WideUnits value = 0;
  for (const char digit : whole) value = value * 10 + (digit - '0');
  for (int i = 0; i < scale; ++i) {
    const auto position = static_cast<std::size_t>(i);
    value = value * 10 + (position < fraction.size() ? fraction[position] - '0' : 0);
  }
  return negative ? -value : value;
}

}  // namespace graphfake::data::readback
