#pragma once

#include <algorithm>
#include <cstddef>
#include <mutex>

namespace graphfake::domain {

// A number of bytes that several holders draw from, each knowing what it
// holds: the namespaces of one server, say, so that what one holds counts
// against the others. Safe to use from any thread.
class SharedBytes {
 public:
  explicit SharedBytes(std::size_t capacity) : capacity_(capacity) {}
  SharedBytes(const SharedBytes&) = delete;
  SharedBytes& operator=(const SharedBytes&) = delete;

  std::size_t capacity() const { return capacity_; }
  std::size_t used() const {
    std::lock_guard lock(mutex_);
    return used_;
  }

  // A holder of `held` bytes now holds `wanted` instead; false, and nothing
  // changes, when that would take the total past the capacity.
  bool exchange(std::size_t held, std::size_t wanted) {
    std::lock_guard lock(mutex_);
    const auto others = used_ - held;
    if (wanted > capacity_ - std::min(others, capacity_)) return false;
    used_ = others + wanted;
    return true;
  }

  void release(std::size_t held) {
    std::lock_guard lock(mutex_);
    used_ -= held;
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::size_t used_ = 0;
};

}  // namespace graphfake::domain
