#include "request_ids.h"

#include <cstdio>

namespace graphfake::client::detail {

std::string RequestIds::next() {
  const std::uint64_t high = (random_() & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  const std::uint64_t low = (random_() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;   // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

}  // namespace graphfake::client::detail
