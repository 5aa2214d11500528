// The admin values as text for people and other programs: a journal entry
// on one line, a client report as JSON and as tables.
#include <ostream>

#include "admin/admin_json.h"
#include "core/strings.h"
#include "core/time_format.h"
#include "domain/client_report.h"
#include "graphfake/journal.h"
#include "graphfake/report.h"

namespace graphfake {

void PrintTo(const JournalEntry& entry, std::ostream* os) {
  const auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
  const bool whole_second = std::chrono::floor<std::chrono::seconds>(entry.at) == entry.at;
  *os << "#" << entry.sequence << " at "
      << (whole_second ? core::rfc3339_seconds(entry.at) : core::rfc3339_ms(entry.at)) << " " << entry.method << " "
      << entry.path << (entry.query.empty() ? "" : "?") << entry.query << " -> ";
  if (entry.status == 0) {
    *os << "connection closed";
  } else {
    *os << entry.status;
  }
  *os << " (" << entry.endpoint;
  if (!entry.operation_id.empty()) *os << ", operation " << quoted(entry.operation_id);
  if (entry.operation_status) *os << " " << *entry.operation_status;
  for (const auto& [name, value] : entry.response_headers) {
    if (core::ascii_lower(name) == "retry-after") *os << ", Retry-After " << value;
  }
  if (!entry.invoice_id.empty()) *os << ", invoice " << quoted(entry.invoice_id);
  if (!entry.scenario_rule.empty()) *os << ", rule " << quoted(entry.scenario_rule);
  if (!entry.nearest_route.empty()) *os << ", meant " << entry.nearest_route;
  if (!entry.fault.empty()) *os << ", fault: " << entry.fault;
  *os << ")";
}

std::string report_json(const ClientReport& report, int indent) {
  return admin::to_json(report).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string report_tables(const ClientReport& report) { return domain::summary_table(report); }

}  // namespace graphfake
