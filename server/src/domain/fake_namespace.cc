#include "domain/fake_namespace.h"

namespace graphfake::domain {
namespace {

Options with_clock(Options options) {
  if (!options.clock) options.clock = std::make_shared<SystemClock>();
  return options;
}

}  // namespace

FakeNamespace::FakeNamespace(Options options)
    : options_(with_clock(std::move(options))),
      clock_(options_.clock),
      clock_start_(clock_->now()),
      initial_scenarios_(load_scenario_set(options_.scenario_paths, options_)),
      journal_(options_.journal_capacity),
      service_(std::make_shared<BillingService>(options_, initial_scenarios_)) {}

std::shared_ptr<BillingService> FakeNamespace::service() const {
  std::lock_guard lock(mutex_);
  return service_;
}

void FakeNamespace::reset() {
  if (auto* clock = dynamic_cast<VirtualClock*>(clock_.get())) clock->set(clock_start_);
  auto fresh = std::make_shared<BillingService>(options_, initial_scenarios_);
  std::shared_ptr<BillingService> old;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) fresh->stop_holding();
    old = std::exchange(service_, fresh);
  }
  // Requests still held by a scripted delay in the old service answer now.
  old->stop_holding();
  journal_.clear();
}

void FakeNamespace::load_scenarios(scenario::ScenarioSet more, Admin::Load how) {
  std::lock_guard lock(mutex_);
  if (how == Admin::Load::replace) {
    service_->replace_scenarios(std::move(more));
  } else {
    service_->append_scenarios(std::move(more));
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
  virtual_clock().advance(by);
}

void FakeNamespace::set_clock(TimePoint to) { virtual_clock().set(to); }

void FakeNamespace::stop_holding() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  service_->stop_holding();
}

}  // namespace graphfake::domain
