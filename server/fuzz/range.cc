// Fuzzes handlers::requested_range. The first 8 bytes are the resource's size
// (little-endian), the rest the Range header. A part it grants must lie
// inside the resource.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "handlers/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t resource_size = 0;
  const std::size_t size_bytes = std::min(size, sizeof resource_size);
  std::memcpy(&resource_size, data, size_bytes);
  const std::string_view header(reinterpret_cast<const char*>(data) + size_bytes, size - size_bytes);

  using graphfake::handlers::RangeRequest;
  const RangeRequest asked = graphfake::handlers::requested_range(header, resource_size);
  if (asked.kind == RangeRequest::Kind::part) {
    const auto [first, length] = asked.range;
    if (length == 0 || first >= resource_size || length > resource_size - first) std::abort();
  }
  return 0;
}
