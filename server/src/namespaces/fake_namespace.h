#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/billing_service.h"
#include "domain/journal.h"
#include "domain/shared_bytes.h"
#include "graphfake/admin_error.h"
#include "graphfake/options.h"
#include "graphfake/scenarios.h"

namespace graphfake::namespaces {

// Why a move of the clock backwards is refused (400 badClockMove): set it
// instead. HttpAdmin says the same, since the admin API cannot carry one.
inline constexpr std::string_view kBackwardClockMove = "The clock only advances: give a non-negative duration.";
// Why an advance past VirtualClock::latest() is refused (400 badClockMove).
inline constexpr std::string_view kClockMovePastTheEnd =
    "That would move the clock past 2200-01-01, further than it can count.";

// One self-contained fake: its service (operations, manifests, scenario
// rules), its clock and its journal, with the controls the admin surface
// offers over them. Requests take the service in force when they start, so
// a reset never pulls state from under a request in flight, and a request
// that started before a reset is journaled with the state it saw.
class FakeNamespace {
 public:
  // What the rules in force in one namespace may hold: those of one load
  // (regexes and their compile cost, scenario::kMaxRegexesPerLoad and
  // scenario::kRegexUnitsPerLoad), and bytes as scenario::footprint counts
  // them. An append past them is refused: replace the files instead.
  static constexpr std::size_t kScenarioBytes = 64 * 1024 * 1024;
  // What the files loaded through the admin surface, in every namespace of
  // a server, may hold together (those the server started with are its
  // operator's, and shared by every namespace: they are not counted).
  static constexpr std::size_t kServerScenarioBytes = 256 * 1024 * 1024;

  // What every namespace of one server draws from.
  struct Shared {
    std::shared_ptr<domain::JournalSpace> journal;
    std::shared_ptr<domain::SharedBytes> scenarios;

    // What a server started with `options` shares: journal bytes of
    // Options::journal_byte_capacity, and kServerScenarioBytes.
    static Shared for_options(const Options& options);
  };

  // Throws ScenarioError for bad scenario files, std::invalid_argument for
  // options that cannot work.
  explicit FakeNamespace(Options options);
  // Starts with `initial` instead of loading Options::scenario_paths, and
  // draws from what `shared` holds with other namespaces.
  FakeNamespace(Options options, scenario::ScenarioSet initial, Shared shared);
  ~FakeNamespace();
  FakeNamespace(const FakeNamespace&) = delete;
  FakeNamespace& operator=(const FakeNamespace&) = delete;

  // What a request works against from its start to its end: a reset swaps
  // in a new generation and leaves requests in flight with the old one.
  struct Generation {
    std::shared_ptr<domain::BillingService> service;
    std::shared_ptr<domain::Journal> journal;
  };
  Generation current() const;
  std::shared_ptr<domain::BillingService> service() const { return current().service; }
  std::shared_ptr<domain::Journal> journal() const { return current().journal; }

  void reset();
  // Throws AdminError: 400 scenarioLimitReached for an append that would
  // take the rules in force past what one namespace may hold (or a replace
  // whose files hold more), 409 serverScenarioLimitReached when the
  // server's namespaces hold too much together.
  void load_scenarios(scenario::ScenarioSet more, ScenarioLoad how);
  const Options& options() const { return options_; }
  const Shared& shared() const { return shared_; }
  const scenario::ScenarioSet& initial_scenarios() const { return initial_scenarios_; }
  // A clock of the kind this one runs on, at the time this one started
  // from: a virtual clock (in the same mode) or the system clock. Throws
  // AdminError (409) for any other kind of Clock.
  std::shared_ptr<Clock> fresh_clock() const;

  TimePoint now() const { return clock_->now(); }
  void advance_clock(std::chrono::milliseconds by);
  void set_clock(TimePoint to);

  // Cuts scripted delays short (BillingService::stop_holding).
  void stop_holding();
  // Stops the service, now and the services to come (BillingService::stop).
  void stop();

 private:
  VirtualClock& virtual_clock() const;

  Generation fresh_generation() const;

  Options options_;  // as started, its clock included
  std::shared_ptr<Clock> clock_;
  TimePoint clock_start_;
  scenario::ScenarioSet initial_scenarios_;
  Shared shared_;
  mutable std::mutex mutex_;
  Generation current_;
  // What the files loaded through the admin surface hold, drawn from shared_.scenarios.
  std::size_t loaded_scenario_bytes_ = 0;
  bool stopping_ = false;
};

}  // namespace graphfake::namespaces
