#include "conformance/contract.h"
#include "conformance/json_access.h"

#include <zlib.h>

#include <algorithm>
#include <map>
#include <cctype>
#include <regex>
#include <set>

namespace graphfake::conformance {
namespace {

void expect_string(Violations& out, const Json& object, std::string_view where, std::string_view name) {
  const Json& value = member(object, name);
  if (!value.is_string() || value.get<std::string>().empty()) {
    out.push_back(std::string(where) + "." + std::string(name) + " is not a non-empty string: " + shown(value));
  }
}

void expect_timestamp(Violations& out, const Json& object, std::string_view where, std::string_view name) {
  const Json& value = member(object, name);
  if (!value.is_string() || !is_rfc3339(value.get<std::string>())) {
    out.push_back(std::string(where) + "." + std::string(name) + " is not an RFC 3339 timestamp: " + shown(value));
  }
}

// Q15: the documentation (Get operation) shows an operation's createdDateTime
// without an offset; whether the service sends that is unknown, so both forms
// pass.
void expect_operation_timestamp(Violations& out, const Json& object, std::string_view name) {
  const Json& value = member(object, name);
  if (!value.is_string() || !(is_rfc3339(value.get<std::string>()) || is_unzoned_timestamp(value.get<std::string>()))) {
    out.push_back("operation." + std::string(name) + " is not an RFC 3339 timestamp (nor the documentation's form "
                  "without offset): " + shown(value));
  }
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Q9: numbers are typed as decimals (Microsoft's sample client), but whether
// they travel as JSON numbers or as strings is unknown.
bool is_decimal_text(const std::string& text) {
  static const std::regex kDecimal(R"(-?\d+(\.\d+)?([eE][+-]?\d+)?)");
  return std::regex_match(text, kDecimal);
}

// Q8: a third-party schema for unbilled usage has no InvoiceNumber,
// BenefitOrderID or BenefitID, and unbilled lines have no invoice; whether
// the service leaves those keys out is unknown, so unbilled rows may.
const std::set<std::string>& columns_unbilled_rows_may_lack(ExportKind kind) {
  static const std::set<std::string> kNone;
  static const std::set<std::string> kReconciliation = {"invoicenumber"};
  static const std::set<std::string> kUsage = {"invoicenumber", "benefitorderid", "benefitid"};
  if (is_billed(kind)) return kNone;
  return is_usage(kind) ? kUsage : kReconciliation;
}

// Real export files leave out a key whose value is null: the subscription
// dates of Azure consumption reconciliation lines, the credit percentages of
// some unbilled usage rows.
const std::set<std::string>& columns_rows_may_leave_null() {
  static const std::set<std::string> kNullable = {"subscriptionstartdate", "subscriptionenddate",
                                                  "partnerearnedcreditpercentage", "creditpercentage"};
  return kNullable;
}

// Real usage files carry PCToBCExchangeRateDate, which Graph's table lacks.
const std::set<std::string>& columns_usage_rows_may_add(ExportKind kind) {
  static const std::set<std::string> kNone;
  static const std::set<std::string> kUsage = {"pctobcexchangeratedate"};
  return is_usage(kind) ? kUsage : kNone;
}

// `full` without the columns its table marks "Basic: No".
std::vector<std::string> basic_subset(const std::vector<std::string>& full, const std::set<std::string>& full_only) {
  std::vector<std::string> basic;
  for (const auto& column : full) {
    if (!full_only.count(column)) basic.push_back(column);
  }
  return basic;
}

std::string regex_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

bool is_absolute_url(std::string_view url) { return starts_with(url, "https://") || starts_with(url, "http://"); }

// Inflates a whole gzip stream; false when it is not one.
bool gunzip(std::string_view compressed, std::string& out) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return false;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  char buffer[65536];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END;
}

}  // namespace

const std::vector<std::string>& full_reconciliation_columns() {
  static const std::vector<std::string> kColumns = {
      "PartnerId",          "CustomerId",          "CustomerName",
      "CustomerDomainName", "CustomerCountry",     "InvoiceNumber",
      "MpnId",              "Tier2MpnId",          "OrderId",
      "OrderDate",          "ProductId",           "SkuId",
      "AvailabilityId",     "SkuName",             "ProductName",
      "ChargeType",         "UnitPrice",           "Quantity",
      "Subtotal",           "TaxTotal",            "Total",
      "Currency",           "PriceAdjustmentDescription", "PublisherName",
      "PublisherId",        "SubscriptionDescription",    "SubscriptionId",
      "ChargeStartDate",    "ChargeEndDate",       "TermAndBillingCycle",
      "EffectiveUnitPrice", "UnitType",            "AlternateId",
      "BillableQuantity",   "BillingFrequency",    "PricingCurrency",
      "PCToBCExchangeRate", "PCToBCExchangeRateDate", "MeterDescription",
      "ReservationOrderId", "CreditReasonCode",    "SubscriptionStartDate",
      "SubscriptionEndDate", "ReferenceId",        "ProductQualifiers",
      "PromotionId",        "ProductCategory"};
  return kColumns;
}

const std::vector<std::string>& basic_reconciliation_columns() {
  static const std::vector<std::string> kColumns = basic_subset(
      full_reconciliation_columns(),
      {"CustomerDomainName", "CustomerCountry", "MpnId", "Quantity", "PublisherId", "SubscriptionDescription",
       "UnitType", "AlternateId", "BillingFrequency", "PCToBCExchangeRateDate", "MeterDescription",
       "ProductQualifiers"});
  return kColumns;
}

const std::vector<std::string>& full_usage_columns() {
  static const std::vector<std::string> kColumns = {
      "PartnerId",          "PartnerName",       "CustomerId",         "CustomerName",
      "CustomerDomainName", "CustomerCountry",   "MpnId",              "Tier2MpnId",
      "InvoiceNumber",      "ProductId",         "SkuId",              "AvailabilityId",
      "SkuName",            "ProductName",       "PublisherName",      "PublisherId",
      "SubscriptionDescription", "SubscriptionId", "ChargeStartDate",  "ChargeEndDate",
      "UsageDate",          "MeterType",         "MeterCategory",      "MeterId",
      "MeterSubCategory",   "MeterName",         "MeterRegion",        "Unit",
      "ResourceLocation",   "ConsumedService",   "ResourceGroup",      "ResourceURI",
      "ChargeType",         "UnitPrice",         "Quantity",           "UnitType",
      "BillingPreTaxTotal", "BillingCurrency",   "PricingPreTaxTotal", "PricingCurrency",
      "ServiceInfo1",       "ServiceInfo2",      "Tags",               "AdditionalInfo",
      "EffectiveUnitPrice", "PCToBCExchangeRate", "EntitlementId",     "EntitlementDescription",
      "PartnerEarnedCreditPercentage", "CreditPercentage", "CreditType", "BenefitOrderID",
      "BenefitID",          "BenefitType"};
  return kColumns;
}

const std::vector<std::string>& basic_usage_columns() {
  static const std::vector<std::string> kColumns = basic_subset(
      full_usage_columns(),
      {"CustomerDomainName", "CustomerCountry", "MpnId", "Tier2MpnId", "AvailabilityId", "ProductName",
       "PublisherId", "SubscriptionDescription", "MeterType", "MeterCategory", "MeterId", "MeterSubCategory",
       "MeterName", "MeterRegion", "Unit", "ResourceLocation", "ConsumedService", "ResourceGroup", "ServiceInfo1",
       "ServiceInfo2", "Tags", "EntitlementDescription", "PartnerEarnedCreditPercentage", "BenefitID"});
  return kColumns;
}

const std::vector<std::string>& columns_of(ExportKind kind, std::string_view attribute_set) {
  const bool basic = attribute_set == "basic";
  if (is_usage(kind)) return basic ? basic_usage_columns() : full_usage_columns();
  return basic ? basic_reconciliation_columns() : full_reconciliation_columns();
}

const std::set<std::string>& numeric_columns(ExportKind kind) {
  static const std::set<std::string> kReconciliation = {"UnitPrice", "Quantity",           "Subtotal",
                                                        "TaxTotal",  "Total",              "EffectiveUnitPrice",
                                                        "BillableQuantity", "PCToBCExchangeRate"};
  static const std::set<std::string> kUsage = {"UnitPrice",          "Quantity",
                                               "BillingPreTaxTotal", "PricingPreTaxTotal",
                                               "EffectiveUnitPrice", "PCToBCExchangeRate",
                                               "PartnerEarnedCreditPercentage", "CreditPercentage"};
  return is_usage(kind) ? kUsage : kReconciliation;
}

std::string_view name_of(ExportKind kind) {
  switch (kind) {
    case ExportKind::billed_reconciliation: return "billedReconciliation";
    case ExportKind::unbilled_reconciliation: return "unbilledReconciliation";
    case ExportKind::billed_usage: return "billedUsage";
    case ExportKind::unbilled_usage: return "unbilledUsage";
  }
  return "unknown";
}

std::optional<ExportKind> export_kind_named(std::string_view name) {
  for (const ExportKind kind : kExportKinds) {
    if (name_of(kind) == name) return kind;
  }
  return std::nullopt;
}

bool is_billed(ExportKind kind) {
  return kind == ExportKind::billed_reconciliation || kind == ExportKind::billed_usage;
}

bool is_usage(ExportKind kind) { return kind == ExportKind::billed_usage || kind == ExportKind::unbilled_usage; }

Json RequestedExport::body() const {
  if (is_billed(kind)) return {{"invoiceId", invoice_id}, {"attributeSet", attribute_set}};
  return {{"currencyCode", currency_code}, {"billingPeriod", billing_period}, {"attributeSet", attribute_set}};
}

std::string export_path(ExportKind kind, std::string_view version) {
  return "/" + std::string(version) + "/reports/partners/billing/" + (is_usage(kind) ? "usage" : "reconciliation") +
         "/" + (is_billed(kind) ? "billed" : "unbilled") + "/export";
}

bool is_guid(std::string_view text) {
  static const std::regex kGuid("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  return std::regex_match(text.begin(), text.end(), kGuid);
}

bool is_unzoned_timestamp(std::string_view text) {
  static const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?)");
  return std::regex_match(text.begin(), text.end(), kTimestamp);
}

bool is_rfc3339(std::string_view text) {
  static const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2}))");
  return std::regex_match(text.begin(), text.end(), kTimestamp);
}

