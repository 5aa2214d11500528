#pragma once

// The partner-billing export contract as checks over what a server answered,
// each citing its source: a public page named by title (docs/sources.md gives
// the addresses), what was observed in real responses, or an open question
// (Q1–Q17, docs/conformance.md). Each check returns every way the answer breaks
// the contract, as sentences naming the property, so a failing test says what
// is wrong rather than where.
#include <httplib.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace graphfake::conformance {

using Json = nlohmann::ordered_json;
using Violations = std::vector<std::string>;

inline constexpr std::string_view kRunningType = "#microsoft.graph.partners.billing.runningOperation";
inline constexpr std::string_view kSuccessType = "#microsoft.graph.partners.billing.exportSuccessOperation";
inline constexpr std::string_view kFailedType = "#microsoft.graph.partners.billing.failedOperation";
inline constexpr std::string_view kNavigationLink = "resourceLocation@odata.navigationLink";

// The four export actions (Graph docs, billedReconciliation: export and its three siblings).
enum class ExportKind { billed_reconciliation, unbilled_reconciliation, billed_usage, unbilled_usage };
inline constexpr std::array kExportKinds = {ExportKind::billed_reconciliation, ExportKind::unbilled_reconciliation,
                                            ExportKind::billed_usage, ExportKind::unbilled_usage};

// As graphfake's scenario files name them: "billedReconciliation", "unbilledUsage", ...
std::string_view name_of(ExportKind kind);
std::optional<ExportKind> export_kind_named(std::string_view name);
// Billed kinds name an invoice; unbilled ones a currency and a billing period.
bool is_billed(ExportKind kind);
// Usage kinds carry daily-rated usage rows; the others invoice reconciliation
// rows (Graph docs, attributeSet enum type: its two tables).
bool is_usage(ExportKind kind);

// What an export asks for (Graph docs, the export pages' parameters).
struct RequestedExport {
  ExportKind kind = ExportKind::billed_reconciliation;
  std::string attribute_set = "full";
  std::string invoice_id;      // billed kinds
  std::string currency_code;   // unbilled kinds
  std::string billing_period;  // unbilled kinds
  // The body with exactly the parameters the kind takes.
  Json body() const;
};

// "/v1.0/reports/partners/billing/usage/unbilled/export".
std::string export_path(ExportKind kind, std::string_view version);

// Graph docs, attributeSet enum type: the reconciliation table, in its order.
const std::vector<std::string>& full_reconciliation_columns();
const std::vector<std::string>& basic_reconciliation_columns();
// The same page's usage table, in the row order of its beta version, without
// PCToBCExchangeRateDate (not in Graph's table).
const std::vector<std::string>& full_usage_columns();
const std::vector<std::string>& basic_usage_columns();
// The columns of `attribute_set` ("full" or "basic") for a kind.
const std::vector<std::string>& columns_of(ExportKind kind, std::string_view attribute_set);
// The columns typed or observed as numbers (Microsoft's sample client,
// Partner Center's reconciliation file pages), spelled as documented.
const std::set<std::string>& numeric_columns(ExportKind kind);

// Graph docs, the export pages: 202 Accepted, an absolute Location on the
// request's origin and version, ending in an operation GUID. `base_url` has no
// trailing slash.
Violations check_export_accepted(const httplib::Response& response, std::string_view base_url,
                                 std::string_view version);

// request-id is a GUID (observed in real Graph responses, and sent by Dev
// Proxy); client-request-id echoes the one sent (the usual Graph behaviour;
// graphfake's inference for this API).
Violations check_graph_headers(const httplib::Response& response, std::string_view sent_client_request_id);

// Graph docs, Get operation and the operation resource types: a 200 whose
// @odata.type matches its status (exact spelling and casing), with the
// operation's id, RFC 3339 timestamps (or, Q15, the documentation's form
// without offset), an integer Retry-After exactly while it is not terminal, and
// the members its type has.
Violations check_operation(const httplib::Response& response, std::string_view operation_id);

// Graph docs, manifest and blob resource types: every manifest property present
// with its type, blobCount == blobs.length, an absolute rootDirectory, a
// sasToken without '?'.
Violations check_manifest(const Json& manifest);

// Observed in real manifests of usage exports: rootDirectory ends in the layout
// real manifests show for the request's kind, naming its partner tenant,
// invoice or currency, and the attribute set as Fragment=. For a reconciliation
// export (Q10, never observed) it tells whether it mirrors usage's.
Violations check_usage_layout(const Json& manifest, const RequestedExport& request);

// Inflates a whole gzip stream; nullopt when it is not one.
std::optional<std::string> gunzipped(std::string_view gzip_bytes);
// `text` as one gzip stream, as a blob is served: for the checks' own tests.
std::string gzipped(std::string_view text);

// A data key as the checks match it to a column: lower-cased (Q9: casing is
// unknown), with the legacy reconciliation layout's renamed columns (observed
// in real files of older invoices: resellerMpnId for Tier2MpnId,
// totalForCustomer for Total) read as the documented ones.
std::string column_key(std::string_view key);
// Whether `key` is one only the legacy camelCase reconciliation layout has.
bool is_legacy_reconciliation_key(std::string_view key);
// Observed in real files: usage rows carry PCToBCExchangeRateDate, right
// after PCToBCExchangeRate, though Graph's table does not list it.
inline constexpr std::string_view kUsageColumnBeyondTheTable = "PCToBCExchangeRateDate";
// The columns (as column_key spells them) a row of `kind` may leave out. Real
// files leave out a key whose value is null: SubscriptionStartDate and
// SubscriptionEndDate on Azure consumption reconciliation rows,
// PartnerEarnedCreditPercentage and CreditPercentage on some usage rows; and
// unbilled rows may lack the columns Q8 doubts they carry (InvoiceNumber, and
// BenefitOrderID and BenefitID in usage; real unbilled usage has no
// InvoiceNumber).
const std::set<std::string>& columns_rows_may_lack(ExportKind kind);

// Graph docs, manifest resource type and attributeSet enum type: gzip, one
// JSON object per line, newline-terminated, and every row carrying exactly
// the columns of the kind's `attribute_set`, in any key casing (Q9), its
// numeric columns numbers or numeric strings, but for the columns rows may
// lack (columns_rows_may_lack) and, in usage, PCToBCExchangeRateDate. A row
// in the legacy reconciliation layout (a key is_legacy_reconciliation_key) is
// held only to its numeric columns: its column set is reported, not checked
// (check_data_rows, conformance/data_rows.h).
struct BlobReading {
  Violations violations;
  std::size_t rows = 0;
  std::vector<std::string> invoice_numbers;  // distinct strings, in first-seen order
};
BlobReading read_blob(std::string_view bytes, ExportKind kind, std::string_view attribute_set);

// Graph docs, Microsoft Graph error responses and resource types: the error
// envelope with `expected_status`, a JSON content type, a non-empty code and
// message, and innerError carrying request-id and date.
Violations check_error(const httplib::Response& response, int expected_status);

bool is_guid(std::string_view text);
bool is_rfc3339(std::string_view text);
// 2023-03-09T08:12:53: the documentation's createdDateTime, without offset.
bool is_unzoned_timestamp(std::string_view text);

// "a; b; c", for a test's failure message.
std::string joined(const Violations& violations);

}  // namespace graphfake::conformance
