#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace graphfake::client::detail {

// client-request-id values: random (version 4) GUIDs from a seeded
// generator, so the same seed sends the same ids.
class RequestIds {
 public:
  explicit RequestIds(std::uint64_t seed) : random_(seed) {}
  std::string next();

 private:
  std::mt19937_64 random_;
};

}  // namespace graphfake::client::detail
