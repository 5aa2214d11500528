#include "data/gzip_stream.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/stopped.h"

namespace graphfake::data {
namespace {

// Enough input per deflate call to keep zlib busy, small enough that memory
// stays bounded: deflate's own state (~256 KiB at these settings) dominates.
constexpr std::size_t kBatchBytes = 64 * 1024;
// deflate always writes into a buffer of this size, however much a reader
// asks for, so the calls zlib sees (and so its bytes) depend on the rows
// alone: a full flush that ends exactly at the end of the output space gets
// an extra empty block on the next call, and that must happen alike in the
// indexing pass and in every stream.
constexpr std::size_t kOutputChunkBytes = 64 * 1024;
constexpr int kRawDeflateWindowBits = -15;  // negative: no wrapper, the blob's gzip framing is ours
constexpr int kMemoryLevel = 8;

// The header real export blobs have: deflate, no name, comment or extra
// field, MTIME 0 (so equal input gives equal bytes), XFL 0, OS 3 (Unix).
constexpr std::array<unsigned char, 10> kGzipHeader = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
constexpr std::size_t kTrailerBytes = 8;

// CRC-32 and ISIZE (the text's length mod 2^32), little-endian.
std::array<unsigned char, kTrailerBytes> trailer_of(const GzipIndex& index) {
  std::array<unsigned char, kTrailerBytes> trailer{};
  for (std::size_t i = 0; i < 4; ++i) {
    trailer[i] = static_cast<unsigned char>((index.text_crc32 >> (8 * i)) & 0xff);
    trailer[4 + i] = static_cast<unsigned char>((index.text_size >> (8 * i)) & 0xff);
  }
  return trailer;
}

// One segment's deflate bytes, from a deflate stream of its own. A fresh
// stream rather than deflateReset: after a reset, bytes left in the window
// beyond the new data can steer match choices near the end of the input, so
// a segment produced after others could differ from the same segment produced
// first, as it is when a stream starts mid-blob.
class SegmentDeflater {
 public:
  SegmentDeflater(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count, bool final)
      : source_(source), next_row_(first_row), end_row_(first_row + row_count), final_(final) {
    const int status = deflateInit2(&zlib_, kGzipLevel, Z_DEFLATED, kRawDeflateWindowBits, kMemoryLevel,
                                    Z_DEFAULT_STRATEGY);
    if (status != Z_OK) {
      throw std::runtime_error(fmt::format("deflateInit2 failed with zlib status {}", status));
    }
  }
  ~SegmentDeflater() { deflateEnd(&zlib_); }
  SegmentDeflater(const SegmentDeflater&) = delete;
  SegmentDeflater& operator=(const SegmentDeflater&) = delete;

  // The segment's next deflate bytes, valid until the next call; empty once
  // the segment is complete. A final segment ends with the BFINAL block; any
  // other with a full flush, so it ends byte-aligned and the next segment's
  // blocks continue the same deflate data.
  std::string_view next_chunk() {
    zlib_.next_out = reinterpret_cast<Bytef*>(output_.data());
    zlib_.avail_out = static_cast<uInt>(output_.size());
    while (!complete_ && zlib_.avail_out > 0) {
      if (zlib_.avail_in == 0 && next_row_ < end_row_) refill_batch();
      const bool all_rows_in = next_row_ == end_row_;
      const int status = deflate(&zlib_, !all_rows_in ? Z_NO_FLUSH : final_ ? Z_FINISH : Z_FULL_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END) {
        throw std::runtime_error(fmt::format("deflate failed with zlib status {}", status));
      }
      // A full flush is done once deflate returns with output space to spare.
      complete_ = final_ ? status == Z_STREAM_END : all_rows_in && zlib_.avail_out > 0;
    }
    return {output_.data(), output_.size() - zlib_.avail_out};
  }

  std::uint32_t text_crc32() const { return static_cast<std::uint32_t>(text_crc_); }
  std::uint64_t text_size() const { return text_size_; }

 private:
  void refill_batch() {
    batch_.clear();
    while (next_row_ < end_row_ && batch_.size() < kBatchBytes) source_.append_line(next_row_++, batch_);
    text_crc_ = crc32_z(text_crc_, reinterpret_cast<const Bytef*>(batch_.data()), batch_.size());
    text_size_ += batch_.size();
    zlib_.next_in = reinterpret_cast<Bytef*>(batch_.data());
    zlib_.avail_in = static_cast<uInt>(batch_.size());
  }

