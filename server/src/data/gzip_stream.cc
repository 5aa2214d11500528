#include "data/gzip_stream.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string>

namespace graphfake::data {
namespace {

// Enough input per deflate call to keep zlib busy, small enough that memory
// stays bounded: deflate's own state (~256 KiB at these settings) dominates.
constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr int kCompressionLevel = 6;
constexpr int kGzipWindowBits = 15 + 16;  // +16 asks zlib for a gzip wrapper
constexpr int kMemoryLevel = 8;

// zlib counts bytes in uInt; larger reads are served over several calls.
uInt clamp_to_uint(std::size_t size) {
  return static_cast<uInt>(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
}

}  // namespace

struct GzipLinesStream::State {
  const LineSource& source;
  std::uint64_t next_row;
  std::uint64_t end_row;
  std::string batch;
  z_stream zlib{};
  bool finished = false;

  State(const LineSource& line_source, std::uint64_t first_row, std::uint64_t row_count)
      : source(line_source), next_row(first_row), end_row(first_row + row_count) {
    // zlib's default gzip header has mtime 0 and no file name, so equal
    // input always gives equal bytes.
    const int status = deflateInit2(&zlib, kCompressionLevel, Z_DEFLATED, kGzipWindowBits,
                                    kMemoryLevel, Z_DEFAULT_STRATEGY);
    if (status != Z_OK) {
      throw std::runtime_error(fmt::format("deflateInit2 failed with zlib status {}", status));
    }
  }
  ~State() { deflateEnd(&zlib); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  void refill_batch() {
    batch.clear();
    while (next_row < end_row && batch.size() < kBatchBytes) {
      source.append_line(next_row++, batch);
    }
    zlib.next_in = reinterpret_cast<Bytef*>(batch.data());
    zlib.avail_in = static_cast<uInt>(batch.size());
  }
};

GzipLinesStream::GzipLinesStream(const LineSource& source, std::uint64_t first_row,
                                 std::uint64_t row_count)
    : state_(std::make_unique<State>(source, first_row, row_count)) {}

GzipLinesStream::~GzipLinesStream() = default;

std::size_t GzipLinesStream::read(char* dst, std::size_t capacity) {
  State& state = *state_;
  z_stream& zlib = state.zlib;
  zlib.next_out = reinterpret_cast<Bytef*>(dst);
  zlib.avail_out = clamp_to_uint(capacity);
  const uInt offered = zlib.avail_out;

  while (!state.finished && zlib.avail_out > 0) {
    if (zlib.avail_in == 0 && state.next_row < state.end_row) state.refill_batch();
    const bool last_input = zlib.avail_in == 0 || state.next_row == state.end_row;
    const int status = deflate(&zlib, last_input ? Z_FINISH : Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      state.finished = true;
    } else if (status != Z_OK) {
      throw std::runtime_error(fmt::format("deflate failed with zlib status {}", status));
    }
  }
  return offered - zlib.avail_out;
}

GzipStats measure_gzip(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count) {
  GzipLinesStream stream(source, first_row, row_count);
  std::array<char, 64 * 1024> buffer{};
  GzipStats stats;
  uLong crc = crc32(0L, Z_NULL, 0);
  while (const std::size_t count = stream.read(buffer.data(), buffer.size())) {
    stats.size += count;
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(count));
  }
  stats.crc32 = static_cast<std::uint32_t>(crc);
  return stats;
}

}  // namespace graphfake::data
