#pragma once

#include <array>
#include <cstdint>

namespace graphfake::data {

// Fixed-point arithmetic. Money is reconciled to the last printed digit, so
// amounts are integers and the documented ROUNDDOWNs are integer truncations.
// Products go through 128 bits so that price × quantity × rate cannot overflow.

__extension__ using Wide = __int128;

struct Decimal {
  std::int64_t units = 0;
  int scale = 0;  // value = units / 10^scale
};

// 10^exponent for 0 <= exponent <= 18, the powers an int64 holds.
constexpr std::int64_t pow10(int exponent) {
  constexpr std::array<std::int64_t, 19> kPowers{1,
                                                 10,
                                                 100,
                                                 1'000,
                                                 10'000,
                                                 100'000,
                                                 1'000'000,
                                                 10'000'000,
                                                 100'000'000,
                                                 1'000'000'000,
                                                 10'000'000'000,
                                                 100'000'000'000,
                                                 1'000'000'000'000,
                                                 10'000'000'000'000,
                                                 100'000'000'000'000,
                                                 1'000'000'000'000'000,
                                                 10'000'000'000'000'000,
                                                 100'000'000'000'000'000,
                                                 1'000'000'000'000'000'000};
  return kPowers[static_cast<std::size_t>(exponent)];
}

// a × b / divisor, truncated toward zero: exactly Excel's ROUNDDOWN.
constexpr std::int64_t multiply_round_down(std::int64_t a, std::int64_t b, std::int64_t divisor) {
  return static_cast<std::int64_t>(Wide{a} * b / divisor);
}

// a × b / divisor, rounded to nearest with halves away from zero.
constexpr std::int64_t multiply_round_half_away(std::int64_t a, std::int64_t b,
                                                std::int64_t divisor) {
  const Wide product = Wide{a} * b;
  const Wide half = divisor / 2;
  return static_cast<std::int64_t>((product < 0 ? product - half : product + half) / divisor);
}

}  // namespace graphfake::data
