#pragma once

// The admin surface's values as JSON (docs/admin-api.md), and admin request
// bodies read back into values. Bad bodies throw AdminError (400) naming the
// member and what was expected.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake::admin {

nlohmann::ordered_json to_json(const OperationInfo& operation);
nlohmann::ordered_json to_json(const JournalEntry& entry);
nlohmann::ordered_json to_json(const ScenarioFileInfo& file);
nlohmann::ordered_json to_json(const OperationBehaviour& operation);
nlohmann::ordered_json to_json(const ClientReport& report);
nlohmann::ordered_json to_json(const ExportTotals& totals);

// Query parameters (method, path, operationId, status, endpoint,
// invoiceId); the paging parameters $top and $skip are left to page_from,
// any other is refused, as is a parameter given twice.
JournalQuery journal_query_from(const std::multimap<std::string, std::string>& parameters);
// $top and $skip, each at most once; any other parameter is left alone.
// Admin checks the range.
Page page_from(const std::multimap<std::string, std::string>& parameters);
// The operations listing's: $top and $skip, and no other parameter.
Page operations_page_from(const std::multimap<std::string, std::string>& parameters);

// A reset's body: none, or an empty object.
void check_reset_body(std::string_view body);

// A page of a listing, with "@odata.nextLink" when there is a next one:
// `url` (the listing's, without its query) with `parameters`, its filters,
// and the next page's $top and $skip.
// {"count" (on this page), "total", "dropped", "entries": [...]}
nlohmann::ordered_json to_json(const JournalPage& page, std::string_view url,
                               const std::multimap<std::string, std::string>& parameters);
// {"operations": [...], "total", "evicted"}
nlohmann::ordered_json to_json(const OperationPage& page, std::string_view url,
                               const std::multimap<std::string, std::string>& parameters);

PhaseOrder phase_order_from(std::string_view body);

// {"files": [{"name": "...", "content": {...}}]} or {"paths": ["..."]}.
std::variant<std::vector<ScenarioSource>, std::vector<std::string>> scenarios_from(std::string_view body);

// What a file given by content may be named: what a file on disk could.
inline constexpr std::size_t kMaxScenarioNameBytes = 255;
// Why `name` cannot name a scenario file given by content, if it cannot:
// empty, longer than kMaxScenarioNameBytes, or holding a NUL or a '/'.
std::optional<std::string> scenario_name_problem(std::string_view name);

// {"by": "90s"}
std::chrono::milliseconds clock_advance_from(std::string_view body);
// {"now": "2025-01-01T00:05:00Z"}
TimePoint clock_setting_from(std::string_view body);
// {"name": "shard-1"}
std::string namespace_name_from(std::string_view body);

// The other direction, for HttpAdmin: the admin surface's answers read back
// into values. Each throws std::runtime_error naming the member it could not
// read, for an answer that is not what this version of graphfake sends.
OperationInfo operation_from(const nlohmann::json& json);
JournalEntry journal_entry_from(const nlohmann::json& json);
std::vector<ScenarioFileInfo> scenario_files_from(const nlohmann::json& json);  // {"files": [...]}
ClientReport report_from(const nlohmann::json& json);
ExportTotals totals_from(const nlohmann::json& json);
// `asked` is the page requested: the next one follows on from it.
JournalPage journal_page_from(const nlohmann::json& json, Page asked);
OperationPage operation_page_from(const nlohmann::json& json, Page asked);
TimePoint time_from(const nlohmann::json& json);  // {"now": "..."}

// And what an Admin call sends: journal_query_from's parameters, a phase
// order's body, a clock setting's and advance's bodies, scenario loads.
std::multimap<std::string, std::string> parameters_of(const JournalQuery& query);
std::string body_of(const PhaseOrder& order);
std::string clock_setting_body(TimePoint to);
std::string clock_advance_body(std::chrono::milliseconds by);
std::string scenarios_body(const std::vector<ScenarioSource>& sources);
std::string scenario_paths_body(const std::vector<std::string>& paths);

}  // namespace graphfake::admin
