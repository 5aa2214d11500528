#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

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
  std::mutex mutex;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 1000; ++i) {
    while (!pool.try_run([&] {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    })) {
      std::this_thread::yield();
    }
  }
  ASSERT_TRUE(pool.wait_idle(60s));
  std::lock_guard lock(mutex);
  EXPECT_LE(threads.size(), 4u);
}

TEST(WorkerPool, ConcurrentStopWaitsForRunningTasksAndRefusesNewOnes) {
  WorkerPool pool(4, 10ms);
  Gate gate;
  std::atomic<bool> finished{false};
  ASSERT_TRUE(pool.try_run([&] {
    gate.wait();
    finished = true;
  }));
  std::atomic<bool> stop_returned{false};
  std::thread stopper([&] {
    pool.stop();
    stop_returned = true;
  });
  // Once new tasks are refused the stop has begun, with the task still held.
  while (pool.try_run([] {})) std::this_thread::yield();
  EXPECT_FALSE(stop_returned);
  gate.open();
  stopper.join();
  EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace graphfake::http