std::string joined(const Violations& violations) {
  std::string text;
  for (const auto& violation : violations) text += (text.empty() ? "" : "; ") + violation;
  return text;
}

Violations check_export_accepted(const httplib::Response& response, std::string_view base_url,
                                 std::string_view version) {
  Violations out;
  if (response.status != 202) out.push_back("the export answered HTTP " + std::to_string(response.status) + ", not 202");
  if (!response.has_header("Location")) {
    out.push_back("the 202 has no Location header");
    return out;
  }
  const std::string location = response.get_header_value("Location");
  const std::string operations = std::string(base_url) + "/" + std::string(version) + "/reports/partners/billing/operations/";
  if (!is_absolute_url(location)) {
    out.push_back("Location '" + location + "' is not absolute");
  } else if (!starts_with(location, operations)) {
    out.push_back("Location '" + location + "' is not under " + operations);
  } else if (!is_guid(std::string_view(location).substr(operations.size()))) {
    out.push_back("Location '" + location + "' does not end in an operation GUID");
  }
  if (!response.body.empty()) out.push_back("the 202 has a body: " + response.body.substr(0, 200));
  return out;
}

Violations check_graph_headers(const httplib::Response& response, std::string_view sent_client_request_id) {
  Violations out;
  const std::string request_id = response.get_header_value("request-id");
  if (!is_guid(request_id)) out.push_back("request-id '" + request_id + "' is not a GUID");
  const std::string echoed = response.get_header_value("client-request-id");
  if (echoed != sent_client_request_id) {
    out.push_back("client-request-id '" + echoed + "' does not echo the one sent, '" +
                  std::string(sent_client_request_id) + "'");
  }
  return out;
}

