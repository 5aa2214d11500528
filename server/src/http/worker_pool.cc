#include "http/worker_pool.h"

#include <signal.h>

#include <system_error>
#include <thread>

namespace graphfake::http {

WorkerPool::WorkerPool(std::size_t capacity, std::chrono::milliseconds idle_lifetime)
    : capacity_(capacity), idle_lifetime_(idle_lifetime) {}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_run(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  if (stopping_ || running_ >= capacity_) return false;
  if (idle_threads_ > queue_.size()) {
    queue_.push_back(std::move(task));
    ++running_;
    task_ready_.notify_one();
    return true;
  }
  try {
    // Detached: stop() waits for threads_ to reach 0 instead of joining.
    std::thread([this, first = std::move(task)]() mutable { work(std::move(first)); }).detach();
  } catch (const std::system_error&) {
    return false;  // out of threads: refused like a full pool
  }
  ++threads_;
  ++running_;
  return true;
}

void WorkerPool::work(std::function<void()> task) {
  // A write to a connection the client closed raises SIGPIPE in the writing
  // thread (OpenSSL writes with write(2)); blocked here it is only EPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  while (true) {
    task();
    task = nullptr;
    std::unique_lock lock(mutex_);
    --running_;
    changed_.notify_all();
    ++idle_threads_;
    const bool woken = task_ready_.wait_for(lock, idle_lifetime_, [this] { return stopping_ || !queue_.empty(); });
    --idle_threads_;
    if (!woken || queue_.empty()) {
      --threads_;
      changed_.notify_all();
      return;  // touches nothing of the pool after the lock is released
    }
    task = std::move(queue_.front());
    queue_.pop_front();
  }
}

bool WorkerPool::wait_idle(std::chrono::milliseconds within) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, within, [this] { return running_ == 0; });
}

void WorkerPool::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  task_ready_.notify_all();
  changed_.wait(lock, [this] { return threads_ == 0; });
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

}  // namespace graphfake::http
