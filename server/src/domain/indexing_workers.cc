#include "domain/indexing_workers.h"

#include <functional>

namespace graphfake::domain {
IndexingWorkers::IndexingWorkers(std::size_t threads, std::stop_token stop) : thread_count_(threads) {
  stop_with_.emplace(std::move(stop), std::function<void()>([this] { stopping_.request_stop(); }));
}

IndexingWorkers::~IndexingWorkers() {
  stopping_.request_stop();
  // Each thread ends once it has joined the segment it is compressing.
  threads_.clear();
}

void IndexingWorkers::wanted(const std::shared_ptr<data::GzipIndexing>& pass) {
  {
    // A pass queued twice costs nothing: one without work left is dropped.
    std::lock_guard lock(mutex_);
    wanted_.push_back(pass);
    start_threads();
  }
  ready_.notify_all();
}

void IndexingWorkers::ahead(const std::shared_ptr<data::GzipIndexing>& pass) {
  {
    std::lock_guard lock(mutex_);
    if (ahead_stopped_) return;
    ahead_.push_back(pass);
    start_threads();
  }
  ready_.notify_all();
}

void IndexingWorkers::stop_ahead() {
  std::lock_guard lock(mutex_);
  ahead_stopped_ = true;
  ahead_.clear();
}

void IndexingWorkers::start_threads() {
  while (threads_.size() < thread_count_ && !stopping_.stop_requested()) {
    threads_.emplace_back([this](std::stop_token) { run(stopping_.get_token()); });
  }
}

std::shared_ptr<data::GzipIndexing> IndexingWorkers::next_pass() {
  for (Queue* queue : {&wanted_, &ahead_}) {
    while (!queue->empty()) {
      if (auto pass = queue->front().lock(); pass && pass->has_work()) return pass;
      queue->pop_front();
    }
  }
  return nullptr;
}

void IndexingWorkers::run(std::stop_token stop) {
  while (true) {
    std::shared_ptr<data::GzipIndexing> pass;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, stop, [&] { return (pass = next_pass()) != nullptr; });
      if (stop.stop_requested()) return;
    }
    pass->work();
  }
}

}  // namespace graphfake::domain
