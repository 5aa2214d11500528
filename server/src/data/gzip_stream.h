#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
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

// One segment's deflate bytes, made by a GzipIndexing pass.
struct CompressedSegment {
  std::string bytes;
  std::uint32_t bytes_crc32 = 0;  // of `bytes`
  std::uint64_t text_size = 0;
  std::uint32_t text_crc32 = 0;
};

// A blob's index being built, shared by everyone who wants the blob
// meanwhile. Its segments are compressed by whichever threads call work()
// (a small pool of workers, and the requests waiting for it), each segment
// by one thread from a deflate stream of its own, and joined in blob order:
// the index is build_gzip_index's, and its bytes GzipLinesStream's, however
// many threads made it. A GzipPassStream reads the blob's bytes from the
// pass as they are joined, so a reader need not wait for the whole index.
// Memory while it runs: the last kHeldSegments joined segments' bytes, plus
// one segment per thread compressing (a segment is 100 to 200 KiB of gzip
// at level 1); once complete, only the index.
class GzipIndexing {
 public:
  static constexpr std::size_t kHeldSegments = 4;

  GzipIndexing(std::shared_ptr<const LineSource> source, std::uint64_t first_row, std::uint64_t row_count,
               std::uint64_t rows_per_segment = kGzipSegmentRows);
  ~GzipIndexing();
  GzipIndexing(const GzipIndexing&) = delete;
  GzipIndexing& operator=(const GzipIndexing&) = delete;

  // Compresses the next segment no thread has taken and joins it; false
  // when none is left. A failure to compress (the source or zlib throwing)
  // fails the pass: its waiters get that exception, and work() returns false.
  bool work();
  // Whether a segment is left for work() to take.
  bool has_work() const;
  // The complete index, or null while the pass runs or after it failed.
  std::shared_ptr<const GzipIndex> index() const;
  bool failed() const;
  // Rows of the segments not joined yet: none once the index is complete.
  std::uint64_t rows_left() const;
  // The complete index, compressing segments no other thread has taken
  // meanwhile. Rethrows the pass's failure; throws core::Stopped once
  // `stop` is requested.
  std::shared_ptr<const GzipIndex> wait(std::stop_token stop);
  // Segment `which`'s bytes, in order of reading: compressed here when no
  // thread has taken it yet, waited for when one is compressing it. Null
  // when the pass no longer holds them (it keeps the last kHeldSegments
  // joined, none once complete). Throws as wait().
  std::shared_ptr<const CompressedSegment> segment(std::size_t which, std::stop_token stop);

  const LineSource& source() const { return *source_; }
  std::size_t segment_count() const { return segment_count_; }
  std::uint64_t segment_first_row(std::size_t which) const { return first_row_ + which * rows_per_segment_; }
  std::uint64_t segment_rows(std::size_t which) const;

 private:
  struct Joining;
  std::shared_ptr<const CompressedSegment> compress(std::size_t which) const;
  // Compresses segment `which`, taken by this thread, and joins it; its
  // bytes, or null if it failed.
  std::shared_ptr<const CompressedSegment> make(std::size_t which);

  const std::shared_ptr<const LineSource> source_;
  const std::uint64_t first_row_;
  const std::uint64_t row_count_;
  const std::uint64_t rows_per_segment_;
  const std::size_t segment_count_;
  mutable std::mutex mutex_;
  std::condition_variable_any joined_;  // a segment was joined, or the pass failed
  std::size_t next_to_take_ = 0;
  std::size_t joined_count_ = 0;
  std::unique_ptr<Joining> joining_;  // while the pass runs
  std::shared_ptr<const GzipIndex> index_;
  std::exception_ptr failure_;
};

// The gzip bytes of a whole blob, read from a GzipIndexing pass as its
// segments are joined (or compressed here, for a segment it no longer
// holds), so the first bytes come before the blob's length is known. The
// bytes are GzipLinesStream's. Throws core::Stopped once `stop` is
// requested, and the pass's failure. Memory: a segment's bytes held, or a
// deflate stream (about 400 KiB) for one compressed here.
class GzipPassStream {
 public:
  GzipPassStream(std::shared_ptr<GzipIndexing> pass, std::stop_token stop);
  ~GzipPassStream();
  GzipPassStream(const GzipPassStream&) = delete;
  GzipPassStream& operator=(const GzipPassStream&) = delete;

  // Copies up to `capacity` further bytes into `dst`; returns 0 once the end
  // of the blob has been reached.
  std::size_t read(char* dst, std::size_t capacity);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

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
