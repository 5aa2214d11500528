#include "data/gzip_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/stopped.h"
#include "data/invoice_profile.h"
#include "data/reconciliation_generator.h"

namespace graphfake::data {
namespace {

using model::AttributeSet;

class NumberedLines final : public LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override {
    ++calls_;
    out += "{\"row\":" + std::to_string(index) + "}\n";
  }
  std::uint64_t calls() const { return calls_; }
  void forget_calls() { calls_ = 0; }

 private:
  mutable std::uint64_t calls_ = 0;
};

// Lines that get longer once `lengthen` is set: a source that does not give
// the same rows twice.
class ChangingLines final : public LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override {
    out += "{\"row\":" + std::to_string(index) + (lengthen ? ",\"extra\":\"abcdefghijklmnopqrstuvwxyz\"}\n" : "}\n");
  }
  bool lengthen = false;
};

ReconciliationGenerator sample_generator(std::uint64_t seed) {
  return ReconciliationGenerator(
      make_invoice_profile(seed, "G058476717", "6e75cca6-47f0-47a3-a928-9d5315750bd9"), seed,
      AttributeSet::full);
}

std::string read_all(GzipLinesStream& stream, std::size_t chunk = 64 * 1024) {
  std::string out;
  std::vector<char> buffer(chunk);
  while (const std::size_t count = stream.read(buffer.data(), buffer.size())) {
    out.append(buffer.data(), count);
  }
  return out;
}

std::string gzip_of(const LineSource& source, std::uint64_t first, std::uint64_t count,
                    std::uint64_t rows_per_segment = kGzipSegmentRows) {
  const GzipIndex index = build_gzip_index(source, first, count, rows_per_segment);
  GzipLinesStream stream(source, index);
  return read_all(stream);
}

// Up to `length` bytes of the blob from `offset`, from a stream started there.
std::string read_range(const LineSource& source, const GzipIndex& index, std::uint64_t offset,
                       std::uint64_t length, std::size_t chunk = 64 * 1024) {
  GzipLinesStream stream(source, index, offset);
  std::string out;
  std::vector<char> buffer(chunk);
  while (out.size() < length) {
    const auto wanted = std::min<std::uint64_t>(buffer.size(), length - out.size());
    const std::size_t count = stream.read(buffer.data(), static_cast<std::size_t>(wanted));
    if (count == 0) break;
    out.append(buffer.data(), count);
  }
  return out;
}

std::string read_from(const LineSource& source, const GzipIndex& index, std::uint64_t offset) {
  return read_range(source, index, offset, index.size);
}

std::string bytes_of_segment(const std::string& blob, const GzipSegment& segment) {
  return blob.substr(static_cast<std::size_t>(segment.compressed_offset),
                     static_cast<std::size_t>(segment.compressed_size));
}

std::string expected_text(const LineSource& source, std::uint64_t first, std::uint64_t count) {
  std::string text;
  for (std::uint64_t i = first; i < first + count; ++i) source.append_line(i, text);
  return text;
}

// Inflates exactly one complete gzip member; fails the test on anything else.
std::string gunzip(const std::string& compressed) {
  z_stream zlib{};
  EXPECT_EQ(inflateInit2(&zlib, 15 + 32), Z_OK);
  zlib.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zlib.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  std::array<char, 16 * 1024> buffer{};
  int status = Z_OK;
  while (status == Z_OK) {
    zlib.next_out = reinterpret_cast<Bytef*>(buffer.data());
    zlib.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&zlib, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - zlib.avail_out);
  }
  EXPECT_EQ(status, Z_STREAM_END) << zlib.msg;
  EXPECT_EQ(zlib.avail_in, 0U) << "bytes after the gzip member";
  inflateEnd(&zlib);
  return out;
}

struct RawInflation {
  std::string text;
  bool reached_final_block = false;
};

