#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "data/line_source.h"

namespace graphfake::data {

// Gzip of rows [first_row, first_row + row_count) of a LineSource, produced
// on demand: memory stays bounded whatever the row count. Output is
// byte-for-byte deterministic (no timestamp or file name in the header).
class GzipLinesStream {
 public:
  GzipLinesStream(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count);
  ~GzipLinesStream();
  GzipLinesStream(const GzipLinesStream&) = delete;
  GzipLinesStream& operator=(const GzipLinesStream&) = delete;

  // Copies up to `capacity` further bytes into `dst`; returns 0 once the whole
  // gzip member has been produced.
  std::size_t read(char* dst, std::size_t capacity);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct GzipStats {
  std::uint64_t size = 0;    // bytes of gzip output
  std::uint32_t crc32 = 0;   // CRC-32 of the gzip output bytes (not of the content)
};

// Produces the stream once, keeping only its length and checksum.
GzipStats measure_gzip(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count);

}  // namespace graphfake::data
