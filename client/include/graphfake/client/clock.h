#pragma once

#include <chrono>

namespace graphfake::client {

// Where the client reads the time and how it waits. Inject one to run the
// client without sleeping:
//
//   class RecordingClock : public graphfake::client::Clock {
//     TimePoint now() const override { return start_ + slept_; }
//     void sleep_for(std::chrono::milliseconds d) override { sleeps.push_back(d); slept_ += d; }
//     ...
//   };
class Clock {
 public:
  // Wall-clock type so an HTTP-date Retry-After can be compared with it.
  using TimePoint = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The default: the steady clock, anchored to the wall clock once when
// constructed, so a deadline does not move when the system time is changed;
// std::this_thread::sleep_for.
class SteadyClock final : public Clock {
 public:
  SteadyClock();
  TimePoint now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;

 private:
  TimePoint wall_anchor_;
  std::chrono::steady_clock::time_point steady_anchor_;
};

}  // namespace graphfake::client
