#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>

namespace graphfake::http {
namespace {

using namespace std::chrono_literals;

// Holds every task it is given until released.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

TEST(WorkerPool, ConcurrentTasksUpToTheCapacityAllRunAtOnce) {
  WorkerPool pool(64);
  Gate gate;
  std::latch all_started(64);
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(pool.try_run([&] {
      all_started.count_down();
      gate.wait();
    }));
  }
  all_started.wait();  // would never return if a task waited behind another
  EXPECT_EQ(pool.running(), 64u);
  gate.open();
  EXPECT_TRUE(pool.wait_idle(60s));
}

TEST(WorkerPool, ConcurrentTaskPastTheCapacityIsRefused) {
  WorkerPool pool(2);
  Gate gate;
  EXPECT_TRUE(pool.try_run([&] { gate.wait(); }));
  EXPECT_TRUE(pool.try_run([&] { gate.wait(); }));
  EXPECT_FALSE(pool.try_run([] {}));
  gate.open();
  ASSERT_TRUE(pool.wait_idle(60s));
  EXPECT_TRUE(pool.try_run([] {}));
}

TEST(WorkerPool, ConcurrentTasksReuseIdleThreads) {
  WorkerPool pool(4);
  std::atomic<int> ran{0};
  for (int i = 0; i < 1000; ++i) {
    while (!pool.try_run([&] { ++ran; })) std::this_thread::yield();
  }
  ASSERT_TRUE(pool.wait_idle(60s));
  EXPECT_EQ(ran, 1000);
}

TEST(WorkerPool, ConcurrentStopWaitsForRunningTasksAndRefusesNewOnes) {
  WorkerPool pool(4, 10ms);
  std::atomic<bool> finished{false};
  std::latch started(1);
  ASSERT_TRUE(pool.try_run([&] {
    started.count_down();
    std::this_thread::sleep_for(50ms);
    finished = true;
  }));
  started.wait();
  pool.stop();
  EXPECT_TRUE(finished);
  EXPECT_FALSE(pool.try_run([] {}));
}

}  // namespace
}  // namespace graphfake::http
