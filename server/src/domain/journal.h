#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake::domain {

// Every request a namespace answered, in answer order, up to a cap: past it
// the oldest entries are dropped and counted, so a long soak cannot exhaust
// memory. Safe to record into and read from any thread.
class Journal {
 public:
  explicit Journal(std::size_t capacity);

  // Numbers the entry and keeps it; returns its sequence number.
  std::uint64_t record(JournalEntry entry);

  std::vector<JournalEntry> entries(const JournalQuery& query) const;
  // Every entry and the dropped count, read together.
  struct Snapshot {
    std::vector<JournalEntry> entries;
    std::uint64_t dropped = 0;
  };
  Snapshot snapshot() const;
  std::size_t count(const JournalQuery& query) const;
  std::uint64_t dropped() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t dropped_ = 0;
};

bool matches(const JournalQuery& query, const JournalEntry& entry);

// '*' matches any run of characters (none included); everything else itself.
bool glob_matches(std::string_view pattern, std::string_view text);

}  // namespace graphfake::domain
