#include "domain/admin_json.h"

#include <fmt/format.h>

#include <charconv>

#include "core/duration.h"
#include "core/time_format.h"

namespace graphfake::domain {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json headers_json(const HeaderPairs& headers) {
  ordered_json out = ordered_json::array();
  for (const auto& [name, value] : headers) out.push_back({{"name", name}, {"value", value}});
  return out;
}

AdminError bad_body(const std::string& message) { return AdminError(400, "badRequest", message); }

json object_body(std::string_view body) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& e) {
    throw bad_body(fmt::format("The body is not JSON: {}", e.what()));
  }
  if (!parsed.is_object()) throw bad_body("The body must be a JSON object.");
  return parsed;
}

const json& required(const json& object, const char* name, json::value_t type, const char* what) {
  const auto it = object.find(name);
  if (it == object.end() || it->type() != type) throw bad_body(fmt::format("'{}' must be {}.", name, what));
  return *it;
}

}  // namespace

ordered_json to_json(const OperationInfo& operation) {
  ordered_json history = ordered_json::array();
  for (const auto& phase : operation.history) {
    history.push_back({{"status", phase.status}, {"enteredDateTime", core::rfc3339_ms(phase.entered_at)}});
  }
  ordered_json json{{"id", operation.id}, {"kind", operation.kind}, {"apiVersion", operation.api_version}};
  // An export's parameters, as its kind takes them.
  if (operation.currency_code.empty()) {
    json["invoiceId"] = operation.invoice_id;
  } else {
    json["currencyCode"] = operation.currency_code;
    json["billingPeriod"] = operation.billing_period;
  }
  json["attributeSet"] = operation.attribute_set;
  json["status"] = operation.status;
  json["phase"] = operation.phase;
  json["phaseCount"] = operation.phase_count;
  json["polls"] = operation.polls;
  json["createdDateTime"] = core::rfc3339_ms(operation.created_at);
  json["history"] = std::move(history);
  json["scenarioRule"] = operation.scenario_rule;
  json["manifestId"] = operation.manifest_id;
  return json;
}

namespace {

// {"rows": 12, "Subtotal": "1234.50", ...}: sums as exact decimal text, so
// no JSON parser rounds a cent away.
ordered_json sums_json(ordered_json group, const ExportTotals& totals, const AmountSums& amounts) {
  group["rows"] = amounts.rows;
  for (std::size_t c = 0; c < totals.columns.size() && c < amounts.sums.size(); ++c) {
    group[totals.columns[c]] = amounts.sums[c];
  }
  return group;
}

}  // namespace

ordered_json to_json(const ExportTotals& totals) {
  ordered_json currencies = ordered_json::array();
  for (const auto& group : totals.by_currency) {
    currencies.push_back(sums_json({{"currency", group.currency}}, totals, group.amounts));
  }
  ordered_json customers = ordered_json::array();
  for (const auto& group : totals.by_customer) {
    customers.push_back(sums_json(
        {{"customerId", group.customer_id}, {"customerName", group.customer_name}, {"currency", group.currency}},
        totals, group.amounts));
  }
  return {{"operationId", totals.operation_id},
          {"kind", totals.kind},
          {"columns", totals.columns},
          {"scale", totals.scale},
          {"all", sums_json(ordered_json::object(), totals, totals.all)},
          {"byCurrency", std::move(currencies)},
          {"byCustomer", std::move(customers)}};
}

ordered_json to_json(const JournalEntry& entry) {
  ordered_json out = {{"sequence", entry.sequence},
                      {"dateTime", core::rfc3339_ms(entry.at)},
                      {"method", entry.method},
                      {"path", entry.path},
                      {"query", entry.query},
                      {"requestHeaders", headers_json(entry.request_headers)},
                      {"requestBody", entry.request_body},
                      {"status", entry.status},
                      {"responseHeaders", headers_json(entry.response_headers)},
                      {"endpoint", entry.endpoint},
                      {"operationId", entry.operation_id},
                      {"operationStatus", entry.operation_status},
                      {"scenarioRule", entry.scenario_rule},
                      {"invoiceId", entry.invoice_id}};
  if (!entry.nearest_route.empty()) out["nearestRoute"] = entry.nearest_route;
  return out;
}

ordered_json to_json(const ScenarioFileInfo& file) { return {{"name", file.name}, {"rules", file.rules}}; }

ordered_json to_json(const OperationBehaviour& operation) {
  ordered_json early = ordered_json::array();
  for (const auto& poll : operation.early_polls) {
    early.push_back({{"sequence", poll.sequence}, {"earlyByMs", poll.early_by.count()}});
  }
  return {{"operationId", operation.operation_id},
          {"location", operation.location},
          {"polls", operation.polls},
          {"earlyPolls", std::move(early)},
          {"pollsAfterSuccess", operation.polls_after_success},
          {"failedOperationRetries", operation.failed_operation_retries},
          {"pollsToOtherUrl", operation.polls_to_other_url},
          {"ignored429s", operation.ignored_429s},
          {"requestsWithoutClientRequestId", operation.requests_without_client_request_id},
          {"honouredRetryAfter", operation.honoured_retry_after()},
          {"clean", operation.clean()}};
}

