#include "domain/journal.h"

#include <fmt/format.h>

#include <stdexcept>

namespace graphfake::domain {
namespace {

void clip(std::string& text, std::size_t kept) {
  if (text.size() <= kept) return;
  const auto cut = text.size() - kept;
  text.resize(kept);
  text += fmt::format("[graphfake truncated {} bytes]", cut);
  text.shrink_to_fit();
}

// Keeps the first headers up to the count and byte limits; the rest become
// one header saying what was left out.
void clip(HeaderPairs& headers) {
  std::size_t kept = 0;
  std::size_t kept_bytes = 0;
  for (; kept < headers.size() && kept < Journal::kHeadersKept; ++kept) {
    const auto& [name, value] = headers[kept];
    if (kept_bytes + name.size() + value.size() > Journal::kHeaderBytesKept) break;
    kept_bytes += name.size() + value.size();
  }
  if (kept == headers.size()) return;
  std::size_t left_bytes = 0;
  for (auto it = headers.begin() + static_cast<std::ptrdiff_t>(kept); it != headers.end(); ++it) {
    left_bytes += it->first.size() + it->second.size();
  }
  const auto left = headers.size() - kept;
  headers.resize(kept);
  headers.emplace_back("graphfake-truncated",
                       fmt::format("{} more headers ({} bytes of names and values) not kept", left, left_bytes));
  headers.shrink_to_fit();
}

void clip(JournalEntry& entry) {
  clip(entry.request_body, Journal::kBodyKept);
  for (std::string* text : {&entry.method, &entry.path, &entry.query, &entry.endpoint, &entry.operation_id,
                            &entry.operation_status, &entry.scenario_rule, &entry.invoice_id, &entry.nearest_route}) {
    clip(*text, Journal::kTextKept);
  }
  clip(entry.request_headers);
  clip(entry.response_headers);
}

}  // namespace

Journal::Journal(std::size_t capacity, std::size_t byte_capacity) : capacity_(capacity), byte_capacity_(byte_capacity) {
  if (capacity_ == 0) throw std::invalid_argument("graphfake::Options: journal_capacity must be at least 1");
  if (byte_capacity_ == 0) throw std::invalid_argument("graphfake::Options: journal_byte_capacity must be at least 1");
}

std::uint64_t Journal::record(JournalEntry entry) {
  clip(entry);
  const auto size = footprint(entry);
  std::lock_guard lock(mutex_);
  entry.sequence = next_sequence_++;
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + size > byte_capacity_)) {
    bytes_ -= footprint(entries_.front());
    entries_.pop_front();
    ++dropped_;
  }
  bytes_ += size;
  entries_.push_back(std::move(entry));
  return entries_.back().sequence;
}

JournalPage Journal::page(const JournalQuery& query, Page page) const {
  std::lock_guard lock(mutex_);
  JournalPage found;
  for (const auto& entry : entries_) {
    if (!matches(query, entry)) continue;
    if (found.total >= page.skip && found.entries.size() < page.top) found.entries.push_back(entry);
    ++found.total;
  }
  found.dropped = dropped_;
  if (page.skip < found.total && found.total - page.skip > page.top) found.next = Page{page.skip + page.top, page.top};
  return found;
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

std::size_t Journal::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t footprint(const JournalEntry& entry) {
  std::size_t bytes = sizeof(JournalEntry);
  for (const std::string* text : {&entry.method, &entry.path, &entry.query, &entry.request_body, &entry.endpoint,
                                  &entry.operation_id, &entry.operation_status, &entry.scenario_rule,
                                  &entry.invoice_id, &entry.nearest_route}) {
    bytes += text->size();
  }
  for (const HeaderPairs* headers : {&entry.request_headers, &entry.response_headers}) {
    for (const auto& [name, value] : *headers) bytes += sizeof(HeaderPairs::value_type) + name.size() + value.size();
  }
  return bytes;
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
