#include "admin/admin_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <limits>
#include <optional>

#include "core/duration.h"
#include "core/excerpt.h"
#include "core/json_input.h"
#include "core/time_format.h"
#include "domain/journal.h"
#include "domain/operation_store.h"
#include "model/export_kinds.h"
#include "namespaces/fake_namespace.h"
#include "model/operation_status.h"
#include "scenario/scenario.h"

namespace graphfake::admin {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json headers_json(const HeaderPairs& headers) {
  ordered_json out = ordered_json::array();
  for (const auto& [name, value] : headers) out.push_back({{"name", name}, {"value", value}});
  return out;
}

AdminError bad_body(const std::string& message) { return AdminError(400, "badRequest", message); }


// Admin bodies are flat objects (core::kRequestBodyLimits), but for a
// scenario file's content given inline, which may nest as deep as the file
// could: {"files": [{"content": …}]} holds it 3 levels down.
constexpr core::JsonLimits kScenarioBodyLimits{.max_depth = 3 + scenario::kMaxDepth};

json object_body(std::string_view body, core::JsonLimits limits = core::kRequestBodyLimits) {
  auto parsed = core::read_json(body, limits);
  if (const auto* problem = std::get_if<core::JsonProblem>(&parsed)) {
    throw bad_body(fmt::format("The body is not JSON: {}.", problem->reason));
  }
  auto& object = std::get<json>(parsed);
  if (!object.is_object()) throw bad_body("The body must be a JSON object.");
  return std::move(object);
}

const json& required(const json& object, const char* name, json::value_t type, const char* what) {
  const auto it = object.find(name);
  if (it == object.end() || it->type() != type) throw bad_body(fmt::format("'{}' must be {}.", name, what));
  return *it;
}

// Refuses any property of `object` but `allowed`, naming the first other.
void only(const json& object, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (const auto& [name, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string expected;
    for (const auto known : allowed) expected += fmt::format("{}'{}'", expected.empty() ? "" : " and ", known);
    throw bad_body(fmt::format("'{}' is not part of {}, which takes {}.", core::text_excerpt(name), what,
                               expected.empty() ? "nothing" : expected));
  }
}

// A query parameter's value, refusing one given twice: which should win
// cannot be told.
const std::string* single(const std::multimap<std::string, std::string>& parameters, const std::string& name) {
  const auto [first, last] = parameters.equal_range(name);
  if (first == last) return nullptr;
  if (std::next(first) != last) throw bad_body(fmt::format("'{}' is given more than once; give it once.", name));
  return &first->second;
}

// "$top", "$skip" and the filters `filters` take; any other parameter is
// refused rather than ignored (and carried into @odata.nextLink).
void only_parameters(const std::multimap<std::string, std::string>& parameters,
                     std::initializer_list<std::string_view> filters, std::string_view listing) {
  for (const auto& [name, value] : parameters) {
    if (name == "$top" || name == "$skip" ||
        std::find(filters.begin(), filters.end(), name) != filters.end()) {
      continue;
    }
    std::string known;
    for (const auto filter : filters) known += std::string(filter) + ", ";
    throw bad_body(fmt::format("'{}' is not a parameter of {}; use {}$top and $skip.", core::text_excerpt(name),
                               listing, known));
  }
}

}  // namespace

ordered_json to_json(const OperationInfo& operation) {
  ordered_json history = ordered_json::array();
  for (const auto& phase : operation.history) {
    history.push_back({{"status", to_string(phase.status)}, {"enteredDateTime", core::rfc3339_ms(phase.entered_at)}});
  }
  ordered_json json{{"id", operation.id}, {"kind", to_string(operation.kind)}, {"apiVersion", operation.api_version}};
  // An export's parameters, as its kind takes them.
  if (operation.currency_code.empty()) {
    json["invoiceId"] = operation.invoice_id;
  } else {
    json["currencyCode"] = operation.currency_code;
    json["billingPeriod"] = operation.billing_period;
  }
  json["attributeSet"] = operation.attribute_set;
  json["status"] = to_string(operation.status);
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
          {"kind", to_string(totals.kind)},
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
                      {"endpoint", to_string(entry.endpoint)},
                      {"operationId", entry.operation_id},
                      {"operationStatus", entry.operation_status ? to_string(*entry.operation_status) : ""},
                      {"scenarioRule", entry.scenario_rule},
                      {"invoiceId", entry.invoice_id}};
  if (!entry.nearest_route.empty()) out["nearestRoute"] = entry.nearest_route;
  if (!entry.fault.empty()) out["fault"] = entry.fault;
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
  only_parameters(parameters, {"method", "path", "operationId", "status", "endpoint", "invoiceId"}, "the journal");
  JournalQuery query;
  if (const auto* method = single(parameters, "method")) query.method = *method;
  if (const auto* path = single(parameters, "path")) query.path_pattern = *path;
  if (const auto* id = single(parameters, "operationId")) query.operation_id = *id;
  if (const auto* endpoint = single(parameters, "endpoint")) {
    query.endpoint = domain::endpoint_named(*endpoint);
    if (!query.endpoint) {
      throw bad_body(fmt::format("'endpoint' must be export, operation, manifest, blob, unsupported or unmatched, "
                                 "not '{}'.",
                                 core::text_excerpt(*endpoint)));
    }
  }
  if (const auto* invoice = single(parameters, "invoiceId")) query.invoice_id = *invoice;
  if (const auto* value = single(parameters, "status")) {
    // Digits only: 0 is what a dropped connection is journaled with.
    unsigned status = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), status);
    const bool digits = !value->empty() && ec == std::errc() && end == value->data() + value->size();
    if (!digits || (status != 0 && (status < 100 || status > 599))) {
      throw bad_body(fmt::format("'status' must be an HTTP status code from 100 to 599, or 0 for a connection "
                                 "closed without an answer; not '{}'.",
                                 core::text_excerpt(*value)));
    }
    query.status = static_cast<int>(status);
  }
  return query;
}

