#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/journal.h"

namespace graphfake::domain {

class Journal;

// The bytes every journal of one server draws from: the default
// namespace's, every named one's, and those of earlier generations that
// requests in flight still record into. Past the capacity, the journal
// holding the most bytes drops its oldest entries, so one namespace's huge
// requests crowd out its own history before anyone else's. Each journal
// keeps its latest entry, so the total passes the capacity by at most one
// entry per journal. (Unlike SharedBytes, which refuses a scenario load past
// its capacity, a journal cannot refuse: every request is recorded, and old
// entries make room.)
class JournalSpace {
 public:
  explicit JournalSpace(std::size_t byte_capacity);
  JournalSpace(const JournalSpace&) = delete;
  JournalSpace& operator=(const JournalSpace&) = delete;

  std::size_t byte_capacity() const { return byte_capacity_; }
  std::size_t bytes() const { return bytes_.load(); }

 private:
  friend class Journal;
  void join(Journal& journal);
  void leave(Journal& journal);
  void added(std::size_t bytes) { bytes_ += bytes; }
  void removed(std::size_t bytes) { bytes_ -= bytes; }
  // Drops entries, oldest first from the journal holding the most, until
  // the total is back within the capacity or every journal holds one entry.
  void make_room();

  const std::size_t byte_capacity_;
  std::atomic<std::size_t> bytes_{0};
  std::mutex mutex_;  // guards journals_; a journal's own lock is taken inside it, never the other way
  std::vector<Journal*> journals_;
};

// Every request a namespace answered, in answer order, up to a number of
// entries, and within the bytes of its JournalSpace: past either the
// oldest entries are dropped and counted, so a long soak or a client
// sending huge requests cannot exhaust memory. Each entry is cut to a size
// first (kBodyKept and the rest below). Safe to record into and read from
// any thread.
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
  // Draws its bytes from `space`, shared with other journals.
  Journal(std::size_t capacity, std::shared_ptr<JournalSpace> space);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Cuts the entry to size, numbers it and keeps it; returns its sequence
  // number.
  std::uint64_t record(JournalEntry entry);

  std::vector<JournalEntry> entries(const JournalQuery& query) const;
  // Up to page.top matching entries, fewer when their JSON (listed_bytes;
  // escaping can make it six times an entry's bytes) passes `max_bytes`: the
  // page ends with the entry that passes it.
  JournalPage page(const JournalQuery& query, Page page, std::size_t max_bytes = Page::kMaxBytes) const;
  // Calls `visit` with every entry, oldest first, under the journal's lock
  // (so without copying them); returns the dropped count, read with them.
  std::uint64_t visit(const std::function<void(const JournalEntry&)>& visit) const;
  std::size_t count(const JournalQuery& query) const;
  std::uint64_t dropped() const;
  std::size_t bytes() const { return bytes_.load(); }

 private:
  friend class JournalSpace;
  // Drops the oldest entry unless only the latest is left; what it freed.
  std::size_t drop_oldest();

  const std::size_t capacity_;
  const std::shared_ptr<JournalSpace> space_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t dropped_ = 0;
  std::atomic<std::size_t> bytes_{0};  // written under mutex_; read by the space without it
};

// What an entry takes in memory, near enough: the entry itself, each
// header's pair, and the characters of every text.
std::size_t footprint(const JournalEntry& entry);

// What an entry takes as JSON in a listing, near enough and never less:
// every text as JSON escapes it, and the names and numbers around them.
std::size_t listed_bytes(const JournalEntry& entry);

bool matches(const JournalQuery& query, const JournalEntry& entry);

// The endpoint the admin API names `name` ("export", "unmatched", ...), if any.
std::optional<Endpoint> endpoint_named(std::string_view name);

// '*' matches any run of characters (none included); everything else itself.
bool glob_matches(std::string_view pattern, std::string_view text);

}  // namespace graphfake::domain
