#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake::domain {

// Every request a namespace answered, in answer order, up to a number of
// entries and of bytes: past either cap the oldest entries are dropped and
// counted, so a long soak or a client sending huge requests cannot exhaust
// memory. Each entry is cut to a size first (kBodyKept and the rest below).
// Safe to record into and read from any thread.
class Journal {
 public:
  static constexpr std::size_t kBodyKept = 64 * 1024;
  static constexpr std::size_t kTextKept = 8 * 1024;  // every other text: path, query, method, ...
  static constexpr std::size_t kHeadersKept = 100;
  static constexpr std::size_t kHeaderBytesKept = 16 * 1024;  // names and values of one header set
  static constexpr std::size_t kDefaultByteCapacity = 64 * 1024 * 1024;

  // Keeps at most `capacity` entries taking at most `byte_capacity` bytes
  // (as footprint() counts them), and always the latest entry.
  explicit Journal(std::size_t capacity, std::size_t byte_capacity = kDefaultByteCapacity);

  // Cuts the entry to size, numbers it and keeps it; returns its sequence
  // number.
  std::uint64_t record(JournalEntry entry);

  std::vector<JournalEntry> entries(const JournalQuery& query) const;
  JournalPage page(const JournalQuery& query, Page page) const;
  // Every entry and the dropped count, read together.
  struct Snapshot {
    std::vector<JournalEntry> entries;
    std::uint64_t dropped = 0;
  };
  Snapshot snapshot() const;
  std::size_t count(const JournalQuery& query) const;
  std::uint64_t dropped() const;
  std::size_t bytes() const;

 private:
  const std::size_t capacity_;
  const std::size_t byte_capacity_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t dropped_ = 0;
  std::size_t bytes_ = 0;
};

// What an entry takes in memory, near enough: the entry itself, each
// header's pair, and the characters of every text.
std::size_t footprint(const JournalEntry& entry);

bool matches(const JournalQuery& query, const JournalEntry& entry);

// '*' matches any run of characters (none included); everything else itself.
bool glob_matches(std::string_view pattern, std::string_view text);

}  // namespace graphfake::domain