Page page_from(const std::multimap<std::string, std::string>& parameters) {
  Page page;
  for (const std::string name : {"$top", "$skip"}) {
    const auto* value = single(parameters, name);
    if (value == nullptr) continue;
    std::size_t number = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
    const bool digits = !value->empty() && end == value->data() + value->size() &&
                        std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && ec == std::errc::result_out_of_range) {
      const auto most = name == "$top" ? Page::kMaxTop : std::numeric_limits<std::size_t>::max();
      throw bad_body(fmt::format("'{}' is too large: at most {}, not '{}'.", name, most, core::text_excerpt(*value)));
    }
    if (!digits || ec != std::errc()) {
      throw bad_body(fmt::format("'{}' must be a whole number, not '{}'.", name, core::text_excerpt(*value)));
    }
    (name == "$top" ? page.top : page.skip) = number;
  }
  return page;
}

Page operations_page_from(const std::multimap<std::string, std::string>& parameters) {
  only_parameters(parameters, {}, "the operations listing");
  return page_from(parameters);
}

void check_reset_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
  only(object_body(body), {}, "a reset");
}

namespace {

std::string query_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || std::string_view("-._~*/$").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The listing's URL again with the same filters, for the next page.
std::string next_link(std::string_view url, const std::multimap<std::string, std::string>& parameters, Page next) {
  std::string link = std::string(url) + "?";
  for (const auto& [name, value] : parameters) {
    if (name == "$top" || name == "$skip") continue;
    link += query_encoded(name) + "=" + query_encoded(value) + "&";
  }
  return link + fmt::format("$top={}&$skip={}", next.top, next.skip);
}

}  // namespace

