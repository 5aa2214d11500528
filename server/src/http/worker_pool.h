#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace graphfake::http {

// Threads for connections, started as connections need them up to a cap:
// every task gets a thread of its own at once (none waits behind another),
// and threads left idle a while end. Every thread is joined, by the next
// try_run after it ended or by stop(): a thread still unwinding (its
// thread-local state, OpenSSL's among it) never outlives the pool.
class WorkerPool {
 public:
  explicit WorkerPool(std::size_t capacity, std::chrono::milliseconds idle_lifetime = std::chrono::seconds(30));
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on a thread of its own, or returns false when `capacity`
  // tasks are running (or no thread could be started).
  bool try_run(std::function<void()> task);
  // Waits up to `within` for every task to end; whether they all did.
  bool wait_idle(std::chrono::milliseconds within);
  // Waits for every task, then ends and joins every thread; try_run refuses
  // from then on.
  void stop();

  std::size_t running() const;

 private:
  void work(std::function<void()> task);
  // Joins the threads that have ended; called with the lock held.
  std::vector<std::thread> take_ended();

  const std::size_t capacity_;
  const std::chrono::milliseconds idle_lifetime_;
  mutable std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable changed_;  // a task ended
  std::deque<std::function<void()>> queue_;  // handed to idle threads
  std::size_t running_ = 0;
  std::size_t idle_threads_ = 0;
  bool stopping_ = false;
  std::unordered_map<std::thread::id, std::thread> threads_;
  std::vector<std::thread::id> ended_;  // returned from work(), not yet joined
};

}  // namespace graphfake::http
