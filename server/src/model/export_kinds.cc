#include "model/export_kinds.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>

namespace graphfake {

std::string_view to_string(ExportKind kind) { return model::kExportKindNames.at(static_cast<std::size_t>(kind)); }

std::ostream& operator<<(std::ostream& os, ExportKind kind) { return os << to_string(kind); }

}  // namespace graphfake

namespace graphfake::model {
namespace {

constexpr RequestField kBilledFields[] = {RequestField::invoice_id, RequestField::attribute_set};
constexpr RequestField kUnbilledFields[] = {RequestField::currency_code, RequestField::billing_period,
                                            RequestField::attribute_set};

// Layouts as real manifests show them (observed in real manifests; see
// docs/sources.md): billed exports are filed by
// invoice and its version (the 8th of the month after the billing month),
// unbilled ones by the time the export was asked for and the currency.
// Reconciliation layouts are not observed anywhere; they mirror usage.
constexpr std::string_view kByInvoice =
    "v1/PartnerTenantId={tenant}/BillingMonth={YYYYMM}/InvoiceId={invoice}/InvoiceVersion={YYYYMM+1}080000";
constexpr std::string_view kBySnapshot =
    "v1/{YYYYMMDDhhmm}/PartnerTenantId={tenant}/BillingMonth={YYYYMM}/Currency={ISO}";

constexpr ExportKindInfo kKinds[] = {
    {ExportKind::billed_reconciliation, kExportKindNames[0], {"reconciliation", "billed"}, true,
     ExportFamily::reconciliation, kBilledFields, "billedreconciliationfastpath", kByInvoice},
    {ExportKind::unbilled_reconciliation, kExportKindNames[1], {"reconciliation", "unbilled"}, false,
     ExportFamily::reconciliation, kUnbilledFields, "unbilledreconciliationfastpath", kBySnapshot},
    {ExportKind::billed_usage, kExportKindNames[2], {"usage", "billed"}, true, ExportFamily::usage, kBilledFields,
     "billedusagefastpath", kByInvoice},
    {ExportKind::unbilled_usage, kExportKindNames[3], {"usage", "unbilled"}, false, ExportFamily::usage,
     kUnbilledFields, "unbilledusagefastpath", kBySnapshot},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(kKinds); ++i) {
    if (static_cast<std::size_t>(kKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(in_enum_order(), "describe() indexes the table by kind");

}  // namespace

std::string_view to_string(RequestField field) {
  switch (field) {
    case RequestField::invoice_id: return "invoiceId";
    case RequestField::currency_code: return "currencyCode";
    case RequestField::billing_period: return "billingPeriod";
    case RequestField::attribute_set: return "attributeSet";
  }
  return "unknown";
}

std::span<const ExportKindInfo> export_kinds() { return kKinds; }

const ExportKindInfo& describe(ExportKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

std::optional<ExportKind> export_kind_named(std::string_view name) {
  for (const auto& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

std::string fill_directory(std::string_view pattern,
                           std::span<const std::pair<std::string_view, std::string>> values) {
  std::string out;
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    out += pattern.substr(0, open);
    if (open == std::string_view::npos) break;
    const auto close = pattern.find('}', open);
    if (close == std::string_view::npos) throw std::logic_error("unclosed placeholder in a directory layout");
    const auto name = pattern.substr(open + 1, close - open - 1);
    const auto value = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (value == values.end())
      throw std::logic_error("no value for the directory placeholder {" + std::string(name) + "}");
    out += value->second;
    pattern.remove_prefix(close + 1);
  }
  return out;
}

}  // namespace graphfake::model
