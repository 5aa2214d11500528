#pragma once

#include <cstdint>
#include <string_view>

namespace graphfake::handlers {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// What a Range header asks of a resource of `size` bytes.
struct RangeRequest {
  enum class Kind {
    whole,          // no usable single range (absent, malformed or several): serve it all, as RFC 9110 allows
    part,           // serve `range` (206)
    unsatisfiable,  // 416
  };
  Kind kind = Kind::whole;
  ByteRange range;
};

// Reads "bytes=a-b", "bytes=a-" or "bytes=-n".
RangeRequest requested_range(std::string_view header, std::uint64_t size);

}  // namespace graphfake::handlers