// Inflates bare deflate data (no gzip framing), as far as it goes.
RawInflation raw_inflate(const std::string& deflated) {
  z_stream zlib{};
  EXPECT_EQ(inflateInit2(&zlib, -15), Z_OK);
  zlib.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  zlib.avail_in = static_cast<uInt>(deflated.size());
  RawInflation result;
  std::array<char, 16 * 1024> buffer{};
  int status = Z_OK;
  while (status == Z_OK && (zlib.avail_in > 0 || zlib.avail_out == 0)) {
    zlib.next_out = reinterpret_cast<Bytef*>(buffer.data());
    zlib.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&zlib, Z_NO_FLUSH);
    result.text.append(buffer.data(), buffer.size() - zlib.avail_out);
  }
  EXPECT_TRUE(status == Z_OK || status == Z_STREAM_END) << zlib.msg;
  result.reached_final_block = status == Z_STREAM_END;
  inflateEnd(&zlib);
  return result;
}

std::uint32_t crc_of(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::uint32_t little_endian_word(const std::string& bytes, std::size_t at) {
  std::uint32_t word = 0;
  for (std::size_t i = 0; i < 4; ++i) word |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return word;
}

TEST(BuildGzipIndex, StopsWhenAskedInsteadOfCompressingEveryRow) {
  const NumberedLines source;
  std::stop_source stopping;
  stopping.request_stop();
  EXPECT_THROW(build_gzip_index(source, 0, 1'000'000'000, kGzipSegmentRows, stopping.get_token()), core::Stopped);
}

TEST(GzipLinesStream, InflatesToTheSourceLines) {
  const NumberedLines source;
  EXPECT_EQ(gunzip(gzip_of(source, 0, 1000)), expected_text(source, 0, 1000));
}

TEST(GzipLinesStream, InflatesToGeneratedReconciliationLines) {
  const ReconciliationGenerator generator = sample_generator(7);
  EXPECT_EQ(gunzip(gzip_of(generator, 0, 2000)), expected_text(generator, 0, 2000));
}

TEST(GzipLinesStream, HeaderIsGzipWithoutTimestampOrFileName) {
  const NumberedLines source;
  const std::string bytes = gzip_of(source, 0, 10);
  ASSERT_GE(bytes.size(), 18U);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  EXPECT_EQ(bytes[2], 8) << "deflate";
  EXPECT_EQ(bytes[3], 0) << "no FNAME, FCOMMENT or FEXTRA";
  EXPECT_EQ(bytes.substr(4, 4), std::string(4, '\0')) << "MTIME";
}

TEST(GzipLinesStream, StartsAtTheRequestedRow) {
  const ReconciliationGenerator generator = sample_generator(7);
  const std::string from_zero = gunzip(gzip_of(generator, 0, 300));
  const std::string from_250 = gunzip(gzip_of(generator, 250, 50));
  std::string line_250;
  generator.append_line(250, line_250);
  EXPECT_TRUE(from_250.starts_with(line_250));
  EXPECT_TRUE(from_zero.ends_with(from_250));
}

TEST(GzipLinesStream, EmptyRangeIsAValidGzipMemberWithNoLines) {
  const NumberedLines source;
  const std::string bytes = gzip_of(source, 5, 0);
  EXPECT_GE(bytes.size(), 18U);
  EXPECT_EQ(gunzip(bytes), "");
  EXPECT_EQ(source.calls(), 0U);
}

TEST(GzipLinesStream, ReadReturnsZeroOnceFinishedAndKeepsDoingSo) {
  const NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 100);
  GzipLinesStream stream(source, index);
  read_all(stream);
  std::array<char, 64> buffer{};
  EXPECT_EQ(stream.read(buffer.data(), buffer.size()), 0U);
  EXPECT_EQ(stream.read(buffer.data(), buffer.size()), 0U);
}

TEST(GzipLinesStream, OneByteReadsGiveTheSameBytesAsLargeReads) {
  const ReconciliationGenerator generator = sample_generator(7);
  const GzipIndex index = build_gzip_index(generator, 0, 500, 64);
  GzipLinesStream byte_at_a_time(generator, index);
  GzipLinesStream all_at_once(generator, index);
  EXPECT_EQ(read_all(byte_at_a_time, 1), read_all(all_at_once, 1 << 20));
}

TEST(GzipLinesStream, SameInputsGiveIdenticalBytes) {
  const ReconciliationGenerator a = sample_generator(7);
  const ReconciliationGenerator b = sample_generator(7);
  EXPECT_EQ(gzip_of(a, 0, 500), gzip_of(b, 0, 500));
}

TEST(GzipLinesStream, DifferentSeedsGiveDifferentBytes) {
  EXPECT_NE(gzip_of(sample_generator(7), 0, 500), gzip_of(sample_generator(8), 0, 500));
}

TEST(GzipLinesStream, ReadingTheFirstBytesGeneratesRowsOfTheFirstSegmentOnly) {
  NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 10 * kGzipSegmentRows);
  source.forget_calls();
  GzipLinesStream stream(source, index);
  std::array<char, 16> buffer{};
  ASSERT_EQ(stream.read(buffer.data(), buffer.size()), buffer.size());
  EXPECT_GT(source.calls(), 0U);
  EXPECT_LE(source.calls(), kGzipSegmentRows);
}

TEST(GzipLinesStream, StreamsALargeExportWithoutHoldingIt) {
  const ReconciliationGenerator generator = sample_generator(11);
  constexpr std::uint64_t kRows = 100'000;
  const GzipIndex index = build_gzip_index(generator, 0, kRows);
  GzipLinesStream stream(generator, index);

  z_stream zlib{};
  ASSERT_EQ(inflateInit2(&zlib, 15 + 32), Z_OK);
  std::array<char, 16 * 1024> compressed{};
  std::array<char, 64 * 1024> text{};
  std::uint64_t newlines = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    const std::size_t count = stream.read(compressed.data(), compressed.size());
    ASSERT_GT(count, 0U) << "stream ended before the gzip member did";
    zlib.next_in = reinterpret_cast<Bytef*>(compressed.data());
    zlib.avail_in = static_cast<uInt>(count);
    while (zlib.avail_in > 0 && status != Z_STREAM_END) {
      zlib.next_out = reinterpret_cast<Bytef*>(text.data());
      zlib.avail_out = static_cast<uInt>(text.size());
      status = inflate(&zlib, Z_NO_FLUSH);
      ASSERT_TRUE(status == Z_OK || status == Z_STREAM_END) << status;
      newlines += static_cast<std::uint64_t>(
          std::count(text.data(), text.data() + (text.size() - zlib.avail_out), '\n'));
    }
  }
  inflateEnd(&zlib);
  EXPECT_EQ(newlines, kRows);
  EXPECT_EQ(stream.read(compressed.data(), compressed.size()), 0U);
}

