#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <vector>

#include "data/line_source.h"

namespace graphfake::data {

// Rows per independently compressed segment of a blob. Data rows are 1 to
// 2 KiB of JSON (1.4 to 1.8 KiB with the full attribute set), so a segment
// is 1 to 2 MiB of text: large enough that starting each with an empty
// 32 KiB deflate window costs about 1% of the compressed size (1.2% measured
// on full reconciliation rows) and that a 10-million-row blob's index stays
// under 0.5 MiB; small enough that a Range request starting anywhere
// regenerates at most one segment, some 25 ms, beyond the bytes it serves.
// zlib's fastest level, as `gzip -1`: a test double is judged by how soon a
// client has its rows, not by bytes on loopback, and the real service's level
// is unknown. Level 6 makes blobs a third smaller and half as fast.
inline constexpr int kGzipLevel = 1;
inline constexpr std::uint64_t kGzipSegmentRows = 1024;

// One run of rows compressed by a deflate stream of its own, so that it can
// be produced without the rows before it.
struct GzipSegment {
  std::uint64_t first_row = 0;
  std::uint64_t row_count = 0;
  std::uint64_t compressed_offset = 0;  // blob offset of its first deflate byte
  std::uint64_t compressed_size = 0;
  std::uint64_t text_size = 0;
  std::uint32_t text_crc32 = 0;
};

// Where each segment of a blob's gzip bytes lies, learned by producing the
// blob once. Memory: sizeof(GzipSegment) (48 bytes) per segment, so about
// 48 bytes per kGzipSegmentRows rows (~470 KiB for 10 million rows).
struct GzipIndex {
  std::vector<GzipSegment> segments;  // in blob order, at least one (empty for 0 rows)
  std::uint64_t size = 0;             // bytes of gzip output, header and trailer included
  std::uint32_t crc32 = 0;            // CRC-32 of those bytes: changes whenever any byte does
  std::uint64_t text_size = 0;        // uncompressed bytes; the trailer's ISIZE is this mod 2^32
  std::uint32_t text_crc32 = 0;       // CRC-32 of the uncompressed text, as in the trailer
};

// Produces rows [first_row, first_row + row_count) of `source` once,
// compressed in segments of `rows_per_segment` rows, keeping only the index.
// Throws core::Stopped between segments once `stop` is requested.
GzipIndex build_gzip_index(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count,
                           std::uint64_t rows_per_segment = kGzipSegmentRows, std::stop_token stop = {});

// The gzip bytes of the blob `index` describes, from byte `offset` on,
// produced on demand: one gzip member (10-byte header with mtime 0 and no
// name, so equal input gives equal bytes) whose deflate data is the
// concatenation of the segments, each from a fresh deflate stream, every one
// but the last ended by a full flush (byte-aligned, BFINAL clear). Starting
// at `offset` regenerates only the segment holding it and those after.
// `source` and `index` must outlive the stream; memory stays bounded (about
// 400 KiB) whatever the row count.
class GzipLinesStream {
 public:
  GzipLinesStream(const LineSource& source, const GzipIndex& index, std::uint64_t offset = 0);
  ~GzipLinesStream();
  GzipLinesStream(const GzipLinesStream&) = delete;
  GzipLinesStream& operator=(const GzipLinesStream&) = delete;

  // Copies up to `capacity` further bytes into `dst`; returns 0 once the end
  // of the blob has been reached.
  std::size_t read(char* dst, std::size_t capacity);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace graphfake::data
