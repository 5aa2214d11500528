#include "domain/fake_namespace.h"

namespace graphfake::domain {
namespace {

Options with_clock(Options options) {
  if (!options.clock) options.clock = std::make_shared<SystemClock>();
  return options;
}

}  // namespace

FakeNamespace::FakeNamespace(Options options)
    : FakeNamespace(with_clock(options), load_scenario_set(options.scenario_paths, options)) {}

FakeNamespace::FakeNamespace(Options options, scenario::ScenarioSet initial)
    : options_(with_clock(std::move(options))),
      clock_(options_.clock),
      clock_start_(clock_->now()),
      initial_scenarios_(std::move(initial)),
      current_{std::make_shared<BillingService>(options_, initial_scenarios_),
               std::make_shared<Journal>(options_.journal_capacity, options_.journal_byte_capacity)} {}

std::shared_ptr<Clock> FakeNamespace::fresh_clock() const {
  if (const auto* clock = dynamic_cast<const VirtualClock*>(clock_.get())) {
    return std::make_shared<VirtualClock>(clock_start_, clock->mode());
  }
  if (dynamic_cast<const SystemClock*>(clock_.get()) != nullptr) return std::make_shared<SystemClock>();
  throw AdminError(409, "clockNotCopyable",
                   "The server runs on a Clock of its own kind, which a new namespace cannot be given a copy of; "
                   "use a VirtualClock or the system clock.");
}

FakeNamespace::Generation FakeNamespace::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void FakeNamespace::reset() {
  if (auto* clock = dynamic_cast<VirtualClock*>(clock_.get())) clock->set(clock_start_);
  Generation fresh{std::make_shared<BillingService>(options_, initial_scenarios_),
                   std::make_shared<Journal>(options_.journal_capacity, options_.journal_byte_capacity)};
  Generation old;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) fresh.service->stop_holding();
    old = std::exchange(current_, std::move(fresh));
  }
  // Requests still held by a scripted delay in the old service answer now.
  old.service->stop_holding();
}

void FakeNamespace::load_scenarios(scenario::ScenarioSet more, Admin::Load how) {
  std::lock_guard lock(mutex_);
  if (how == Admin::Load::replace) {
    current_.service->replace_scenarios(std::move(more));
  } else {
    current_.service->append_scenarios(std::move(more));
  }
}

VirtualClock& FakeNamespace::virtual_clock() const {
  auto* clock = dynamic_cast<VirtualClock*>(clock_.get());
  if (clock == nullptr) {
    throw AdminError(409, "clockNotVirtual",
                     "The fake runs on the system clock, which cannot be moved; start it with a virtual clock "
                     "(--clock virtual or --clock auto, or Options::clock).");
  }
  return *clock;
}

void FakeNamespace::advance_clock(std::chrono::milliseconds by) {
  if (by.count() < 0) throw AdminError(400, "badClockMove", "The clock only advances: give a non-negative duration.");
  auto& clock = virtual_clock();
  if (by > std::chrono::duration_cast<std::chrono::milliseconds>(VirtualClock::latest() - clock.now())) {
    throw AdminError(400, "badClockMove", "That would move the clock past 2200-01-01, further than it can count.");
  }
  clock.advance(by);
}

void FakeNamespace::set_clock(TimePoint to) {
  auto& clock = virtual_clock();
  if (to > VirtualClock::latest()) {
    throw AdminError(400, "badClockMove", "The clock cannot be set past 2200-01-01, further than it can count.");
  }
  clock.set(to);
}

void FakeNamespace::stop_holding() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  current_.service->stop_holding();
}

}  // namespace graphfake::domain
