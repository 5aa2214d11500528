#include "domain/journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <stdexcept>

namespace graphfake {
namespace {

// In the enum's order.
constexpr std::array<std::string_view, 6> kEndpointNames = {"export", "operation", "manifest",
                                                            "blob",   "unsupported", "unmatched"};

}  // namespace

std::string_view to_string(Endpoint endpoint) { return kEndpointNames.at(static_cast<std::size_t>(endpoint)); }

std::ostream& operator<<(std::ostream& os, Endpoint endpoint) { return os << to_string(endpoint); }

}  // namespace graphfake

namespace graphfake::domain {

std::optional<Endpoint> endpoint_named(std::string_view name) {
  for (std::size_t i = 0; i < kEndpointNames.size(); ++i) {
    if (kEndpointNames[i] == name) return static_cast<Endpoint>(i);
  }
  return std::nullopt;
}

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
  for (std::string* text :
       {&entry.method, &entry.path, &entry.query, &entry.operation_id, &entry.scenario_rule, &entry.invoice_id,
        &entry.nearest_route, &entry.fault}) {
    clip(*text, Journal::kTextKept);
  }
  clip(entry.request_headers);
  clip(entry.response_headers);
}

}  // namespace

JournalSpace::JournalSpace(std::size_t byte_capacity) : byte_capacity_(byte_capacity) {
  if (byte_capacity_ == 0) throw std::invalid_argument("graphfake::Options: journal_byte_capacity must be at least 1");
}

void JournalSpace::join(Journal& journal) {
  std::lock_guard lock(mutex_);
  journals_.push_back(&journal);
}

void JournalSpace::leave(Journal& journal) {
  std::lock_guard lock(mutex_);
  std::erase(journals_, &journal);
}

void JournalSpace::make_room() {
  std::lock_guard lock(mutex_);
  // Journals down to their latest entry are passed over from then on.
  std::vector<Journal*> candidates = journals_;
  while (bytes_.load() > byte_capacity_ && !candidates.empty()) {
    const auto largest = std::max_element(candidates.begin(), candidates.end(), [](const Journal* a, const Journal* b) {
      return a->bytes() < b->bytes();
    });
    if ((*largest)->drop_oldest() == 0) candidates.erase(largest);
  }
}

Journal::Journal(std::size_t capacity, std::size_t byte_capacity)
    : Journal(capacity, std::make_shared<JournalSpace>(byte_capacity)) {}

Journal::Journal(std::size_t capacity, std::shared_ptr<JournalSpace> space)
    : capacity_(capacity), space_(std::move(space)) {
  if (capacity_ == 0) throw std::invalid_argument("graphfake::Options: journal_capacity must be at least 1");
  space_->join(*this);
}

Journal::~Journal() {
  space_->leave(*this);
  space_->removed(bytes_.load());
}

std::uint64_t Journal::record(JournalEntry entry) {
  clip(entry);
  const auto size = footprint(entry);
  std::uint64_t sequence = 0;
  {
    std::lock_guard lock(mutex_);
    entry.sequence = sequence = next_sequence_++;
    while (entries_.size() >= capacity_) {
      const auto freed = footprint(entries_.front());
      entries_.pop_front();
      bytes_ -= freed;
      space_->removed(freed);
      ++dropped_;
    }
    bytes_ += size;
    space_->added(size);
    entries_.push_back(std::move(entry));
  }
  // Outside the journal's lock: the space takes its own first, then this
  // journal's (or another's) to drop entries. Within the capacity, as most
  // requests find it, no lock is shared between namespaces.
  if (space_->bytes() > space_->byte_capacity()) space_->make_room();
  return sequence;
}

std::size_t Journal::drop_oldest() {
  std::lock_guard lock(mutex_);
  if (entries_.size() <= 1) return 0;
  const auto freed = footprint(entries_.front());
  entries_.pop_front();
  bytes_ -= freed;
  space_->removed(freed);
  ++dropped_;
  return freed;
}

JournalPage Journal::page(const JournalQuery& query, Page page, std::size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  JournalPage found;
  std::size_t page_bytes = 0;
  bool full = false;
  for (const auto& entry : entries_) {
    if (!matches(query, entry)) continue;
    if (found.total >= page.skip && !full) {
      found.entries.push_back(entry);
      page_bytes += listed_bytes(entry);
      full = found.entries.size() == page.top || page_bytes > max_bytes;
    }
    ++found.total;
  }
  found.dropped = dropped_;
  const auto next = page.skip + found.entries.size();
  if (page.skip < found.total && next < found.total) found.next = Page{next, page.top};
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

std::uint64_t Journal::visit(const std::function<void(const JournalEntry&)>& visit) const {
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) visit(entry);
  return dropped_;
}

std::uint64_t Journal::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::size_t footprint(const JournalEntry& entry) {
  std::size_t bytes = sizeof(JournalEntry);
  for (const std::string* text : {&entry.method, &entry.path, &entry.query, &entry.request_body,
                                  &entry.operation_id, &entry.scenario_rule, &entry.invoice_id,
                                  &entry.nearest_route, &entry.fault}) {
    bytes += text->size();
  }
  for (const HeaderPairs* headers : {&entry.request_headers, &entry.response_headers}) {
    for (const auto& [name, value] : *headers) bytes += sizeof(HeaderPairs::value_type) + name.size() + value.size();
  }
  return bytes;
}

namespace {

// A text as nlohmann::json writes it (quoted, escaped, bytes that are not
// UTF-8 replaced), or more: a byte past ASCII counts as the three bytes of
// the replacement character it may become.
std::size_t json_text_bytes(std::string_view text) {
  std::size_t bytes = 2;
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      bytes += 2;
    } else if (c < 0x20) {
      bytes += 6;  // a six-byte escape
    } else {
      bytes += c < 0x80 ? 1 : 3;
    }
  }
  return bytes;
}

}  // namespace

std::size_t listed_bytes(const JournalEntry& entry) {
  // The property names, punctuation, sequence, date, status, endpoint and
  // operation status: well under this.
  std::size_t bytes = 512;
  for (const std::string* text : {&entry.method, &entry.path, &entry.query, &entry.request_body,
                                  &entry.operation_id, &entry.scenario_rule, &entry.invoice_id,
                                  &entry.nearest_route, &entry.fault}) {
    bytes += json_text_bytes(*text);
  }
  for (const HeaderPairs* headers : {&entry.request_headers, &entry.response_headers}) {
    for (const auto& [name, value] : *headers) {
      bytes += std::string_view(R"({"name":,"value":},)").size() + json_text_bytes(name) + json_text_bytes(value);
    }
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
