#pragma once

// The admin surface's values as JSON (docs/admin-api.md), and admin request
// bodies read back into values. Bad bodies throw AdminError (400) naming the
// member and what was expected.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake::domain {

nlohmann::ordered_json to_json(const OperationInfo& operation);
nlohmann::ordered_json to_json(const JournalEntry& entry);
nlohmann::ordered_json to_json(const ScenarioFileInfo& file);
nlohmann::ordered_json to_json(const OperationBehaviour& operation);
nlohmann::ordered_json to_json(const ClientReport& report);
nlohmann::ordered_json to_json(const ExportTotals& totals);

// Query parameters (method, path, operationId, status, endpoint).
JournalQuery journal_query_from(const std::multimap<std::string, std::string>& parameters);

PhaseOrder phase_order_from(std::string_view body);

// {"files": [{"name": "...", "content": {...}}]} or {"paths": ["..."]}.
std::variant<std::vector<ScenarioSource>, std::vector<std::string>> scenarios_from(std::string_view body);

// {"by": "90s"}
std::chrono::milliseconds clock_advance_from(std::string_view body);
// {"now": "2025-01-01T00:05:00Z"}
TimePoint clock_setting_from(std::string_view body);
// {"name": "shard-1"}
std::string namespace_name_from(std::string_view body);

}  // namespace graphfake::domain
