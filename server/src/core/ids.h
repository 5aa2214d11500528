#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace graphfake::core {

// splitmix64: a stateless mixer, so derived values need no shared state.
std::uint64_t mix64(std::uint64_t x);
// FNV-1a, for folding strings (invoice ids, ...) into seeds.
std::uint64_t hash64(std::string_view text, std::uint64_t seed = 0);

// The server's one source of random identifiers, seeded so that the same
// sequence of requests yields the same ids. Thread-safe.
class IdGenerator {
 public:
  explicit IdGenerator(std::uint64_t seed);

  std::uint64_t next();
  // True with probability `p` (0 < p <= 1).
  bool draw(double p);
  // Uniform in [0, 1).
  double unit();
  // Lower-case RFC 4122 version-4 GUID.
  std::string guid();
  // `length` characters drawn from `alphabet`.
  std::string text(std::size_t length, std::string_view alphabet);

 private:
  std::mutex mutex_;
  std::uint64_t state_;
};

// A GUID that is a pure function of `key` (not drawn from a generator).
std::string guid_from(std::uint64_t key);

inline constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace graphfake::core
