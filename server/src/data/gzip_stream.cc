#include "data/gzip_stream.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <map>
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

// Joins segments, in blob order, into a blob's index.
class IndexJoiner {
 public:
  void append(GzipSegment segment, std::uint32_t bytes_crc32) {
    segment.compressed_offset = offset_;
    bytes_crc_ = crc32_combine(bytes_crc_, bytes_crc32, static_cast<z_off_t>(segment.compressed_size));
    text_crc_ = crc32_combine(text_crc_, segment.text_crc32, static_cast<z_off_t>(segment.text_size));
    index_.text_size += segment.text_size;
    offset_ += segment.compressed_size;
    index_.segments.push_back(segment);
  }

  GzipIndex finish() {
    index_.text_crc32 = static_cast<std::uint32_t>(text_crc_);
    const auto trailer = trailer_of(index_);
    index_.crc32 = static_cast<std::uint32_t>(crc32_z(bytes_crc_, trailer.data(), trailer.size()));
    index_.size = offset_ + kTrailerBytes;
    return std::move(index_);
  }

 private:
  GzipIndex index_;
  uLong bytes_crc_ = crc32_z(crc32(0L, Z_NULL, 0), kGzipHeader.data(), kGzipHeader.size());
  uLong text_crc_ = crc32(0L, Z_NULL, 0);
  std::uint64_t offset_ = kGzipHeader.size();
};

std::size_t segment_count_of(std::uint64_t row_count, std::uint64_t rows_per_segment) {
  if (rows_per_segment == 0) throw std::invalid_argument("a gzip segment needs at least one row");
  // An empty blob still has one (empty, final) segment: deflate data must end
  // with a BFINAL block.
  return static_cast<std::size_t>(std::max<std::uint64_t>(1, (row_count + rows_per_segment - 1) / rows_per_segment));
}

}  // namespace

GzipIndex build_gzip_index(const LineSource& source, std::uint64_t first_row, std::uint64_t row_count,
                           std::uint64_t rows_per_segment, std::stop_token stop) {
  const std::size_t segments = segment_count_of(row_count, rows_per_segment);
  IndexJoiner joiner;
  for (std::size_t which = 0; which < segments; ++which) {
    core::throw_if_stopped(stop);
    GzipSegment segment;
    segment.first_row = first_row + which * rows_per_segment;
    segment.row_count = std::min(rows_per_segment, first_row + row_count - segment.first_row);
    SegmentDeflater deflater(source, segment.first_row, segment.row_count, which + 1 == segments);
    uLong bytes_crc = crc32(0L, Z_NULL, 0);
    for (auto chunk = deflater.next_chunk(); !chunk.empty(); chunk = deflater.next_chunk()) {
      segment.compressed_size += chunk.size();
      bytes_crc = crc32_z(bytes_crc, reinterpret_cast<const Bytef*>(chunk.data()), chunk.size());
    }
    segment.text_size = deflater.text_size();
    segment.text_crc32 = deflater.text_crc32();
    joiner.append(segment, static_cast<std::uint32_t>(bytes_crc));
  }
  return joiner.finish();
}

struct GzipIndexing::Joining {
  IndexJoiner joiner;
  // Compressed ahead of a segment another thread is still compressing.
  std::map<std::size_t, std::shared_ptr<const CompressedSegment>> waiting;
  // The last joined segments, the latest at the back.
  std::deque<std::shared_ptr<const CompressedSegment>> held;
};

GzipIndexing::GzipIndexing(std::shared_ptr<const LineSource> source, std::uint64_t first_row,
                           std::uint64_t row_count, std::uint64_t rows_per_segment)
    : source_(std::move(source)),
      first_row_(first_row),
      row_count_(row_count),
      rows_per_segment_(rows_per_segment),
      segment_count_(segment_count_of(row_count, rows_per_segment)),
      joining_(std::make_unique<Joining>()) {}

GzipIndexing::~GzipIndexing() = default;

std::uint64_t GzipIndexing::segment_rows(std::size_t which) const {
  return std::min(rows_per_segment_, first_row_ + row_count_ - segment_first_row(which));
}

bool GzipIndexing::has_work() const {
  std::lock_guard lock(mutex_);
  return !failure_ && next_to_take_ < segment_count_;
}

std::shared_ptr<const GzipIndex> GzipIndexing::index() const {
  std::lock_guard lock(mutex_);
  return index_;
}

bool GzipIndexing::failed() const {
  std::lock_guard lock(mutex_);
  return failure_ != nullptr;
}

std::uint64_t GzipIndexing::rows_left() const {
  std::lock_guard lock(mutex_);
  return row_count_ - std::min(row_count_, joined_count_ * rows_per_segment_);
}

bool GzipIndexing::work() {
  std::size_t which = 0;
  {
    std::lock_guard lock(mutex_);
    if (failure_ || next_to_take_ == segment_count_) return false;
    which = next_to_take_++;
  }
  return make(which) != nullptr;
}

std::shared_ptr<const CompressedSegment> GzipIndexing::compress(std::size_t which) const {
  auto made = std::make_shared<CompressedSegment>();
  SegmentDeflater deflater(*source_, segment_first_row(which), segment_rows(which), which + 1 == segment_count_);
  uLong bytes_crc = crc32(0L, Z_NULL, 0);
  for (auto chunk = deflater.next_chunk(); !chunk.empty(); chunk = deflater.next_chunk()) {
    made->bytes.append(chunk);
    bytes_crc = crc32_z(bytes_crc, reinterpret_cast<const Bytef*>(chunk.data()), chunk.size());
  }
  made->bytes_crc32 = static_cast<std::uint32_t>(bytes_crc);
  made->text_size = deflater.text_size();
  made->text_crc32 = deflater.text_crc32();
  return made;
}