Violations check_operation(const httplib::Response& response, std::string_view operation_id) {
  Violations out;
  if (response.status != 200) {
    out.push_back("the operation answered HTTP " + std::to_string(response.status) + ", not 200");
    return out;
  }
  if (!Json::accept(response.body)) {
    out.push_back("the operation's body is not JSON: " + response.body.substr(0, 200));
    return out;
  }
  const Json body = Json::parse(response.body);
  const Json& type = member(body, "@odata.type");
  const Json& status = member(body, "status");
  static const std::set<std::string> kStatuses = {"notStarted", "running", "succeeded", "failed"};
  if (!status.is_string() || !kStatuses.count(status.get<std::string>())) {
    out.push_back("status " + shown(status) + " is not one of notStarted, running, succeeded, failed (exact casing)");
    return out;
  }
  const std::string state = status.get<std::string>();
  const bool terminal = state == "succeeded" || state == "failed";
  const std::string_view expected_type =
      state == "succeeded" ? kSuccessType : state == "failed" ? kFailedType : kRunningType;
  if (type != std::string(expected_type)) {
    out.push_back("@odata.type " + shown(type) + " for status \"" + state + "\" is not \"" +
                  std::string(expected_type) + "\"");
  }
  if (member(body, "id") != std::string(operation_id)) {
    out.push_back("id " + shown(member(body, "id")) + " is not the operation's, \"" + std::string(operation_id) + "\"");
  }
  expect_operation_timestamp(out, body, "createdDateTime");
  expect_operation_timestamp(out, body, "lastActionDateTime");

  const bool has_retry_after = response.has_header("Retry-After");
  const std::string retry_after = response.get_header_value("Retry-After");
  if (!terminal && (!has_retry_after || retry_after.empty() ||
                    !std::all_of(retry_after.begin(), retry_after.end(), [](unsigned char c) { return std::isdigit(c); }))) {
    out.push_back("a " + state + " operation's Retry-After '" + retry_after + "' is not whole seconds");
  }
  if (terminal && has_retry_after) out.push_back("a " + state + " operation carries Retry-After: " + retry_after);

  if (state == "failed") {
    const Json& error = member(body, "error");
    expect_string(out, error, "error", "code");
    expect_string(out, error, "error", "message");
  } else if (member(body, "error").is_object()) {
    out.push_back("a " + state + " operation carries an error");
  }
  const bool has_manifest = body.contains("resourceLocation") || body.contains(kNavigationLink);
  if (state == "succeeded" && !has_manifest) {
    out.push_back("a succeeded operation has neither resourceLocation nor " + std::string(kNavigationLink));
  }
  if (state != "succeeded" && has_manifest) out.push_back("a " + state + " operation points at a manifest");
  if (body.contains(kNavigationLink) && !is_absolute_url(member(body, kNavigationLink).get<std::string>())) {
    out.push_back(std::string(kNavigationLink) + " is not an absolute URL: " + shown(member(body, kNavigationLink)));
  }
  return out;
}

