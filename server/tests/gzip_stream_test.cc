#include "data/gzip_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

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

 private:
  mutable std::uint64_t calls_ = 0;
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

std::string gzip_of(const LineSource& source, std::uint64_t first, std::uint64_t count) {
  GzipLinesStream stream(source, first, count);
  return read_all(stream);
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
  GzipLinesStream stream(source, 0, 100);
  read_all(stream);
  std::array<char, 64> buffer{};
  EXPECT_EQ(stream.read(buffer.data(), buffer.size()), 0U);
  EXPECT_EQ(stream.read(buffer.data(), buffer.size()), 0U);
}

TEST(GzipLinesStream, OneByteReadsGiveTheSameBytesAsLargeReads) {
  const ReconciliationGenerator generator = sample_generator(7);
  GzipLinesStream byte_at_a_time(generator, 0, 500);
  GzipLinesStream all_at_once(generator, 0, 500);
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

TEST(GzipLinesStream, PullsRowsLazily) {
  const NumberedLines source;
  GzipLinesStream stream(source, 0, 10'000'000);
  std::array<char, 16> buffer{};
  ASSERT_GT(stream.read(buffer.data(), buffer.size()), 0U);
  EXPECT_GT(source.calls(), 0U);
  EXPECT_LT(source.calls(), 100'000U);
}

TEST(GzipLinesStream, StreamsALargeExportWithoutHoldingIt) {
  const ReconciliationGenerator generator = sample_generator(11);
  constexpr std::uint64_t kRows = 200'000;
  GzipLinesStream stream(generator, 0, kRows);

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

TEST(MeasureGzip, ReportsTheSizeAndCrcOfTheBytesRead) {
  const ReconciliationGenerator generator = sample_generator(7);
  const std::string bytes = gzip_of(generator, 100, 700);
  const GzipStats stats = measure_gzip(generator, 100, 700);
  EXPECT_EQ(stats.size, bytes.size());
  const uLong expected_crc =
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
            static_cast<uInt>(bytes.size()));
  EXPECT_EQ(stats.crc32, static_cast<std::uint32_t>(expected_crc));
}

TEST(MeasureGzip, DiffersBetweenRanges) {
  const ReconciliationGenerator generator = sample_generator(7);
  EXPECT_NE(measure_gzip(generator, 0, 700).crc32, measure_gzip(generator, 1, 700).crc32);
}

}  // namespace
}  // namespace graphfake::data