std::shared_ptr<const CompressedSegment> GzipIndexing::make(std::size_t which) {
  std::shared_ptr<const CompressedSegment> made;
  try {
    made = compress(which);
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    joined_.notify_all();
    return nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    if (failure_) return nullptr;
    auto& joining = *joining_;
    joining.waiting.emplace(which, made);
    // Whoever compressed the segment the others wait for joins theirs too.
    while (!joining.waiting.empty() && joining.waiting.begin()->first == joined_count_) {
      const auto& segment_bytes = joining.waiting.begin()->second;
      GzipSegment segment;
      segment.first_row = segment_first_row(joined_count_);
      segment.row_count = segment_rows(joined_count_);
      segment.compressed_size = segment_bytes->bytes.size();
      segment.text_size = segment_bytes->text_size;
      segment.text_crc32 = segment_bytes->text_crc32;
      joining.joiner.append(segment, segment_bytes->bytes_crc32);
      joining.held.push_back(segment_bytes);
      if (joining.held.size() > kHeldSegments) joining.held.pop_front();
      joining.waiting.erase(joining.waiting.begin());
      ++joined_count_;
    }
    if (joined_count_ == segment_count_) {
      index_ = std::make_shared<const GzipIndex>(joining.joiner.finish());
      joining_.reset();
    }
  }
  joined_.notify_all();
  return made;
}

std::shared_ptr<const GzipIndex> GzipIndexing::wait(std::stop_token stop) {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (index_) return index_;
      if (failure_) std::rethrow_exception(failure_);
      core::throw_if_stopped(stop);
      if (next_to_take_ == segment_count_) {
        // Every segment is taken: the last are being compressed elsewhere.
        joined_.wait(lock, stop, [&] { return index_ || failure_; });
        continue;
      }
    }
    work();
  }
}

std::shared_ptr<const CompressedSegment> GzipIndexing::segment(std::size_t which, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (failure_) std::rethrow_exception(failure_);
    core::throw_if_stopped(stop);
    if (which < joined_count_) {
      if (!joining_) return nullptr;
      const auto& held = joining_->held;
      const std::size_t first_held = joined_count_ - held.size();
      return which >= first_held ? held[which - first_held] : nullptr;
    }
    if (which == next_to_take_) {
      ++next_to_take_;
      lock.unlock();
      if (auto made = make(which)) return made;
      lock.lock();
      continue;  // failed: rethrown above
    }
    joined_.wait(lock, stop, [&] { return which < joined_count_ || failure_; });
  }
}

struct GzipPassStream::State {
  std::shared_ptr<GzipIndexing> pass;
  std::stop_token stop;
  std::string_view pending;  // bytes at hand, not yet read
  bool header_sent = false;
  std::size_t next_segment = 0;
  std::shared_ptr<const CompressedSegment> held;  // the pass's bytes `pending` views
  std::optional<SegmentDeflater> deflater;        // a segment the pass let go, compressed again
  uLong text_crc = crc32(0L, Z_NULL, 0);
  std::uint64_t text_size = 0;
  GzipIndex totals;  // text size and CRC, for the trailer
  std::array<unsigned char, kTrailerBytes> trailer{};
  bool trailer_sent = false;

  // Makes the next bytes pending; false at the end of the blob.
  bool advance() {
    if (!header_sent) {
      header_sent = true;
      pending = {reinterpret_cast<const char*>(kGzipHeader.data()), kGzipHeader.size()};
      return true;
    }
    while (next_segment < pass->segment_count() || deflater) {
      if (deflater) {
        pending = deflater->next_chunk();
        if (!pending.empty()) return true;
        add_text(deflater->text_crc32(), deflater->text_size());
        deflater.reset();
        continue;
      }
      const std::size_t which = next_segment++;
      held = pass->segment(which, stop);
      if (held) {
        add_text(held->text_crc32, held->text_size);
        pending = held->bytes;
        if (!pending.empty()) return true;
        continue;
      }
      core::throw_if_stopped(stop);
      deflater.emplace(pass->source(), pass->segment_first_row(which), pass->segment_rows(which),
                       which + 1 == pass->segment_count());
    }
    held.reset();
    if (trailer_sent) return false;
    trailer_sent = true;
    totals.text_crc32 = static_cast<std::uint32_t>(text_crc);
    totals.text_size = text_size;
    trailer = trailer_of(totals);
    pending = {reinterpret_cast<const char*>(trailer.data()), trailer.size()};
    return true;
  }

 private:
  void add_text(std::uint32_t crc, std::uint64_t size) {
    text_crc = crc32_combine(text_crc, crc, static_cast<z_off_t>(size));
    text_size += size;
  }
};

GzipPassStream::GzipPassStream(std::shared_ptr<GzipIndexing> pass, std::stop_token stop)
    : state_(std::make_unique<State>()) {
  state_->pass = std::move(pass);
  state_->stop = std::move(stop);
}

GzipPassStream::~GzipPassStream() = default;

std::size_t GzipPassStream::read(char* dst, std::size_t capacity) {
  State& state = *state_;
  std::size_t copied = 0;
  while (copied < capacity) {
    if (state.pending.empty() && !state.advance()) break;
    const std::size_t count = std::min(state.pending.size(), capacity - copied);
    std::memcpy(dst + copied, state.pending.data(), count);
    copied += count;
    state.pending.remove_prefix(count);
  }
  return copied;
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