Violations check_manifest(const Json& manifest) {
  Violations out;
  if (!manifest.is_object()) return {"the manifest is not an object: " + manifest.dump().substr(0, 200)};
  for (const char* name : {"id", "schemaVersion", "dataFormat", "eTag", "partnerTenantId", "rootDirectory",
                           "sasToken", "partitionType"}) {
    expect_string(out, manifest, "manifest", name);
  }
  expect_timestamp(out, manifest, "manifest", "createdDateTime");
  const Json& format = member(manifest, "dataFormat");
  if (format.is_string() && format != "compressedJSON" && format != "compressedJSONLines") {
    out.push_back("manifest.dataFormat " + shown(format) + " is neither compressedJSON nor compressedJSONLines");
  }
  const Json& root = member(manifest, "rootDirectory");
  if (root.is_string() && !is_absolute_url(root.get<std::string>())) {
    out.push_back("manifest.rootDirectory " + shown(root) + " is not an absolute URL");
  }
  if (root.is_string() && !root.get<std::string>().empty() && root.get<std::string>().back() == '/') {
    out.push_back("manifest.rootDirectory " + shown(root) + " ends in '/'");
  }
  const Json& sas = member(manifest, "sasToken");
  if (sas.is_string() && starts_with(sas.get<std::string>(), "?")) {
    out.push_back("manifest.sasToken starts with '?'");
  }
  const Json& blobs = member(manifest, "blobs");
  const Json& count = member(manifest, "blobCount");
  if (!blobs.is_array() || blobs.empty()) {
    out.push_back("manifest.blobs is not a non-empty array: " + shown(blobs).substr(0, 200));
  }
  if (!count.is_number_integer()) {
    out.push_back("manifest.blobCount is not an integer: " + shown(count));
  } else if (blobs.is_array() && count.get<std::int64_t>() != static_cast<std::int64_t>(blobs.size())) {
    out.push_back("manifest.blobCount " + count.dump() + " is not blobs.length " + std::to_string(blobs.size()));
  }
  if (blobs.is_array()) {
    for (std::size_t i = 0; i < blobs.size(); ++i) {
      const std::string where = "manifest.blobs[" + std::to_string(i) + "]";
      expect_string(out, blobs[i], where, "name");
      expect_string(out, blobs[i], where, "partitionValue");
      // Q5: not in the CSDL, but in Microsoft's sample client's model.
      for (const char* optional : {"sizeInBytes", "itemCount"}) {
        const Json& value = member(blobs[i], optional);
        if (!value.is_null() && !value.is_number_unsigned()) {
          out.push_back(where + "." + optional + " is not a non-negative integer: " + shown(value));
        }
      }
    }
  }
  return out;
}