ordered_json to_json(const JournalPage& page, std::string_view url,
                     const std::multimap<std::string, std::string>& parameters) {
  ordered_json entries = ordered_json::array();
  for (const auto& entry : page.entries) entries.push_back(to_json(entry));
  ordered_json out = {{"count", page.entries.size()},
                      {"total", page.total},
                      {"dropped", page.dropped},
                      {"entries", std::move(entries)}};
  if (page.next) out["@odata.nextLink"] = next_link(url, parameters, *page.next);
  return out;
}

ordered_json to_json(const OperationPage& page, std::string_view url,
                     const std::multimap<std::string, std::string>& parameters) {
  ordered_json operations = ordered_json::array();
  for (const auto& operation : page.operations) operations.push_back(to_json(operation));
  ordered_json out = {{"operations", std::move(operations)}, {"total", page.total}, {"evicted", page.evicted}};
  if (page.next) out["@odata.nextLink"] = next_link(url, parameters, *page.next);
  return out;
}

std::optional<std::string> scenario_name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxScenarioNameBytes) {
    return fmt::format("must be 1 to {} bytes", kMaxScenarioNameBytes);
  }
  if (name.find('\0') != std::string_view::npos || name.find('/') != std::string_view::npos) {
    return "must not hold a NUL byte or '/'";
  }
  return std::nullopt;
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
      const auto& status = value.get_ref<const std::string&>();
      order.status = model::operation_status_named(status);
      if (!order.status) throw domain::unforceable_status(status);
    } else if (name == "error") {
      order.error_code = required(value, "code", json::value_t::string, "a string").get<std::string>();
      order.error_message = required(value, "message", json::value_t::string, "a string").get<std::string>();
    } else {
      throw bad_body(fmt::format("'{}' is not part of a phase order; give 'phase', or 'status' (and 'error').",
                                 core::text_excerpt(name)));
    }
  }
  return order;
}

std::variant<std::vector<ScenarioSource>, std::vector<std::string>> scenarios_from(std::string_view body) {
  const json object = object_body(body, kScenarioBodyLimits);
  if (object.contains("files") == object.contains("paths") || object.size() != 1) {
    throw bad_body("Give either 'files' (each a name and its content) or 'paths' (files on the fake's machine).");
  }
  if (object.contains("paths")) {
    const json& paths = required(object, "paths", json::value_t::array, "an array of paths");
    std::vector<std::string> out;
    for (const auto& path : paths) {
      // A NUL would end the path where the system reads it, naming another file.
      if (!path.is_string() || path.get_ref<const std::string&>().empty() ||
          path.get_ref<const std::string&>().find('\0') != std::string::npos) {
        throw bad_body(fmt::format("'paths' must hold non-empty paths without a NUL byte, not {}.",
                                   core::json_excerpt(path)));
      }
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
    only(file, {"name", "content"}, fmt::format("files[{}]", i));
    const auto& name = file["name"].get_ref<const std::string&>();
    if (const auto problem = scenario_name_problem(name)) {
      throw bad_body(fmt::format("files[{}].name {}, not {}.", i, *problem, core::json_excerpt(file["name"])));
    }
    // A string is taken as the file's text; anything else as its JSON.
    const json& content = file["content"];
    out.push_back(ScenarioSource{name, content.is_string() ? content.get<std::string>() : content.dump()});
  }
  return out;
}

std::chrono::milliseconds clock_advance_from(std::string_view body) {
  const json object = object_body(body);
  only(object, {"by"}, "a clock advance");
  const json& by = required(object, "by", json::value_t::string, "a duration like \"90s\"");
  // Up to twelve digits, so that any advance the clock can make is written
  // in some unit (HttpAdmin sends the largest that is exact). One longer than
  // the clock's whole range passes its end from anywhere: refused as the
  // clock refuses it, before a conversion to its nanoseconds could overflow.
  const auto span = core::parse_duration(by.get<std::string>(), 12);
  const auto whole_range = VirtualClock::latest() - core::earliest_clock_time();
  if (span && *span > std::chrono::duration_cast<std::chrono::milliseconds>(whole_range)) {
    throw AdminError(400, "badClockMove", std::string(namespaces::kClockMovePastTheEnd));
  }
  if (!span) throw bad_body(fmt::format("'by' must be a duration like \"250ms\", \"90s\", \"5m\" or \"2h\", not {}.",
                                        core::json_excerpt(by)));
  return *span;
}

TimePoint clock_setting_from(std::string_view body) {
  const json object = object_body(body);
  only(object, {"now"}, "a clock setting");
  const json& now = required(object, "now", json::value_t::string, "a time like \"2025-01-01T00:05:00Z\"");
  auto at = core::parse_clock_time(now.get_ref<const std::string&>());
  if (const auto* problem = std::get_if<std::string>(&at)) {
    throw bad_body(fmt::format("'now' {}, not {}.", *problem, core::json_excerpt(now)));
  }
  return std::get<TimePoint>(at);
}

std::string namespace_name_from(std::string_view body) {
  const json object = object_body(body);
  only(object, {"name"}, "a namespace");
  return required(object, "name", json::value_t::string, "the namespace's name").get<std::string>();
}

}  // namespace graphfake::admin

