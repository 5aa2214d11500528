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

// §11.15: the documentation shows an operation's createdDateTime without an
// offset; whether the service sends that is unknown, so both forms pass.
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

// §5.2: numbers are documented as decimals, but whether they travel as JSON
// numbers or as strings is unknown.
bool is_decimal_text(const std::string& text) {
  static const std::regex kDecimal(R"(-?\d+(\.\d+)?([eE][+-]?\d+)?)");
  return std::regex_match(text, kDecimal);
}

const std::set<std::string>& numeric_columns() {
  static const std::set<std::string> kColumns = {"unitprice",          "quantity",         "subtotal",
                                                 "taxtotal",           "total",            "effectiveunitprice",
                                                 "billablequantity",   "pctobcexchangerate"};
  return kColumns;
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
  // §5.4's "Basic: No" rows left out of the full list.
  static const std::vector<std::string> kColumns = [] {
    static const std::set<std::string> kFullOnly = {
        "CustomerDomainName", "CustomerCountry",  "MpnId",       "Quantity",
        "PublisherId",        "SubscriptionDescription", "UnitType", "AlternateId",
        "BillingFrequency",   "PCToBCExchangeRateDate",  "MeterDescription", "ProductQualifiers"};
    std::vector<std::string> basic;
    for (const auto& column : full_reconciliation_columns()) {
      if (!kFullOnly.count(column)) basic.push_back(column);
    }
    return basic;
  }();
  return kColumns;
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
      // §11.5: not in the CSDL, but in Microsoft's sample model.
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

BlobReading read_blob(std::string_view bytes, std::string_view attribute_set) {
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
  // §11.9: key casing is unknown, so columns are matched without regard to it.
  const auto& columns = attribute_set == "basic" ? basic_reconciliation_columns() : full_reconciliation_columns();
  std::map<std::string, std::string> expected;  // lower-cased → documented
  for (const auto& column : columns) expected.emplace(lowered(column), column);
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
      if (!expected.count(lowered(key))) extra += " " + key;
      by_column.emplace(lowered(key), &value);
    }
    std::string missing;
    for (const auto& [key, documented] : expected) {
      if (!by_column.count(key)) missing += " " + documented;
    }
    if ((!missing.empty() || !extra.empty()) && out.size() < 5) {
      out.push_back("line " + std::to_string(line) + " does not have the " + std::to_string(expected.size()) + " " +
                    std::string(attribute_set) + " columns (missing:" + (missing.empty() ? " none" : missing) +
                    "; extra:" + (extra.empty() ? " none" : extra) + ")");
    }
    for (const auto& [key, value] : by_column) {
      const bool numeric = value->is_number() || (value->is_string() && is_decimal_text(value->get<std::string>()));
      if (numeric_columns().count(key) && !numeric && out.size() < 5) {
        out.push_back("line " + std::to_string(line) + ": " + expected.at(key) +
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
  // §6.1: the examples say innerError, the property table innererror.
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
