#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graphfake/admin_error.h"
#include "graphfake/clock.h"
#include "graphfake/journal.h"
#include "graphfake/operations.h"
#include "graphfake/page.h"
#include "graphfake/report.h"
#include "graphfake/scenarios.h"
#include "graphfake/totals.h"

namespace graphfake {

namespace namespaces {
class FakeNamespace;
}

// Setting a fake up, driving its time, and reading what its clients did.
// Two implementations answer the same calls the same way: LocalAdmin, for a
// Server in this process (Server::admin()), and HttpAdmin
// (graphfake/http_admin.h), for a fake reached over HTTP, such as the
// graphfake binary a CI job started. Code written against Admin& (the
// graphfake/testing.h assertions, say) works with either.
//
// Calls the fake cannot carry out throw AdminError (status and code as
// docs/admin-api.md lists them); scenario files with errors throw
// ScenarioError, every error in it.
class Admin {
 public:
  virtual ~Admin() = default;

  // Back to the start: no operations, manifests or journal entries, the
  // scenario files the server started with (with fresh counters), and a
  // virtual clock at the time it started from.
  virtual void reset() = 0;

  virtual std::vector<ScenarioFileInfo> scenarios() const = 0;
  // Adds files after the loaded ones (append) or instead of them. All or
  // nothing: any error in any file throws ScenarioError and nothing changes.
  using Load = ScenarioLoad;
  virtual void load_scenarios(const std::vector<ScenarioSource>& sources, Load how) = 0;
  // Paths on the fake's machine. Over HTTP the fake must have been started
  // with a scenario root (Options::scenario_root, --scenario-root) holding
  // them; else AdminError 403.
  virtual void load_scenario_files(const std::vector<std::string>& paths, Load how) = 0;

  virtual TimePoint now() const = 0;
  // Throw AdminError (409) unless the fake runs on a virtual clock.
  virtual void advance_clock(std::chrono::milliseconds by) = 0;
  virtual void set_clock(TimePoint to) = 0;

  virtual std::vector<OperationInfo> operations() const = 0;  // oldest first, every one kept
  // AdminError 400 for a page of no entries or more than Page::kMaxTop.
  virtual OperationPage operations_page(Page page = {}) const = 0;
  virtual OperationInfo operation(const std::string& id) const = 0;  // AdminError 404 when unknown
  virtual OperationInfo force(const std::string& id, const PhaseOrder& order) = 0;
  // What the data of a succeeded export adds up to. AdminError 404 for an
  // unknown operation, 409 until a poll has seen it succeed (its data is
  // decided then). Costs one pass over the rows' amounts, without the JSON
  // or gzip, each call.
  virtual ExportTotals expected_totals(const std::string& operation_id) const = 0;

  virtual std::vector<JournalEntry> journal(const JournalQuery& query = {}) const = 0;
  // AdminError 400 for a page of no entries or more than Page::kMaxTop.
  virtual JournalPage journal_page(const JournalQuery& query = {}, Page page = {}) const = 0;
  virtual std::size_t count(const JournalQuery& query = {}) const = 0;
  // Entries dropped, oldest first, to keep the journal within its caps.
  virtual std::uint64_t journal_dropped() const = 0;

  // What the fake's clients did against what it advertised (Retry-After,
  // Location, terminal states, client-request-id).
  virtual ClientReport client_report() const = 0;
  // The client report drawn: one self-contained HTML page (inline SVG and
  // CSS, no script, no external reference) with each operation's requests
  // marked against the Retry-After windows it advertised, the findings in
  // words and the exact requests (docs/dashboard.md).
  virtual std::string report_html() const = 0;
};

// Several fakes' reports drawn in one page, each read through its Admin and
// headed by its name: what the graphfake binary's --report-html writes.
std::string report_html(const std::vector<std::pair<std::string, const Admin*>>& namespaces);

// The Admin of a Server in this process: Server::admin(), or a namespace's
// (Server::create_namespace, Server::admin(name)). A handle: copies control
// the same namespace, and it stays valid while the Server lives.
class LocalAdmin final : public Admin {
 public:
  explicit LocalAdmin(std::shared_ptr<namespaces::FakeNamespace> state);

  void reset() override;
  std::vector<ScenarioFileInfo> scenarios() const override;
  void load_scenarios(const std::vector<ScenarioSource>& sources, Load how) override;
  // Reads any path: the embedding program's own call, not confined to a
  // scenario root.
  void load_scenario_files(const std::vector<std::string>& paths, Load how) override;
  TimePoint now() const override;
  void advance_clock(std::chrono::milliseconds by) override;
  void set_clock(TimePoint to) override;
  std::vector<OperationInfo> operations() const override;
  OperationPage operations_page(Page page = {}) const override;
  OperationInfo operation(const std::string& id) const override;
  OperationInfo force(const std::string& id, const PhaseOrder& order) override;
  ExportTotals expected_totals(const std::string& operation_id) const override;
  std::vector<JournalEntry> journal(const JournalQuery& query = {}) const override;
  JournalPage journal_page(const JournalQuery& query = {}, Page page = {}) const override;
  std::size_t count(const JournalQuery& query = {}) const override;
  std::uint64_t journal_dropped() const override;
  ClientReport client_report() const override;
  std::string report_html() const override;

  // What the kept entries take, as Options::journal_byte_capacity counts it.
  std::size_t journal_bytes() const;

 private:
  std::shared_ptr<namespaces::FakeNamespace> state_;
};

}  // namespace graphfake
