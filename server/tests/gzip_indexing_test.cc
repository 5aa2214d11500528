// GzipIndexing and GzipPassStream: a blob's index built by several threads,
// and its bytes read while it is built, equal to the single-threaded ones.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/stopped.h"
#include "data/gzip_stream.h"
#include "data/invoice_profile.h"
#include "data/reconciliation_generator.h"

namespace graphfake::data {
namespace {

// Generated reconciliation rows (realistic segment sizes) that count the rows
// made, from any thread, and can be told to fail at one row.
class PassTalliedRows final : public LineSource {
 public:
  explicit PassTalliedRows(std::uint64_t fail_at = UINT64_MAX)
      : generator_(make_invoice_profile(11, "G058476717", "6e75cca6-47f0-47a3-a928-9d5315750bd9"), 11,
                   model::AttributeSet::full),
        fail_at_(fail_at) {}
  void append_line(std::uint64_t index, std::string& out) const override {
    if (index == fail_at_) throw std::runtime_error("row unavailable");
    ++made_;
    generator_.append_line(index, out);
  }
  std::uint64_t made() const { return made_; }

 private:
  ReconciliationGenerator generator_;
  std::uint64_t fail_at_;
  mutable std::atomic<std::uint64_t> made_ = 0;
};

constexpr std::uint64_t kPassRows = 3000;
constexpr std::uint64_t kPassSegmentRows = 64;  // 47 segments: many for the threads to share

void expect_same_index(const GzipIndex& built, const GzipIndex& reference) {
  EXPECT_EQ(built.size, reference.size);
  EXPECT_EQ(built.crc32, reference.crc32);
  EXPECT_EQ(built.text_size, reference.text_size);
  EXPECT_EQ(built.text_crc32, reference.text_crc32);
  ASSERT_EQ(built.segments.size(), reference.segments.size());
  for (std::size_t i = 0; i < built.segments.size(); ++i) {
    EXPECT_EQ(built.segments[i].first_row, reference.segments[i].first_row) << i;
    EXPECT_EQ(built.segments[i].row_count, reference.segments[i].row_count) << i;
    EXPECT_EQ(built.segments[i].compressed_offset, reference.segments[i].compressed_offset) << i;
    EXPECT_EQ(built.segments[i].compressed_size, reference.segments[i].compressed_size) << i;
    EXPECT_EQ(built.segments[i].text_size, reference.segments[i].text_size) << i;
    EXPECT_EQ(built.segments[i].text_crc32, reference.segments[i].text_crc32) << i;
  }
}

std::string pass_bytes_reference(const LineSource& source, std::uint64_t first, std::uint64_t rows,
                                 std::uint64_t rows_per_segment) {
  const auto index = build_gzip_index(source, first, rows, rows_per_segment);
  GzipLinesStream stream(source, index);
  std::string out;
  std::vector<char> buffer(64 * 1024);
  while (const auto count = stream.read(buffer.data(), buffer.size())) out.append(buffer.data(), count);
  return out;
}

std::string read_pass_stream(GzipPassStream& stream, std::size_t chunk) {
  std::string out;
  std::vector<char> buffer(chunk);
  while (const auto count = stream.read(buffer.data(), buffer.size())) out.append(buffer.data(), count);
  return out;
}

// Threads calling work() until the pass has nothing left to take.
std::vector<std::jthread> pass_workers(const std::shared_ptr<GzipIndexing>& pass, std::size_t count) {
  std::vector<std::jthread> workers;
  for (std::size_t i = 0; i < count; ++i) {
    workers.emplace_back([pass] {
      while (pass->work()) {
      }
    });
  }
  return workers;
}

TEST(GzipIndexing, ConcurrentWorkers_BuildTheSingleThreadedIndex) {
  const auto source = std::make_shared<PassTalliedRows>();
  auto pass = std::make_shared<GzipIndexing>(source, 5, kPassRows, kPassSegmentRows);
  pass_workers(pass, 4);  // joined here
  ASSERT_NE(pass->index(), nullptr);
  expect_same_index(*pass->index(), build_gzip_index(*source, 5, kPassRows, kPassSegmentRows));
}

TEST(GzipIndexing, WaitingAloneBuildsTheIndex) {
  const auto source = std::make_shared<PassTalliedRows>();
  GzipIndexing pass(source, 0, kPassRows, kPassSegmentRows);
  expect_same_index(*pass.wait({}), build_gzip_index(*source, 0, kPassRows, kPassSegmentRows));
}

TEST(GzipIndexing, ConcurrentWaitersShareOnePassMakingEachRowOnce) {
  const auto source = std::make_shared<PassTalliedRows>();
  auto pass = std::make_shared<GzipIndexing>(source, 0, kPassRows, kPassSegmentRows);
  std::vector<std::shared_ptr<const GzipIndex>> seen(4);
  {
    std::vector<std::jthread> waiters;
    for (auto& index : seen) waiters.emplace_back([&index, pass] { index = pass->wait({}); });
  }
  EXPECT_EQ(source->made(), kPassRows);
  for (const auto& index : seen) EXPECT_EQ(index, seen[0]);
}

TEST(GzipIndexing, AnEmptyBlobHasTheSingleThreadedIndexOfOneEmptySegment) {
  const auto source = std::make_shared<PassTalliedRows>();
  GzipIndexing pass(source, 0, 0);
  expect_same_index(*pass.wait({}), build_gzip_index(*source, 0, 0));
}

TEST(GzipIndexing, ConcurrentWaiters_AllGetTheFailureOfASourceThatFails) {
  auto pass = std::make_shared<GzipIndexing>(std::make_shared<PassTalliedRows>(1000), 0, kPassRows, kPassSegmentRows);
  std::atomic<int> failed_waiters = 0;
  {
    std::vector<std::jthread> waiters;
    for (int i = 0; i < 3; ++i) {
      waiters.emplace_back([&failed_waiters, pass] {
        try {
          pass->wait({});
        } catch (const std::runtime_error&) {
          ++failed_waiters;
        }
      });
    }
  }
  EXPECT_EQ(failed_waiters, 3);
  EXPECT_TRUE(pass->failed());
  EXPECT_EQ(pass->index(), nullptr);
}

TEST(GzipIndexing, WaitingThrowsStoppedOnceStopIsRequested) {
  GzipIndexing pass(std::make_shared<PassTalliedRows>(), 0, 1'000'000'000);
  std::stop_source stopping;
  stopping.request_stop();
  EXPECT_THROW(pass.wait(stopping.get_token()), core::Stopped);
}

TEST(GzipPassStream, ConcurrentlyIndexed_ReadGivesTheSingleThreadedBytes) {
  const auto source = std::make_shared<PassTalliedRows>();
  auto pass = std::make_shared<GzipIndexing>(source, 0, kPassRows, kPassSegmentRows);
  auto workers = pass_workers(pass, 2);
  GzipPassStream stream(pass, {});
  EXPECT_EQ(read_pass_stream(stream, 1000), pass_bytes_reference(*source, 0, kPassRows, kPassSegmentRows));
}

TEST(GzipPassStream, ReadAloneBuildsTheIndexAsItGoes) {
  const auto source = std::make_shared<PassTalliedRows>();
  auto pass = std::make_shared<GzipIndexing>(source, 0, kPassRows, kPassSegmentRows);
  GzipPassStream stream(pass, {});
  read_pass_stream(stream, 64 * 1024);
  EXPECT_EQ(source->made(), kPassRows);
  ASSERT_NE(pass->index(), nullptr);
  expect_same_index(*pass->index(), build_gzip_index(*source, 0, kPassRows, kPassSegmentRows));
}

TEST(GzipPassStream, AReaderFallenBehindThePassMakesTheSegmentsItLetGoTheSame) {
  const auto source = std::make_shared<PassTalliedRows>();
  auto pass = std::make_shared<GzipIndexing>(source, 0, kPassRows, kPassSegmentRows);
  GzipPassStream stream(pass, {});
  std::string bytes(100, '\0');
  bytes.resize(stream.read(bytes.data(), bytes.size()));
  pass->wait({});  // the pass completes and lets every segment go
  bytes += read_pass_stream(stream, 777);
  EXPECT_EQ(bytes, pass_bytes_reference(*source, 0, kPassRows, kPassSegmentRows));
}

TEST(GzipPassStream, AnEmptyBlobGivesTheSingleThreadedBytes) {
  const auto source = std::make_shared<PassTalliedRows>();
  GzipPassStream stream(std::make_shared<GzipIndexing>(source, 0, 0), {});
  EXPECT_EQ(read_pass_stream(stream, 7), pass_bytes_reference(*source, 0, 0, kGzipSegmentRows));
}

TEST(GzipPassStream, ReadingAfterStopIsRequestedThrowsStopped) {
  std::stop_source stopping;
  GzipPassStream stream(std::make_shared<GzipIndexing>(std::make_shared<PassTalliedRows>(), 0, kPassRows),
                        stopping.get_token());
  std::vector<char> buffer(10);
  ASSERT_EQ(stream.read(buffer.data(), buffer.size()), 10u);  // the header
  stopping.request_stop();
  EXPECT_THROW(stream.read(buffer.data(), buffer.size()), core::Stopped);
}

}  // namespace
}  // namespace graphfake::data
