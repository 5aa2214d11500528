#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "model/export.h"

namespace graphfake::model {

// The API versions every export is served under, in the order routes list them.
inline constexpr std::array kApiVersions = {ApiVersion::v1_0, ApiVersion::beta};

// Which rows an export carries: invoice reconciliation line items or
// daily-rated usage (Graph docs, attributeSet enum type; see
// docs/sources.md). The data layer keeps each family's columns and
// generator.
enum class ExportFamily { reconciliation, usage };

// A field of an export action's body.
enum class RequestField { invoice_id, currency_code, billing_period, attribute_set };

// As the body spells it: "invoiceId", "currencyCode", ...
std::string_view to_string(RequestField field);

// Everything that makes one export kind what it is, for every layer to read
// instead of deciding by kind itself.
struct ExportKindInfo {
  ExportKind kind;
  // As scenario files and the admin API name it: "billedReconciliation".
  std::string_view name;
  // Below /{version}/reports/partners/billing/ and before the action, under
  // every API version: {"reconciliation", "billed"}.
  std::array<std::string_view, 2> path;
  // Billed exports name an invoice; unbilled ones a currency and a period.
  bool billed;
  ExportFamily family;
  // What the body takes, in the order it is validated (so the first missing
  // or invalid one is the one an error names).
  std::span<const RequestField> request_fields;
  // The blob container its manifests point into, and the directory below it
  // up to (not including) Fragment=, with {placeholders} that
  // fill_directory replaces (as real manifests lay them out; see
  // docs/sources.md).
  std::string_view container;
  std::string_view directory;
};

// One entry per ExportKind, in the enum's order.
std::span<const ExportKindInfo> export_kinds();
const ExportKindInfo& describe(ExportKind kind);
// What scenario files and the admin API call each kind, in enum order.
inline constexpr std::array<std::string_view, 4> kExportKindNames = {"billedReconciliation", "unbilledReconciliation",
                                                                     "billedUsage", "unbilledUsage"};

// The kind a scenario file or admin request names, if any.
std::optional<ExportKind> export_kind_named(std::string_view name);

// `pattern` (a descriptor's directory) with each {placeholder} replaced by
// its value; throws std::logic_error for a placeholder without one, so a
// layout and the code that fills it cannot drift apart.
std::string fill_directory(std::string_view pattern,
                           std::span<const std::pair<std::string_view, std::string>> values);

}  // namespace graphfake::model
