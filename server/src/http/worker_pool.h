#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace graphfake::http {

// Threads for connections, started as connections need them up to a cap:
// every task gets a thread of its own at once (none waits behind another),
// and threads left idle a while end.
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
  // Waits for every task and ends every thread; try_run refuses from then on.
  void stop();

  std::size_t running() const;

 private:
  void work(std::function<void()> task);

  const std::size_t capacity_;
  const std::chrono::milliseconds idle_lifetime_;
  mutable std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable changed_;  // a task ended or a thread exited
  std::deque<std::function<void()>> queue_;  // handed to idle threads
  std::size_t running_ = 0;
  std::size_t idle_threads_ = 0;
  std::size_t threads_ = 0;
  bool stopping_ = false;
};

}  // namespace graphfake::http
