#include "namespaces/fake_namespace.h"

#include <fmt/format.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/excerpt.h"
#include "core/time_format.h"

namespace graphfake::namespaces {
namespace {

Options with_clock(Options options) {
  if (!options.clock) options.clock = std::make_shared<SystemClock>();
  return options;
}

}  // namespace

FakeNamespace::Shared FakeNamespace::Shared::for_options(const Options& options) {
  return Shared{std::make_shared<domain::JournalSpace>(options.journal_byte_capacity),
                std::make_shared<domain::SharedBytes>(kServerScenarioBytes)};
}

FakeNamespace::FakeNamespace(Options options)
    : FakeNamespace(with_clock(options), domain::load_scenario_set(options.scenario_paths, options),
                    Shared::for_options(options)) {}

FakeNamespace::FakeNamespace(Options options, scenario::ScenarioSet initial, Shared shared)
    : options_(with_clock(std::move(options))),
      clock_(options_.clock),
      clock_start_(clock_->now()),
      initial_scenarios_(std::move(initial)),
      shared_(std::move(shared)),
      current_(fresh_generation()) {}

FakeNamespace::~FakeNamespace() { shared_.scenarios->release(loaded_scenario_bytes_); }

FakeNamespace::Generation FakeNamespace::fresh_generation() const {
  return Generation{std::make_shared<domain::BillingService>(options_, initial_scenarios_),
                    std::make_shared<domain::Journal>(options_.journal_capacity, shared_.journal)};
}

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
  auto fresh = fresh_generation();
  Generation old;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) fresh.service->stop();
    old = std::exchange(current_, std::move(fresh));
    shared_.scenarios->release(std::exchange(loaded_scenario_bytes_, 0));
  }
  // Requests still held by a scripted delay in the old service answer now.
  old.service->stop_holding();
  old.service->stop_indexing_ahead();
}

namespace {

// What the rules in force would hold that one namespace may not, if any.
std::optional<std::string> past_namespace_limits(const scenario::Footprint& rules) {
  if (rules.regexes > scenario::kMaxRegexesPerLoad) {
    return fmt::format("{} regular expressions, more than the {} one namespace's rules may hold", rules.regexes,
                       scenario::kMaxRegexesPerLoad);
  }
  if (rules.regex_units > scenario::kRegexUnitsPerLoad) {
    return fmt::format("regular expressions costing {} units to compile, more than the {} one namespace's rules "
                       "may hold",
                       rules.regex_units, scenario::kRegexUnitsPerLoad);
  }
  if (rules.bytes > FakeNamespace::kScenarioBytes) {
    return fmt::format("{:.1f} MiB, more than the {} MiB one namespace's rules may hold",
                       static_cast<double>(rules.bytes) / (1 << 20), FakeNamespace::kScenarioBytes >> 20);
  }
  return std::nullopt;
}

}  // namespace

void FakeNamespace::load_scenarios(scenario::ScenarioSet more, ScenarioLoad how) {
  const auto adding = scenario::footprint(more);
  std::lock_guard lock(mutex_);
  auto in_force = adding;
  auto loaded_bytes = adding.bytes;
  if (how == ScenarioLoad::append) {
    const auto loaded = current_.service->scenario_files();
    std::set<std::string_view> names;
    for (const auto& file : loaded) names.insert(file.name);
    for (const auto& rule : more.rules) {
      if (!names.contains(rule.file)) continue;
      throw AdminError(409, "scenarioFileLoaded",
                       fmt::format("A file named '{}' is loaded already, and rules are told apart by their file's "
                                   "name: give this one another, or replace the loaded files (PUT "
                                   "/_graphfake/scenarios, Admin::Load::replace).",
                                   core::text_excerpt(rule.file, 200)));
    }
    in_force += current_.service->scenario_footprint();
    loaded_bytes += loaded_scenario_bytes_;
  }
  if (const auto problem = past_namespace_limits(in_force)) {
    throw AdminError(400, "scenarioLimitReached",
                     how == ScenarioLoad::append
                         ? fmt::format("With these files the rules in force would hold {}. Replace the loaded files "
                                       "(PUT /_graphfake/scenarios, Admin::Load::replace) instead of adding to them.",
                                       *problem)
                         : fmt::format("These files hold {}.", *problem));
  }
  if (!shared_.scenarios->exchange(loaded_scenario_bytes_, loaded_bytes)) {
    throw AdminError(409, "serverScenarioLimitReached",
                     fmt::format("The scenario files loaded in this server's namespaces would hold more than the {} "
                                 "MiB they may hold together; reset or delete namespaces, or replace their files "
                                 "with smaller ones.",
                                 shared_.scenarios->capacity() >> 20));
  }
  loaded_scenario_bytes_ = loaded_bytes;
  if (how == ScenarioLoad::replace) {
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
  if (by.count() < 0) throw AdminError(400, "badClockMove", std::string(kBackwardClockMove));
  auto& clock = virtual_clock();
  if (by > std::chrono::duration_cast<std::chrono::milliseconds>(VirtualClock::latest() - clock.now())) {
    throw AdminError(400, "badClockMove", std::string(kClockMovePastTheEnd));
  }
  clock.advance(by);
}

void FakeNamespace::set_clock(TimePoint to) {
  auto& clock = virtual_clock();
  if (to > VirtualClock::latest()) {
    throw AdminError(400, "badClockMove", "The clock cannot be set past 2200-01-01, further than it can count.");
  }
  if (to < core::earliest_clock_time()) {
    throw AdminError(400, "badClockMove", fmt::format("The clock cannot be set before {}.",
                                                      core::rfc3339_seconds(core::earliest_clock_time())));
  }
  clock.set(to);
}

void FakeNamespace::stop_holding() {
  std::lock_guard lock(mutex_);
  current_.service->stop_holding();
}

void FakeNamespace::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  current_.service->stop();
}

}  // namespace graphfake::namespaces
