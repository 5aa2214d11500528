#include "graphfake/client/backoff.h"

#include <algorithm>

namespace graphfake::client {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
    : base_(base), cap_(cap), random_(seed) {}

std::chrono::milliseconds Backoff::delay(unsigned retry) {
  // Doubling past 2^30 only overflows; the cap has long been reached.
  const auto doubled = base_.count() << std::min(retry, 30u);
  const auto ceiling = std::min<std::int64_t>(doubled, cap_.count());
  const auto fixed = ceiling / 2;
  // Reduced by modulo rather than std::uniform_int_distribution, whose
  // output differs between standard libraries: a seed means the same waits
  // everywhere. The bias is below 2^-40 for any sensible cap.
  const auto spread = static_cast<std::uint64_t>(ceiling - fixed) + 1;
  return std::chrono::milliseconds(fixed + static_cast<std::int64_t>(random_() % spread));
}

}  // namespace graphfake::client
