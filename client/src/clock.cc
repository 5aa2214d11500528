#include "graphfake/client/clock.h"

#include <thread>

namespace graphfake::client {

SteadyClock::SteadyClock()
    : wall_anchor_(std::chrono::system_clock::now()), steady_anchor_(std::chrono::steady_clock::now()) {}

Clock::TimePoint SteadyClock::now() const {
  return wall_anchor_ +
         std::chrono::duration_cast<TimePoint::duration>(std::chrono::steady_clock::now() - steady_anchor_);
}

void SteadyClock::sleep_for(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

}  // namespace graphfake::client
