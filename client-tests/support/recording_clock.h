#pragma once

#include <chrono>
#include <vector>

#include "graphfake/client/clock.h"
#include "graphfake/clock.h"

namespace graphfake::testing {

// The reference client's time in tests: it passes only by the sleeps the
// client asks for, which are recorded rather than slept.
class RecordingClock final : public client::Clock {
 public:
  TimePoint now() const override { return VirtualClock::default_start() + slept_; }
  void sleep_for(std::chrono::milliseconds duration) override {
    sleeps_.push_back(duration);
    slept_ += duration;
  }
  const std::vector<std::chrono::milliseconds>& sleeps() const { return sleeps_; }

 private:
  std::vector<std::chrono::milliseconds> sleeps_;
  std::chrono::milliseconds slept_{0};
};

}  // namespace graphfake::testing
