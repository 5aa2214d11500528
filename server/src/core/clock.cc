#include "graphfake/clock.h"

#include <algorithm>
#include <condition_variable>

#include "core/duration.h"
#include "core/time_format.h"

namespace graphfake {

void Clock::hold(std::chrono::milliseconds delay, std::stop_token interrupt) {
  std::mutex mutex;
  std::condition_variable_any woken;
  std::unique_lock lock(mutex);
  woken.wait_for(lock, interrupt, delay, [] { return false; });
}

VirtualClock::VirtualClock(TimePoint start, Mode mode)
    : ticks_(std::min(start, latest()).time_since_epoch().count()), mode_(mode) {}

TimePoint VirtualClock::now() const {
  return TimePoint(std::chrono::system_clock::duration(ticks_.load()));
}

void VirtualClock::advance(std::chrono::system_clock::duration by) {
  // Compared before adding: the sum of a far time and a long move could
  // overflow the tick count.
  const auto limit = latest().time_since_epoch().count();
  auto current = ticks_.load();
  while (!ticks_.compare_exchange_weak(current, by.count() > limit - current ? limit : current + by.count())) {
  }
}

void VirtualClock::set(TimePoint to) { ticks_ = std::min(to, latest()).time_since_epoch().count(); }

void VirtualClock::retry_after_advertised(std::chrono::seconds wait) {
  if (mode_ == Mode::auto_advance) advance(wait);
}

void VirtualClock::hold(std::chrono::milliseconds delay, std::stop_token interrupt) {
  (void)interrupt;  // nothing to interrupt: no wall time passes
  {
    std::lock_guard lock(holds_mutex_);
    holds_.push_back(delay);
    if (holds_.size() > kMaxHolds) holds_.pop_front();
  }
  if (mode_ == Mode::auto_advance) advance(delay);
}

std::vector<std::chrono::milliseconds> VirtualClock::holds() const {
  std::lock_guard lock(holds_mutex_);
  return {holds_.begin(), holds_.end()};
}

TimePoint VirtualClock::default_start() {
  return std::chrono::sys_days{std::chrono::year{2025} / 1 / 1};
}

TimePoint VirtualClock::latest() { return std::chrono::sys_days{std::chrono::year{2200} / 1 / 1}; }

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) { return core::parse_duration(text); }

std::variant<TimePoint, std::string> parse_clock_time(std::string_view text) { return core::parse_clock_time(text); }

}  // namespace graphfake
