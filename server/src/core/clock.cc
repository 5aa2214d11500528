#include "graphfake/clock.h"

namespace graphfake {

VirtualClock::VirtualClock(TimePoint start, Mode mode) : ticks_(start.time_since_epoch().count()), mode_(mode) {}

TimePoint VirtualClock::now() const {
  return TimePoint(std::chrono::system_clock::duration(ticks_.load()));
}

void VirtualClock::advance(std::chrono::system_clock::duration by) { ticks_ += by.count(); }

void VirtualClock::set(TimePoint to) { ticks_ = to.time_since_epoch().count(); }

void VirtualClock::retry_after_advertised(std::chrono::seconds wait) {
  if (mode_ == Mode::auto_advance) advance(wait);
}

TimePoint VirtualClock::default_start() {
  return std::chrono::sys_days{std::chrono::year{2025} / 1 / 1};
}

}  // namespace graphfake
