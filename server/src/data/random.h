#pragma once

#include <cstdint>
#include <span>

#include "core/ids.h"

namespace graphfake::data {

// Randomness for generated data. Every value is a hash of (key, stream,
// index), so any row can be produced alone and the output never depends on a
// standard library's RNG or distribution implementation.

// A lock-free stream for the hot path (core::IdGenerator serialises callers).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return core::mix64(state_);
  }
  // Modulo bias is irrelevant for the ranges used here.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  bool percent(int chance) { return below(100) < static_cast<std::uint64_t>(chance); }

 private:
  std::uint64_t state_;
};

// The stream of values number `index` of kind `stream` draws from, under `key`.
inline SplitMix64 stream_random(std::uint64_t key, std::uint64_t stream, std::uint64_t index) {
  return SplitMix64(core::mix64(key ^ core::mix64(stream * 0x9e3779b97f4a7c15ULL + core::mix64(index))));
}

// 128 random bits, written out as a version-4 GUID.
struct Guid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
};

inline Guid random_guid(SplitMix64& random) { return {random.next(), random.next()}; }

// Order and alternate ids look like Partner Center's 12-hex-digit form ("6dc5c039750a").
inline std::uint64_t random_hex_id(SplitMix64& random) { return random.next() & 0xffffffffffffULL; }

// An entry of a table whose entries each have an integer `weight`, drawn in
// proportion to it.
template <typename Entry>
const Entry& pick_weighted(SplitMix64& random, std::span<const Entry> table) {
  int total = 0;
  for (const Entry& entry : table) total += entry.weight;
  auto ticket = static_cast<int>(random.below(static_cast<std::uint64_t>(total)));
  for (const Entry& entry : table) {
    if (ticket < entry.weight) return entry;
    ticket -= entry.weight;
  }
  return table.front();
}

}  // namespace graphfake::data