TEST(GzipLinesStream, StartingMidSegment_ProducesTheSameBytesAsAFullReadFromThatOffset) {
  const ReconciliationGenerator generator = sample_generator(7);
  const GzipIndex index = build_gzip_index(generator, 0, 2 * kGzipSegmentRows + 300);
  ASSERT_EQ(index.segments.size(), 3U);
  const std::string whole = read_from(generator, index, 0);
  const GzipSegment& middle = index.segments[1];
  const std::uint64_t offset = middle.compressed_offset + middle.compressed_size / 2;
  EXPECT_EQ(read_from(generator, index, offset), whole.substr(static_cast<std::size_t>(offset)));
}

TEST(GzipLinesStream, StartingAtRandomOffsetsWithRandomReadSizes_ProducesTheFullReadsBytesFromThere) {
  const NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 500, 7);
  const std::string whole = read_from(source, index, 0);
  std::mt19937_64 random(2024);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t offset = random() % (whole.size() + 1);
    const std::uint64_t length = random() % 300;
    const std::size_t chunk = 1 + static_cast<std::size_t>(random() % 97);
    SCOPED_TRACE("offset " + std::to_string(offset) + ", length " + std::to_string(length));
    EXPECT_EQ(read_range(source, index, offset, length, chunk),
              whole.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length)));
  }
}

TEST(GzipLinesStream, StartingMidBlob_GeneratesRowsFromTheSegmentHoldingTheOffsetOnward) {
  NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 100, 10);
  source.forget_calls();
  read_from(source, index, index.segments[5].compressed_offset + 3);
  EXPECT_EQ(source.calls(), 50U);
}