ordered_json to_json(const ClientReport& report) {
  ordered_json operations = ordered_json::array();
  for (const auto& operation : report.operations) operations.push_back(to_json(operation));
  return {{"honouredRetryAfter", report.honoured_retry_after()},
          {"clean", report.clean()},
          {"graphRequests", report.graph_requests},
          {"requestsWithoutClientRequestId", report.requests_without_client_request_id},
          {"ignoredExport429s", report.ignored_export_429s},
          {"pollsOfUnknownOperations", report.polls_of_unknown_operations},
          {"journalDropped", report.journal_dropped},
          {"operations", std::move(operations)}};
}

JournalQuery journal_query_from(const std::multimap<std::string, std::string>& parameters) {
  JournalQuery query;
  for (const auto& [name, value] : parameters) {
    if (name == "method") {
      query.method = value;
    } else if (name == "path") {
      query.path_pattern = value;
    } else if (name == "operationId") {
      query.operation_id = value;
    } else if (name == "endpoint") {
      query.endpoint = value;
    } else if (name == "invoiceId") {
      query.invoice_id = value;
    } else if (name == "status") {
      int status = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), status);
      if (ec != std::errc() || end != value.data() + value.size()) {
        throw bad_body(fmt::format("'status' must be an HTTP status code, not '{}'.", value));
      }
      query.status = status;
    } else {
      throw bad_body(fmt::format(
          "'{}' is not a journal filter; use method, path, operationId, status, endpoint or invoiceId.", name));
    }
  }
  return query;
}

PhaseOrder phase_order_from(std::string_view body) {
  const json object = object_body(body);
  PhaseOrder order;
  for (const auto& [name, value] : object.items()) {
    if (name == "phase") {
      if (!value.is_number_unsigned()) throw bad_body("'phase' must be a timeline index (a whole number).");
      order.phase = value.get<std::size_t>();
    } else if (name == "status") {
      if (!value.is_string()) throw bad_body("'status' must be \"succeeded\" or \"failed\".");
      order.status = value.get<std::string>();
    } else if (name == "error") {
      order.error_code = required(value, "code", json::value_t::string, "a string").get<std::string>();
      order.error_message = required(value, "message", json::value_t::string, "a string").get<std::string>();
    } else {
      throw bad_body(fmt::format("'{}' is not part of a phase order; give 'phase', or 'status' (and 'error').", name));
    }
  }
  return order;
}

std::variant<std::vector<ScenarioSource>, std::vector<std::string>> scenarios_from(std::string_view body) {
  const json object = object_body(body);
  if (object.contains("files") == object.contains("paths") || object.size() != 1) {
    throw bad_body("Give either 'files' (each a name and its content) or 'paths' (files on the fake's machine).");
  }
  if (object.contains("paths")) {
    const json& paths = required(object, "paths", json::value_t::array, "an array of paths");
    std::vector<std::string> out;
    for (const auto& path : paths) {
      if (!path.is_string()) throw bad_body("'paths' must hold strings.");
      out.push_back(path.get<std::string>());
    }
    return out;
  }
  const json& files = required(object, "files", json::value_t::array, "an array of {\"name\", \"content\"}");
  std::vector<ScenarioSource> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const json& file = files[i];
    if (!file.is_object() || !file.contains("name") || !file["name"].is_string() || !file.contains("content")) {
      throw bad_body(fmt::format("files[{}] must be {{\"name\": \"...\", \"content\": {{...}}}}.", i));
    }
    // A string is taken as the file's text; anything else as its JSON.
    const json& content = file["content"];
    out.push_back(ScenarioSource{file["name"].get<std::string>(),
                                 content.is_string() ? content.get<std::string>() : content.dump()});
  }
  return out;
}

std::chrono::milliseconds clock_advance_from(std::string_view body) {
  const json object = object_body(body);
  const json& by = required(object, "by", json::value_t::string, "a duration like \"90s\"");
  // A year at a time at most: far beyond any test, and well inside what the clock can count.
  constexpr std::chrono::milliseconds kLongest = std::chrono::hours(24 * 366);
  const auto span = core::parse_duration(by.get<std::string>());
  if (span && *span > kLongest) throw bad_body(fmt::format("'by' is at most a year (\"8784h\"), not {}.", by.dump()));
  if (!span) throw bad_body(fmt::format("'by' must be a duration like \"250ms\", \"90s\", \"5m\" or \"2h\", not {}.",
                                        by.dump()));
  return *span;
}

TimePoint clock_setting_from(std::string_view body) {
  const json object = object_body(body);
  const json& now = required(object, "now", json::value_t::string, "a time like \"2025-01-01T00:05:00Z\"");
  const auto& text = now.get_ref<const std::string&>();
  // The clock counts nanoseconds in 64 bits (1677 to 2262): the year is
  // checked on the text, before a far one could overflow the conversion.
  if (text.size() >= 4 && (text.compare(0, 4, "1970") < 0 || text.compare(0, 4, "2200") > 0)) {
    throw bad_body(fmt::format("'now' must be between 1970 and 2200, not {}.", now.dump()));
  }
  const auto at = core::parse_rfc3339(text);
  if (!at) throw bad_body(fmt::format("'now' must be a time like \"2025-01-01T00:05:00Z\", not {}.", now.dump()));
  return *at;
}

std::string namespace_name_from(std::string_view body) {
  const json object = object_body(body);
  return required(object, "name", json::value_t::string, "the namespace's name").get<std::string>();
}

}  // namespace graphfake::domain
