#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace graphfake::client {

// Exponential back-off with jitter, for waits no Retry-After decided.
// Retry n waits between half and all of min(cap, base * 2^n): the random half
// spreads clients that failed together, the fixed half keeps each wait at
// least as long as the one before. The same seed gives the same waits.
//
//   Backoff backoff(std::chrono::seconds(1), std::chrono::minutes(1), seed);
//   backoff.delay(0);  // 500..1000 ms
//   backoff.delay(3);  // 4000..8000 ms
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed);

  // The wait before retry `retry` (0 for the first).
  std::chrono::milliseconds delay(unsigned retry);

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::mt19937_64 random_;
};

}  // namespace graphfake::client
