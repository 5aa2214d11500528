#include "graphfake/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace graphfake {
namespace {

using namespace std::chrono_literals;
using Holds = std::vector<std::chrono::milliseconds>;

TEST(VirtualClock, StartsAtTheStartOf2025) {
  EXPECT_EQ(VirtualClock().now(), std::chrono::sys_days{std::chrono::year{2025} / 1 / 1});
}

TEST(VirtualClock, MovesOnlyWhenAdvancedOrSet) {
  VirtualClock clock;
  const auto start = clock.now();
  clock.advance(90s);
  EXPECT_EQ(clock.now(), start + 90s);
  clock.set(start + 1h);
  EXPECT_EQ(clock.now(), start + 1h);
}

TEST(VirtualClock, ManualClockIgnoresAdvertisedRetryAfter) {
  VirtualClock clock;
  clock.retry_after_advertised(30s);
  EXPECT_EQ(clock.now(), VirtualClock::default_start());
}

TEST(VirtualClock, AutoAdvancingClockMovesByAdvertisedRetryAfter) {
  VirtualClock clock(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  clock.retry_after_advertised(30s);
  EXPECT_EQ(clock.now(), VirtualClock::default_start() + 30s);
}

TEST(VirtualClock, AdvanceStopsAtTheLatestTime) {
  VirtualClock clock(VirtualClock::latest() - 1h);
  clock.advance(2h);
  EXPECT_EQ(clock.now(), VirtualClock::latest());
}

TEST(VirtualClock, AdvanceFarBeyondWhatItCountsNeverWraps) {
  VirtualClock clock;
  for (int i = 0; i < 300; ++i) clock.advance(std::chrono::hours(8760));
  EXPECT_EQ(clock.now(), VirtualClock::latest());
}

TEST(VirtualClock, SetStopsAtTheLatestTime) {
  VirtualClock clock;
  clock.set(VirtualClock::latest() + 24h);
  EXPECT_EQ(clock.now(), VirtualClock::latest());
}

TEST(VirtualClock, StartPastTheLatestTimeStartsThere) {
  EXPECT_EQ(VirtualClock(VirtualClock::latest() + 1h).now(), VirtualClock::latest());
}

TEST(VirtualClock, AutoAdvanceStopsAtTheLatestTime) {
  VirtualClock clock(VirtualClock::latest() - 1h, VirtualClock::Mode::auto_advance);
  clock.retry_after_advertised(std::chrono::hours(8760));
  EXPECT_EQ(clock.now(), VirtualClock::latest());
}

TEST(VirtualClock, HoldsAreRecordedInOrderWithoutMovingAManualClock) {
  VirtualClock clock;
  clock.hold(10min, {});
  clock.hold(250ms, {});
  EXPECT_EQ(clock.holds(), (Holds{10min, 250ms}));
  EXPECT_EQ(clock.now(), VirtualClock::default_start());
}

TEST(VirtualClock, AutoAdvancingClockMovesByEachHold) {
  VirtualClock clock(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  clock.hold(1500ms, {});
  EXPECT_EQ(clock.now(), VirtualClock::default_start() + 1500ms);
}

TEST(Clock, AHoldThatIsAlreadyInterruptedReturnsAtOnce) {
  SystemClock clock;
  std::stop_source stopping;
  stopping.request_stop();
  clock.hold(std::chrono::hours(1), stopping.get_token());  // a hang here is the failure
  SUCCEED();
}

TEST(Clock, AHoldEndsWhenInterrupted) {
  SystemClock clock;
  std::stop_source stopping;
  std::thread holder([&] { clock.hold(std::chrono::hours(1), stopping.get_token()); });
  stopping.request_stop();
  holder.join();  // a hang here is the failure
  SUCCEED();
}

TEST(VirtualClockConcurrent, HoldsFromManyThreadsAreAllRecorded) {
  VirtualClock clock(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) clock.hold(1ms, {});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(clock.holds().size(), 400u);
  EXPECT_EQ(clock.now(), VirtualClock::default_start() + 400ms);
}

}  // namespace
}  // namespace graphfake
