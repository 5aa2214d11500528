#include "http/worker_pool.h"

#include <signal.h>

#include <system_error>

namespace graphfake::http {

WorkerPool::WorkerPool(std::size_t capacity, std::chrono::milliseconds idle_lifetime)
    : capacity_(capacity), idle_lifetime_(idle_lifetime) {}

WorkerPool::~WorkerPool() { stop(); }

std::vector<std::thread> WorkerPool::take_ended() {
  std::vector<std::thread> ended;
  for (const auto id : ended_) {
    const auto it = threads_.find(id);
    ended.push_back(std::move(it->second));
    threads_.erase(it);
  }
  ended_.clear();
  return ended;
}

bool WorkerPool::try_run(std::function<void()> task) {
  std::vector<std::thread> ended;
  {
    std::unique_lock lock(mutex_);
    if (stopping_ || running_ >= capacity_) return false;
    ended = take_ended();
    if (idle_threads_ > queue_.size()) {
      queue_.push_back(std::move(task));
      ++running_;
      task_ready_.notify_one();
    } else {
      try {
        std::thread thread([this, first = std::move(task)]() mutable { work(std::move(first)); });
        const auto id = thread.get_id();
        threads_.emplace(id, std::move(thread));
      } catch (const std::system_error&) {
        return false;  // out of threads: refused like a full pool
      }
      ++running_;
    }
  }
  // Ended threads have left work(); joining them only waits for their exit.
  for (auto& thread : ended) thread.join();
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
      ended_.push_back(std::this_thread::get_id());
      return;
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
  std::unordered_map<std::thread::id, std::thread> threads;
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    task_ready_.notify_all();
    changed_.wait(lock, [this] { return running_ == 0 && queue_.empty(); });
    ended_.clear();
    threads = std::move(threads_);
  }
  for (auto& [id, thread] : threads) thread.join();
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

}  // namespace graphfake::http