Violations check_usage_layout(const Json& manifest, const RequestedExport& request) {
  const Json& root = member(manifest, "rootDirectory");
  const Json& tenant = member(manifest, "partnerTenantId");
  if (!root.is_string() || !tenant.is_string()) {
    return {"the manifest has no rootDirectory and partnerTenantId to tell its layout by"};
  }
  const std::string tenant_id = tenant.get<std::string>();
  const bool billed = is_billed(request.kind);
  // Real manifests spell the attribute set in lower case here.
  const std::string fragment = "/Fragment=" + lowered(request.attribute_set) + "/PartitionType=default";
  const std::string pattern =
      billed ? "/PartnerTenantId=" + regex_escaped(tenant_id) + R"(/BillingMonth=\d{6}/InvoiceId=)" +
                   regex_escaped(request.invoice_id) + R"(/InvoiceVersion=(\d{6}|\d{12}))"
             : R"(/\d{12}/PartnerTenantId=)" + regex_escaped(tenant_id) + R"(/BillingMonth=\d{6}/Currency=)" +
                   regex_escaped(request.currency_code);
  if (std::regex_search(root.get<std::string>(), std::regex(pattern + regex_escaped(fragment) + "$"))) return {};
  const std::string layout =
      billed ? "/PartnerTenantId=" + tenant_id + "/BillingMonth={YYYYMM}/InvoiceId=" + request.invoice_id +
                   "/InvoiceVersion={YYYYMM or YYYYMMDDhhmm}"
             : "/{YYYYMMDDhhmm}/PartnerTenantId=" + tenant_id + "/BillingMonth={YYYYMM}/Currency=" +
                   request.currency_code;
  return {"manifest.rootDirectory " + shown(root) + " does not end in " + layout + fragment + ", the layout of real " +
          (billed ? "billed" : "unbilled") + " usage manifests"};
}