namespace graphfake::admin {
namespace {

// nlohmann's own messages name neither the member nor the answer: these do.
[[noreturn]] void unreadable(std::string_view what) {
  throw std::runtime_error(fmt::format("graphfake's admin answer is not what this version reads: {}.", what));
}

const json& member(const json& object, const char* name) {
  if (!object.is_object()) unreadable(fmt::format("expected an object holding '{}'", name));
  const auto it = object.find(name);
  if (it == object.end()) unreadable(fmt::format("'{}' is missing", name));
  return *it;
}

std::string text(const json& object, const char* name) {
  const auto& value = member(object, name);
  if (!value.is_string()) unreadable(fmt::format("'{}' is not a string", name));
  return value.get<std::string>();
}

std::string text_or_empty(const json& object, const char* name) {
  return object.contains(name) ? text(object, name) : std::string();
}

template <typename Number>
Number number(const json& object, const char* name) {
  const auto& value = member(object, name);
  if (!value.is_number_integer()) unreadable(fmt::format("'{}' is not a whole number", name));
  return value.get<Number>();
}

TimePoint instant(const json& object, const char* name) {
  const auto at = core::parse_rfc3339(text(object, name));
  if (!at) unreadable(fmt::format("'{}' is not an RFC 3339 time", name));
  return *at;
}

// A member holding one of an enum's names, read with `lookup`.
template <typename Lookup>
auto named(const json& object, const char* name, Lookup lookup) {
  const auto value = lookup(text(object, name));
  if (!value) unreadable(fmt::format("'{}' is not one of the names it may hold", name));
  return *value;
}

const json& array(const json& object, const char* name) {
  const auto& value = member(object, name);
  if (!value.is_array()) unreadable(fmt::format("'{}' is not an array", name));
  return value;
}

HeaderPairs headers_from(const json& list) {
  HeaderPairs headers;
  for (const auto& header : list) headers.emplace_back(text(header, "name"), text(header, "value"));
  return headers;
}

std::optional<Page> next_page(const json& page, Page asked, std::size_t listed) {
  if (!page.contains("@odata.nextLink")) return std::nullopt;
  return Page{asked.skip + listed, asked.top};
}

AmountSums sums_from(const json& group, const std::vector<std::string>& columns) {
  AmountSums sums;
  sums.rows = number<std::uint64_t>(group, "rows");
  for (const auto& column : columns) sums.sums.push_back(text(group, column.c_str()));
  return sums;
}

}  // namespace

OperationInfo operation_from(const json& json) {
  OperationInfo operation;
  operation.id = text(json, "id");
  operation.kind = named(json, "kind", model::export_kind_named);
  operation.api_version = text(json, "apiVersion");
  operation.invoice_id = text_or_empty(json, "invoiceId");
  operation.currency_code = text_or_empty(json, "currencyCode");
  operation.billing_period = text_or_empty(json, "billingPeriod");
  operation.attribute_set = text(json, "attributeSet");
  operation.status = named(json, "status", model::operation_status_named);
  operation.phase = number<std::size_t>(json, "phase");
  operation.phase_count = number<std::size_t>(json, "phaseCount");
  operation.polls = number<std::uint64_t>(json, "polls");
  operation.created_at = instant(json, "createdDateTime");
  for (const auto& phase : array(json, "history")) {
    operation.history.push_back(
        PhaseRecord{named(phase, "status", model::operation_status_named), instant(phase, "enteredDateTime")});
  }
  operation.scenario_rule = text(json, "scenarioRule");
  operation.manifest_id = text(json, "manifestId");
  return operation;
}

JournalEntry journal_entry_from(const json& json) {
  JournalEntry entry;
  entry.sequence = number<std::uint64_t>(json, "sequence");
  entry.at = instant(json, "dateTime");
  entry.method = text(json, "method");
  entry.path = text(json, "path");
  entry.query = text(json, "query");
  entry.request_headers = headers_from(array(json, "requestHeaders"));
  entry.request_body = text(json, "requestBody");
  entry.status = number<int>(json, "status");
  entry.response_headers = headers_from(array(json, "responseHeaders"));
  entry.endpoint = named(json, "endpoint", domain::endpoint_named);
  entry.operation_id = text(json, "operationId");
  if (!text(json, "operationStatus").empty())
    entry.operation_status = named(json, "operationStatus", model::operation_status_named);
  entry.scenario_rule = text(json, "scenarioRule");
  entry.invoice_id = text(json, "invoiceId");
  entry.nearest_route = text_or_empty(json, "nearestRoute");
  entry.fault = text_or_empty(json, "fault");
  return entry;
}

std::vector<ScenarioFileInfo> scenario_files_from(const json& json) {
  std::vector<ScenarioFileInfo> files;
  for (const auto& file : array(json, "files")) {
    ScenarioFileInfo info{text(file, "name"), {}};
    for (const auto& rule : array(file, "rules")) {
      if (!rule.is_string()) unreadable("a rule name is not a string");
      info.rules.push_back(rule.get<std::string>());
    }
    files.push_back(std::move(info));
  }
  return files;
}

ClientReport report_from(const json& json) {
  ClientReport report;
  for (const auto& item : array(json, "operations")) {
    OperationBehaviour operation;
    operation.operation_id = text(item, "operationId");
    operation.location = text(item, "location");
    operation.polls = number<std::uint64_t>(item, "polls");
    for (const auto& early : array(item, "earlyPolls")) {
      operation.early_polls.push_back(EarlyPoll{number<std::uint64_t>(early, "sequence"),
                                                std::chrono::milliseconds(number<std::int64_t>(early, "earlyByMs"))});
    }
    operation.polls_after_success = number<std::uint64_t>(item, "pollsAfterSuccess");
    operation.failed_operation_retries = number<std::uint64_t>(item, "failedOperationRetries");
    operation.polls_to_other_url = number<std::uint64_t>(item, "pollsToOtherUrl");
    operation.ignored_429s = number<std::uint64_t>(item, "ignored429s");
    operation.requests_without_client_request_id = number<std::uint64_t>(item, "requestsWithoutClientRequestId");
    report.operations.push_back(std::move(operation));
  }
  report.graph_requests = number<std::uint64_t>(json, "graphRequests");
  report.requests_without_client_request_id = number<std::uint64_t>(json, "requestsWithoutClientRequestId");
  report.ignored_export_429s = number<std::uint64_t>(json, "ignoredExport429s");
  report.polls_of_unknown_operations = number<std::uint64_t>(json, "pollsOfUnknownOperations");
  report.journal_dropped = number<std::uint64_t>(json, "journalDropped");
  return report;
}

ExportTotals totals_from(const json& json) {
  ExportTotals totals;
  totals.operation_id = text(json, "operationId");
  totals.kind = named(json, "kind", model::export_kind_named);
  for (const auto& column : array(json, "columns")) {
    if (!column.is_string()) unreadable("a column name is not a string");
    totals.columns.push_back(column.get<std::string>());
  }
  totals.scale = number<int>(json, "scale");
  totals.all = sums_from(member(json, "all"), totals.columns);
  for (const auto& group : array(json, "byCurrency")) {
    totals.by_currency.push_back({text(group, "currency"), sums_from(group, totals.columns)});
  }
  for (const auto& group : array(json, "byCustomer")) {
    totals.by_customer.push_back({text(group, "customerId"), text(group, "customerName"), text(group, "currency"),
                                  sums_from(group, totals.columns)});
  }
  return totals;
}

JournalPage journal_page_from(const json& json, Page asked) {
  JournalPage page;
  for (const auto& entry : array(json, "entries")) page.entries.push_back(journal_entry_from(entry));
  page.total = number<std::size_t>(json, "total");
  page.dropped = number<std::uint64_t>(json, "dropped");
  page.next = next_page(json, asked, page.entries.size());
  return page;
}

OperationPage operation_page_from(const json& json, Page asked) {
  OperationPage page;
  for (const auto& operation : array(json, "operations")) page.operations.push_back(operation_from(operation));
  page.total = number<std::size_t>(json, "total");
  page.evicted = number<std::uint64_t>(json, "evicted");
  page.next = next_page(json, asked, page.operations.size());
  return page;
}

TimePoint time_from(const json& json) { return instant(json, "now"); }

std::multimap<std::string, std::string> parameters_of(const JournalQuery& query) {
  std::multimap<std::string, std::string> parameters;
  if (query.method) parameters.emplace("method", *query.method);
  if (query.path_pattern) parameters.emplace("path", *query.path_pattern);
  if (query.operation_id) parameters.emplace("operationId", *query.operation_id);
  if (query.status) parameters.emplace("status", std::to_string(*query.status));
  if (query.endpoint) parameters.emplace("endpoint", to_string(*query.endpoint));
  if (query.invoice_id) parameters.emplace("invoiceId", *query.invoice_id);
  return parameters;
}

std::string body_of(const PhaseOrder& order) {
  ordered_json body = ordered_json::object();
  if (order.phase) body["phase"] = *order.phase;
  if (order.status) {
    body["status"] = to_string(*order.status);
    body["error"] = {{"code", order.error_code}, {"message", order.error_message}};
  }
  return body.dump();
}

std::string clock_setting_body(TimePoint to) { return ordered_json{{"now", core::rfc3339_nanoseconds(to)}}.dump(); }

std::string clock_advance_body(std::chrono::milliseconds by) {
  // The largest unit that writes it exactly, so that it takes the fewest digits.
  using namespace std::chrono;
  std::string text = fmt::format("{}ms", by.count());
  if (by % hours(1) == milliseconds(0)) {
    text = fmt::format("{}h", duration_cast<hours>(by).count());
  } else if (by % minutes(1) == milliseconds(0)) {
    text = fmt::format("{}m", duration_cast<minutes>(by).count());
  } else if (by % seconds(1) == milliseconds(0)) {
    text = fmt::format("{}s", duration_cast<seconds>(by).count());
  }
  return ordered_json{{"by", text}}.dump();
}

std::string scenarios_body(const std::vector<ScenarioSource>& sources) {
  ordered_json files = ordered_json::array();
  // As text: the fake reads it exactly as it would read the file, errors
  // included.
  for (const auto& source : sources) files.push_back({{"name", source.name}, {"content", source.text}});
  return ordered_json{{"files", std::move(files)}}.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string scenario_paths_body(const std::vector<std::string>& paths) {
  return ordered_json{{"paths", paths}}.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace graphfake::admin
