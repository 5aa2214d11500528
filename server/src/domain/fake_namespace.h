#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/billing_service.h"
#include "domain/journal.h"
#include "graphfake/admin.h"
#include "graphfake/options.h"

namespace graphfake::domain {

// One self-contained fake: its service (operations, manifests, scenario
// rules), its clock and its journal, with the controls the admin surface
// offers over them. Requests take the service in force when they start, so
// a reset never pulls state from under a request in flight, and a request
// that started before a reset is journaled with the state it saw.
class FakeNamespace {
 public:
  // Throws ScenarioError for bad scenario files, std::invalid_argument for
  // options that cannot work.
  explicit FakeNamespace(Options options);
  // Starts with `initial` instead of loading Options::scenario_paths.
  FakeNamespace(Options options, scenario::ScenarioSet initial);

  // What a request works against from its start to its end: a reset swaps
  // in a new generation and leaves requests in flight with the old one.
  struct Generation {
    std::shared_ptr<BillingService> service;
    std::shared_ptr<Journal> journal;
  };
  Generation current() const;
  std::shared_ptr<BillingService> service() const { return current().service; }
  std::shared_ptr<Journal> journal() const { return current().journal; }

  void reset();
  void load_scenarios(scenario::ScenarioSet more, Admin::Load how);
  const Options& options() const { return options_; }
  const scenario::ScenarioSet& initial_scenarios() const { return initial_scenarios_; }
  // A clock of the kind this one runs on, at the time this one started
  // from: a virtual clock (in the same mode) or the system clock. Throws
  // AdminError (409) for any other kind of Clock.
  std::shared_ptr<Clock> fresh_clock() const;

  TimePoint now() const { return clock_->now(); }
  void advance_clock(std::chrono::milliseconds by);
  void set_clock(TimePoint to);

  // Cuts every scripted delay short, now and for services to come.
  void stop_holding();

 private:
  VirtualClock& virtual_clock() const;

  Options options_;  // as started, its clock included
  std::shared_ptr<Clock> clock_;
  TimePoint clock_start_;
  scenario::ScenarioSet initial_scenarios_;
  mutable std::mutex mutex_;
  Generation current_;
  bool stopping_ = false;
};

}  // namespace graphfake::domain
