#include "graphfake/clock.h"

namespace graphfake {

VirtualClock::VirtualClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

TimePoint VirtualClock::now() const {
  return TimePoint(std::chrono::system_clock::duration(ticks_.load()));
}

void VirtualClock::advance(std::chrono::system_clock::duration by) { ticks_ += by.count(); }

void VirtualClock::set(TimePoint to) { ticks_ = to.time_since_epoch().count(); }

TimePoint VirtualClock::default_start() {
  return std::chrono::sys_days{std::chrono::year{2025} / 1 / 1};
}

}  // namespace graphfake
