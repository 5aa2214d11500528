#pragma once

// Paging of the admin surface's long listings.
#include <cstddef>

namespace graphfake {

// One page of a long listing: skip `skip` items, then up to `top` of them.
struct Page {
  static constexpr std::size_t kMaxTop = 1000;
  // A page also ends after the item whose JSON takes it past this many
  // bytes, so that no page is huge whatever its items hold.
  static constexpr std::size_t kMaxBytes = 8 * 1024 * 1024;
  std::size_t skip = 0;
  std::size_t top = 100;  // 1 to kMaxTop
};

}  // namespace graphfake
