#include "graphfake/admin.h"

#include "core/strings.h"
#include "domain/client_report.h"
#include "namespaces/fake_namespace.h"

namespace graphfake {

LocalAdmin::LocalAdmin(std::shared_ptr<namespaces::FakeNamespace> state) : state_(std::move(state)) {}

void LocalAdmin::reset() { state_->reset(); }

std::vector<ScenarioFileInfo> LocalAdmin::scenarios() const { return state_->service()->scenario_files(); }

void LocalAdmin::load_scenarios(const std::vector<ScenarioSource>& sources, Load how) {
  state_->load_scenarios(domain::load_scenario_set(sources, state_->options()), how);
}

void LocalAdmin::load_scenario_files(const std::vector<std::string>& paths, Load how) {
  state_->load_scenarios(domain::load_scenario_set(paths, state_->options()), how);
}

TimePoint LocalAdmin::now() const { return state_->now(); }

void LocalAdmin::advance_clock(std::chrono::milliseconds by) { state_->advance_clock(by); }

void LocalAdmin::set_clock(TimePoint to) { state_->set_clock(to); }

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

std::vector<OperationInfo> LocalAdmin::operations() const { return state_->service()->operations(state_->now()); }

OperationPage LocalAdmin::operations_page(Page page) const {
  return state_->service()->operations(state_->now(), checked(page));
}

OperationInfo LocalAdmin::operation(const std::string& id) const {
  return state_->service()->known_operation(id, state_->now());
}

OperationInfo LocalAdmin::force(const std::string& id, const PhaseOrder& order) {
  return state_->service()->force(id, order, state_->now());
}

ExportTotals LocalAdmin::expected_totals(const std::string& operation_id) const {
  return state_->service()->expected_totals(operation_id, state_->now());
}

namespace {

// Operation ids compare as Graph compares keys: without regard to case.
JournalQuery normalised(JournalQuery query) {
  if (query.operation_id) query.operation_id = core::ascii_lower(*query.operation_id);
  return query;
}

}  // namespace

std::vector<JournalEntry> LocalAdmin::journal(const JournalQuery& query) const {
  return state_->journal()->entries(normalised(query));
}

JournalPage LocalAdmin::journal_page(const JournalQuery& query, Page page) const {
  return state_->journal()->page(normalised(query), checked(page));
}

std::size_t LocalAdmin::count(const JournalQuery& query) const { return state_->journal()->count(normalised(query)); }

std::uint64_t LocalAdmin::journal_dropped() const { return state_->journal()->dropped(); }

std::size_t LocalAdmin::journal_bytes() const { return state_->journal()->bytes(); }

ClientReport LocalAdmin::client_report() const { return domain::client_report(*state_->journal()); }

}  // namespace graphfake