  const LineSource& source_;
  std::uint64_t next_row_;
  std::uint64_t end_row_;
  bool final_;
  bool complete_ = false;
  z_stream zlib_{};
  std::string batch_;
  std::vector<char> output_ = std::vector<char>(kOutputChunkBytes);
  uLong text_crc_ = crc32(0L, Z_NULL, 0);
  std::uint64_t text_size_ = 0;
};

}  // namespace

GzipIndex build_gzip_index(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count,
                           std::uint64_t rows_per_segment, std::stop_token stop) {
  if (rows_per_segment == 0) throw std::invalid_argument("a gzip segment needs at least one row");
  GzipIndex index;
  uLong bytes_crc = crc32_z(crc32(0L, Z_NULL, 0), kGzipHeader.data(), kGzipHeader.size());
  uLong text_crc = crc32(0L, Z_NULL, 0);
  std::uint64_t offset = kGzipHeader.size();
  const std::uint64_t end_row = first_row + row_count;
  std::uint64_t next_row = first_row;
  // An empty blob still has one (empty, final) segment: deflate data must end
  // with a BFINAL block.
  do {
    core::throw_if_stopped(stop);
    GzipSegment segment;
    segment.first_row = next_row;
    segment.row_count = std::min(rows_per_segment, end_row - next_row);
    segment.compressed_offset = offset;
    SegmentDeflater deflater(source, segment.first_row, segment.row_count,
                             segment.first_row + segment.row_count == end_row);
    for (auto chunk = deflater.next_chunk(); !chunk.empty(); chunk = deflater.next_chunk()) {
      segment.compressed_size += chunk.size();
      bytes_crc = crc32_z(bytes_crc, reinterpret_cast<const Bytef*>(chunk.data()), chunk.size());
    }
    segment.text_size = deflater.text_size();
    segment.text_crc32 = deflater.text_crc32();
    text_crc = crc32_combine(text_crc, segment.text_crc32, static_cast<z_off_t>(segment.text_size));
    index.text_size += segment.text_size;
    offset += segment.compressed_size;
    next_row += segment.row_count;
    index.segments.push_back(segment);
  } while (next_row < end_row);

  index.text_crc32 = static_cast<std::uint32_t>(text_crc);
  const auto trailer = trailer_of(index);
  index.crc32 = static_cast<std::uint32_t>(crc32_z(bytes_crc, trailer.data(), trailer.size()));
  index.size = offset + kTrailerBytes;
  return index;
}

struct GzipLinesStream::State {
  const LineSource& source;
  const GzipIndex& index;
  std::uint64_t position;  // blob offset of the next byte read() returns
  std::array<unsigned char, kTrailerBytes> trailer;
  // Made when the first deflate byte is wanted, so a stream that is never
  // read (HEAD) or starts in the trailer costs no compressor.
  std::optional<SegmentDeflater> deflater;
  std::size_t segment = 0;            // the one `deflater` produces
  std::string_view chunk;             // its output not yet passed over
  std::uint64_t chunk_position = 0;   // blob offset of chunk's first byte

  State(const LineSource& line_source, const GzipIndex& gzip_index, std::uint64_t offset)
      : source(line_source), index(gzip_index), position(offset), trailer(trailer_of(gzip_index)) {}

  // The blob's bytes from `position` on, at least one of them, as far as they
  // are at hand. Requires position < index.size.
  std::string_view bytes_at_position() {
    const std::uint64_t trailer_start = index.size - kTrailerBytes;
    if (position < kGzipHeader.size()) {
      return as_chars(kGzipHeader.data(), kGzipHeader.size()).substr(static_cast<std::size_t>(position));
    }
    if (position >= trailer_start) {
      return as_chars(trailer.data(), trailer.size()).substr(static_cast<std::size_t>(position - trailer_start));
    }
    while (position >= chunk_position + chunk.size()) {
      if (!deflater) {
        open_segment(segment_holding(position));
        continue;
      }
      chunk_position += chunk.size();
      chunk = deflater->next_chunk();
      check_against_index();
      if (chunk.empty()) open_segment(segment + 1);
    }
    return chunk.substr(static_cast<std::size_t>(position - chunk_position));
  }

 private:
  static std::string_view as_chars(const unsigned char* bytes, std::size_t size) {
    return {reinterpret_cast<const char*>(bytes), size};
  }

  std::size_t segment_holding(std::uint64_t offset) const {
    const auto after = std::upper_bound(
        index.segments.begin(), index.segments.end(), offset,
        [](std::uint64_t wanted, const GzipSegment& candidate) { return wanted < candidate.compressed_offset; });
    return static_cast<std::size_t>(after - index.segments.begin()) - 1;
  }

  void open_segment(std::size_t which) {
    const GzipSegment& next = index.segments[which];
    segment = which;
    deflater.emplace(source, next.first_row, next.row_count, which + 1 == index.segments.size());
    chunk = {};
    chunk_position = next.compressed_offset;
  }

  // A source that does not give the same rows twice would otherwise make
  // bytes the index does not describe, and a blob that does not inflate.
  void check_against_index() const {
    const GzipSegment& current = index.segments[segment];
    const std::uint64_t produced_to = chunk_position + chunk.size();
    const std::uint64_t indexed_to = current.compressed_offset + current.compressed_size;
    if (produced_to > indexed_to || (chunk.empty() && produced_to != indexed_to)) {
      throw std::logic_error(fmt::format(
          "gzip segment {} (rows {}..{}) came out at another length than when it was indexed: "
          "the line source is not deterministic",
          segment, current.first_row, current.first_row + current.row_count));
    }
  }
};

GzipLinesStream::GzipLinesStream(const LineSource& source, const GzipIndex& index, std::uint64_t offset)
    : state_(std::make_unique<State>(source, index, offset)) {}

GzipLinesStream::~GzipLinesStream() = default;

std::size_t GzipLinesStream::read(char* dst, std::size_t capacity) {
  State& state = *state_;
  std::size_t copied = 0;
  while (copied < capacity && state.position < state.index.size) {
    const std::string_view available = state.bytes_at_position();
    const std::size_t count = std::min(available.size(), capacity - copied);
    std::memcpy(dst + copied, available.data(), count);
    copied += count;
    state.position += count;
  }
  return copied;
}

}  // namespace graphfake::data
