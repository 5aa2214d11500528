#include "domain/journal.h"

#include <stdexcept>

namespace graphfake::domain {

Journal::Journal(std::size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0) throw std::invalid_argument("graphfake::Options: journal_capacity must be at least 1");
}

std::uint64_t Journal::record(JournalEntry entry) {
  std::lock_guard lock(mutex_);
  entry.sequence = next_sequence_++;
  if (entries_.size() == capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
  entries_.push_back(std::move(entry));
  return entries_.back().sequence;
}

std::vector<JournalEntry> Journal::entries(const JournalQuery& query) const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> found;
  for (const auto& entry : entries_) {
    if (matches(query, entry)) found.push_back(entry);
  }
  return found;
}

std::size_t Journal::count(const JournalQuery& query) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& entry : entries_) n += matches(query, entry) ? 1 : 0;
  return n;
}

Journal::Snapshot Journal::snapshot() const {
  std::lock_guard lock(mutex_);
  return Snapshot{std::vector<JournalEntry>(entries_.begin(), entries_.end()), dropped_};
}

std::uint64_t Journal::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

bool matches(const JournalQuery& query, const JournalEntry& entry) {
  if (query.method && *query.method != entry.method) return false;
  if (query.path_pattern && !glob_matches(*query.path_pattern, entry.path)) return false;
  if (query.operation_id && *query.operation_id != entry.operation_id) return false;
  if (query.status && *query.status != entry.status) return false;
  if (query.endpoint && *query.endpoint != entry.endpoint) return false;
  if (query.invoice_id && *query.invoice_id != entry.invoice_id) return false;
  return true;
}

bool glob_matches(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point: linear in practice, and never
  // exponential however many stars the pattern has.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace graphfake::domain