TEST(GzipLinesStream, StartingInTheTrailer_GeneratesNoRows) {
  NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 100, 10);
  const std::string whole = read_from(source, index, 0);
  source.forget_calls();
  EXPECT_EQ(read_from(source, index, index.size - 5), whole.substr(whole.size() - 5));
  EXPECT_EQ(source.calls(), 0U);
}

TEST(GzipLinesStream, StartingAtOrPastTheEnd_IsEmpty) {
  const NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 10);
  EXPECT_EQ(read_from(source, index, index.size), "");
  EXPECT_EQ(read_from(source, index, index.size + 10), "");
}

TEST(GzipLinesStream, TrailerHoldsTheTextsCrcAndLength) {
  const NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 300, 64);
  const std::string bytes = read_from(source, index, 0);
  const std::string text = expected_text(source, 0, 300);
  EXPECT_EQ(little_endian_word(bytes, bytes.size() - 8), crc_of(text));
  EXPECT_EQ(little_endian_word(bytes, bytes.size() - 4), static_cast<std::uint32_t>(text.size()));
}

TEST(GzipLinesStream, EveryNonFinalSegmentEndsByteAlignedWithAnEmptyStoredBlock) {
  const ReconciliationGenerator generator = sample_generator(7);
  const GzipIndex index = build_gzip_index(generator, 0, 300, 64);
  const std::string bytes = read_from(generator, index, 0);
  for (std::size_t i = 0; i + 1 < index.segments.size(); ++i) {
    EXPECT_TRUE(bytes_of_segment(bytes, index.segments[i]).ends_with(std::string("\0\0\xff\xff", 4))) << i;
  }
}

TEST(GzipLinesStream, EachSegmentInflatesOnItsOwnToItsRows_OnlyTheLastEndingTheDeflateData) {
  const ReconciliationGenerator generator = sample_generator(7);
  const GzipIndex index = build_gzip_index(generator, 0, 300, 64);
  const std::string bytes = read_from(generator, index, 0);
  for (std::size_t i = 0; i < index.segments.size(); ++i) {
    SCOPED_TRACE("segment " + std::to_string(i));
    const GzipSegment& segment = index.segments[i];
    const RawInflation inflated = raw_inflate(bytes_of_segment(bytes, segment));
    EXPECT_EQ(inflated.text, expected_text(generator, segment.first_row, segment.row_count));
    EXPECT_EQ(inflated.reached_final_block, i + 1 == index.segments.size());
  }
}

TEST(GzipLinesStream, ASourceThatChangedSinceIndexing_FailsTheReadInsteadOfServingBrokenGzip) {
  ChangingLines source;
  const GzipIndex index = build_gzip_index(source, 0, 100, 10);
  source.lengthen = true;
  GzipLinesStream stream(source, index);
  std::vector<char> buffer(index.size);
  EXPECT_THROW(while (stream.read(buffer.data(), buffer.size()) > 0) {}, std::logic_error);
}

// Blob shapes at the edges of the segmenting, each held to the same contract.
struct BlobShape {
  const char* name;
  std::uint64_t rows;
  std::size_t segments;
};

class GzipBlobShape : public ::testing::TestWithParam<BlobShape> {
 protected:
  const NumberedLines source_{};
  const GzipIndex index_ = build_gzip_index(source_, 3, GetParam().rows);
  const std::string whole_ = read_from(source_, index_, 0);
};

TEST_P(GzipBlobShape, HasTheExpectedNumberOfSegments) {
  EXPECT_EQ(index_.segments.size(), GetParam().segments);
}

TEST_P(GzipBlobShape, InflatesInGzipModeToTheSourceText) {
  EXPECT_EQ(gunzip(whole_), expected_text(source_, 3, GetParam().rows));
}

