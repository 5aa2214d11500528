#include "graphfake/admin.h"

#include <ostream>

#include "core/strings.h"
#include "core/time_format.h"
#include "domain/client_report.h"
#include "domain/fake_namespace.h"

namespace graphfake {

void PrintTo(const JournalEntry& entry, std::ostream* os) {
  const auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
  const bool whole_second = std::chrono::floor<std::chrono::seconds>(entry.at) == entry.at;
  *os << "#" << entry.sequence << " at " << (whole_second ? core::rfc3339_seconds(entry.at) : core::rfc3339_ms(entry.at))
      << " " << entry.method << " " << entry.path
      << (entry.query.empty() ? "" : "?") << entry.query << " -> ";
  if (entry.status == 0) {
    *os << "connection closed";
  } else {
    *os << entry.status;
  }
  *os << " (" << entry.endpoint;
  if (!entry.operation_id.empty()) *os << ", operation " << quoted(entry.operation_id);
  if (!entry.operation_status.empty()) *os << " " << entry.operation_status;
  for (const auto& [name, value] : entry.response_headers) {
    if (core::ascii_lower(name) == "retry-after") *os << ", Retry-After " << value;
  }
  if (!entry.invoice_id.empty()) *os << ", invoice " << quoted(entry.invoice_id);
  if (!entry.scenario_rule.empty()) *os << ", rule " << quoted(entry.scenario_rule);
  if (!entry.nearest_route.empty()) *os << ", meant " << entry.nearest_route;
  *os << ")";
}

Admin::Admin(std::shared_ptr<domain::FakeNamespace> state) : state_(std::move(state)) {}

void Admin::reset() { state_->reset(); }

std::vector<ScenarioFileInfo> Admin::scenarios() const { return state_->service()->scenario_files(); }

void Admin::load_scenarios(const std::vector<ScenarioSource>& sources, Load how) {
  state_->load_scenarios(domain::load_scenario_set(sources, state_->options()), how);
}

void Admin::load_scenario_files(const std::vector<std::string>& paths, Load how) {
  state_->load_scenarios(domain::load_scenario_set(paths, state_->options()), how);
}

TimePoint Admin::now() const { return state_->now(); }

void Admin::advance_clock(std::chrono::milliseconds by) { state_->advance_clock(by); }

void Admin::set_clock(TimePoint to) { state_->set_clock(to); }

namespace {

Page checked(Page page) {
  if (page.top == 0 || page.top > Page::kMaxTop) {
    throw AdminError(400, "badRequest",
                     "A page holds 1 to " + std::to_string(Page::kMaxTop) + " items ($top), not " +
                         std::to_string(page.top) + ".");
  }
  return page;
}

}  // namespace

std::vector<OperationInfo> Admin::operations() const { return state_->service()->operations(state_->now()); }

OperationPage Admin::operations_page(Page page) const {
  return state_->service()->operations(state_->now(), checked(page));
}

OperationInfo Admin::operation(const std::string& id) const {
  return state_->service()->known_operation(id, state_->now());
}

OperationInfo Admin::force(const std::string& id, const PhaseOrder& order) {
  return state_->service()->force(id, order, state_->now());
}

ExportTotals Admin::expected_totals(const std::string& operation_id) const {
  return state_->service()->expected_totals(operation_id, state_->now());
}

namespace {

// Operation ids compare as Graph compares keys: without regard to case.
JournalQuery normalised(JournalQuery query) {
  if (query.operation_id) query.operation_id = core::ascii_lower(*query.operation_id);
  return query;
}

}  // namespace

std::vector<JournalEntry> Admin::journal(const JournalQuery& query) const {
  return state_->journal()->entries(normalised(query));
}

JournalPage Admin::journal_page(const JournalQuery& query, Page page) const {
  return state_->journal()->page(normalised(query), checked(page));
}

std::size_t Admin::count(const JournalQuery& query) const { return state_->journal()->count(normalised(query)); }

std::uint64_t Admin::journal_dropped() const { return state_->journal()->dropped(); }

std::size_t Admin::journal_bytes() const { return state_->journal()->bytes(); }

ClientReport Admin::client_report() const { return domain::client_report(*state_->journal()); }

}  // namespace graphfake
