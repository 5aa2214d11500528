#include "core/ids.h"

#include <array>

namespace graphfake::core {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash64(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ mix64(seed);
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

IdGenerator::IdGenerator(std::uint64_t seed) : state_(mix64(seed)) {}

std::uint64_t IdGenerator::next() {
  std::lock_guard lock(mutex_);
  state_ += 0x9e3779b97f4a7c15ULL;
  return mix64(state_);
}

bool IdGenerator::draw(double p) { return unit() < p; }

double IdGenerator::unit() {
  // 53 random bits: every double in [0, 1) a step of 2^-53 apart.
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::string guid_from(std::uint64_t key) {
  const std::array<std::uint64_t, 2> halves{mix64(key), mix64(key ^ 0x5bd1e9955bd1e995ULL)};
  std::array<unsigned char, 16> bytes{};
  for (std::size_t i = 0; i < 16; ++i) {
    bytes[i] = static_cast<unsigned char>(halves[i / 8] >> ((i % 8) * 8));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

std::string IdGenerator::guid() { return guid_from(next()); }

std::string IdGenerator::text(std::size_t length, std::string_view alphabet) {
  std::string out;
  out.reserve(length);
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (i % 8 == 0) bits = next();
    out.push_back(alphabet[(bits & 0xff) % alphabet.size()]);
    bits >>= 8;
  }
  return out;
}

}  // namespace graphfake::core