BlobReading read_blob(std::string_view bytes, ExportKind kind, std::string_view attribute_set) {
  BlobReading reading;
  auto& out = reading.violations;
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f || static_cast<unsigned char>(bytes[1]) != 0x8b) {
    out.push_back("the blob does not start with the gzip magic 1f 8b");
    return reading;
  }
  std::string text;
  if (!gunzip(bytes, text)) {
    out.push_back("the blob is not a complete gzip stream");
    return reading;
  }
  // Q9: key casing is unknown, so columns are matched without regard to it.
  std::map<std::string, std::string> expected;  // lower-cased → documented
  for (const auto& column : columns_of(kind, attribute_set)) expected.emplace(lowered(column), column);
  const auto& may_lack = columns_unbilled_rows_may_lack(kind);
  std::string_view rest = text;
  std::size_t line = 0;
  while (!rest.empty()) {
    ++line;
    const auto end = rest.find('\n');
    if (end == std::string_view::npos) {
      out.push_back("line " + std::to_string(line) + " has no trailing newline");
      break;
    }
    const auto row_text = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (!Json::accept(row_text)) {
      out.push_back("line " + std::to_string(line) + " is not JSON: " + std::string(row_text.substr(0, 120)));
      continue;
    }
    const Json row = Json::parse(row_text);
    if (!row.is_object()) {
      out.push_back("line " + std::to_string(line) + " is not a JSON object");
      continue;
    }
    ++reading.rows;
    std::map<std::string, const Json*> by_column;  // lower-cased key → value
    std::string extra;
    for (const auto& [key, value] : row.items()) {
      if (!expected.count(lowered(key)) && !columns_usage_rows_may_add(kind).count(lowered(key))) extra += " " + key;
      by_column.emplace(lowered(key), &value);
    }
    std::string missing;
    for (const auto& [key, documented] : expected) {
      if (!by_column.count(key) && !may_lack.count(key) && !columns_rows_may_leave_null().count(key)) {
        missing += " " + documented;
      }
    }
    if ((!missing.empty() || !extra.empty()) && out.size() < 5) {
      out.push_back("line " + std::to_string(line) + " does not have the " + std::to_string(expected.size()) + " " +
                    std::string(attribute_set) + " " + std::string(name_of(kind)) +
                    " columns (missing:" + (missing.empty() ? " none" : missing) +
                    "; extra:" + (extra.empty() ? " none" : extra) + ")");
    }
    for (const auto& [key, value] : by_column) {
      const auto documented = expected.find(key);
      if (documented == expected.end() || !numeric_columns(kind).count(documented->second)) continue;
      const bool numeric = value->is_number() || (value->is_string() && is_decimal_text(value->get<std::string>()));
      if (!numeric && out.size() < 5) {
        out.push_back("line " + std::to_string(line) + ": " + documented->second +
                      " is neither a number nor a string holding one: " + value->dump());
      }
    }
    static const Json kAbsent;
    const auto invoice_at = by_column.find("invoicenumber");
    const Json& invoice = invoice_at == by_column.end() ? kAbsent : *invoice_at->second;
    if (invoice.is_string() && std::find(reading.invoice_numbers.begin(), reading.invoice_numbers.end(),
                                         invoice.get<std::string>()) == reading.invoice_numbers.end()) {
      reading.invoice_numbers.push_back(invoice.get<std::string>());
    }
  }
  return reading;
}

Violations check_error(const httplib::Response& response, int expected_status) {
  Violations out;
  if (response.status != expected_status) {
    out.push_back("HTTP " + std::to_string(response.status) + ", not " + std::to_string(expected_status));
  }
  if (!starts_with(response.get_header_value("Content-Type"), "application/json")) {
    out.push_back("Content-Type '" + response.get_header_value("Content-Type") + "' is not application/json");
  }
  if (!Json::accept(response.body)) {
    out.push_back("the error body is not JSON: " + response.body.substr(0, 200));
    return out;
  }
  const Json body = Json::parse(response.body);
  const Json& error = member(body, "error");
  if (!error.is_object()) {
    out.push_back("the body has no \"error\" object: " + response.body.substr(0, 200));
    return out;
  }
  expect_string(out, error, "error", "code");
  expect_string(out, error, "error", "message");
  // Graph docs, error responses: the examples say innerError, the property table innererror.
  const Json& inner = error.contains("innerError") ? member(error, "innerError") : member(error, "innererror");
  if (!inner.is_object()) {
    out.push_back("error.innerError is not an object: " + shown(inner));
  } else {
    if (!member(inner, "request-id").is_string() || !is_guid(member(inner, "request-id").get<std::string>())) {
      out.push_back("error.innerError.request-id is not a GUID: " + shown(member(inner, "request-id")));
    }
    expect_string(out, inner, "error.innerError", "date");
  }
  return out;
}

}  // namespace graphfake::conformance
