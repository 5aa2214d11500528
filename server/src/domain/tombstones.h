#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_set>

#include "core/ids.h"
#include "core/strings.h"

namespace graphfake::domain {

// Ids a store gave out and has since evicted, the latest `capacity` of
// them: what tells an expired resource (410) from one that never existed
// (404). Kept as 64-bit hashes of the lower-cased id, about 50 bytes each;
// an id never given out matches one by chance once in 2^64. Not locked:
// its owner's lock guards it.
class Tombstones {
 public:
  explicit Tombstones(std::size_t capacity) : capacity_(capacity) {}

  void add(std::string_view id) {
    if (capacity_ == 0) return;
    if (order_.size() == capacity_) {
      hashes_.erase(order_.front());
      order_.pop_front();
    }
    const auto hash = core::hash64(core::ascii_lower(id));
    order_.push_back(hash);
    hashes_.insert(hash);
  }

  bool contains(std::string_view id) const { return hashes_.contains(core::hash64(core::ascii_lower(id))); }

 private:
  std::size_t capacity_;
  std::deque<std::uint64_t> order_;
  std::unordered_set<std::uint64_t> hashes_;
};

}  // namespace graphfake::domain