TEST_P(GzipBlobShape, WholeBlobEqualsTheConcatenationOfRangeReadsCutAtAndAroundEverySegmentBoundary) {
  std::vector<std::uint64_t> cuts = {0, 1, 9, 10, 11, index_.size - 9, index_.size - 8, index_.size - 1, index_.size};
  for (const GzipSegment& segment : index_.segments) {
    const std::uint64_t end = segment.compressed_offset + segment.compressed_size;
    for (const std::uint64_t at : {segment.compressed_offset - 1, segment.compressed_offset + 1, end - 1, end, end + 1}) {
      cuts.push_back(at);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::string concatenated;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    concatenated += read_range(source_, index_, cuts[i], cuts[i + 1] - cuts[i]);
  }
  EXPECT_EQ(concatenated, whole_);
}

TEST_P(GzipBlobShape, IndexSizeAndCrcAreThoseOfTheBytesStreamed) {
  EXPECT_EQ(index_.size, whole_.size());
  EXPECT_EQ(index_.crc32, crc_of(whole_));
}

TEST_P(GzipBlobShape, IndexTextSizeAndCrcAreThoseOfTheUncompressedText) {
  const std::string text = expected_text(source_, 3, GetParam().rows);
  EXPECT_EQ(index_.text_size, text.size());
  EXPECT_EQ(index_.text_crc32, crc_of(text));
}

TEST_P(GzipBlobShape, IndexSegmentsCoverTheRowsAndBytesInOrderWithoutGaps) {
  std::uint64_t next_row = 3;
  std::uint64_t next_offset = 10;
  for (const GzipSegment& segment : index_.segments) {
    EXPECT_EQ(segment.first_row, next_row);
    EXPECT_EQ(segment.compressed_offset, next_offset);
    EXPECT_EQ(segment.text_crc32, crc_of(expected_text(source_, segment.first_row, segment.row_count)));
    next_row += segment.row_count;
    next_offset += segment.compressed_size;
  }
  EXPECT_EQ(next_row, 3 + GetParam().rows);
  EXPECT_EQ(next_offset + 8, index_.size);
}

INSTANTIATE_TEST_SUITE_P(
    GzipLinesStream, GzipBlobShape,
    ::testing::Values(BlobShape{"EmptyBlob", 0, 1}, BlobShape{"OneRow", 1, 1},
                      BlobShape{"ExactlyOneSegment", kGzipSegmentRows, 1},
                      BlobShape{"OneSegmentAndOneRow", kGzipSegmentRows + 1, 2},
                      BlobShape{"SeveralSegmentsAndAPart", 3 * kGzipSegmentRows + 17, 4}),
    [](const ::testing::TestParamInfo<BlobShape>& info) { return std::string(info.param.name); });

TEST(GzipIndex, DiffersBetweenRanges) {
  const ReconciliationGenerator generator = sample_generator(7);
  EXPECT_NE(build_gzip_index(generator, 0, 700).crc32, build_gzip_index(generator, 1, 700).crc32);
}

TEST(GzipIndex, SegmentsHoldTheRowsPerSegmentAskedFor) {
  const NumberedLines source;
  const GzipIndex index = build_gzip_index(source, 0, 25, 10);
  ASSERT_EQ(index.segments.size(), 3U);
  EXPECT_EQ(index.segments[0].row_count, 10U);
  EXPECT_EQ(index.segments[1].row_count, 10U);
  EXPECT_EQ(index.segments[2].row_count, 5U);
}

TEST(GzipIndex, ZeroRowsPerSegmentIsRejected) {
  const NumberedLines source;
  EXPECT_THROW(build_gzip_index(source, 0, 10, 0), std::invalid_argument);
}

TEST(GzipIndex, SegmentSizeChangesOnlyHowTheRowsAreCompressed) {
  const NumberedLines source;
  const GzipIndex small_segments = build_gzip_index(source, 0, 100, 7);
  const GzipIndex one_segment = build_gzip_index(source, 0, 100, 100);
  EXPECT_EQ(small_segments.text_crc32, one_segment.text_crc32);
  EXPECT_EQ(gunzip(read_from(source, small_segments, 0)), gunzip(read_from(source, one_segment, 0)));
}

}  // namespace
}  // namespace graphfake::data
