#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graphfake/journal.h"
#include "graphfake/report.h"

namespace graphfake::domain {

class Journal;

// Reads what clients did out of a journal's entries, given in sequence
// order: the Retry-After each answer advertised against when the next poll
// came, the Location each export gave against the paths polled, and so on.
// Keeps what the report needs of each, not the entries.
class ClientReportBuilder {
 public:
  ClientReportBuilder();
  ~ClientReportBuilder();
  ClientReportBuilder(const ClientReportBuilder&) = delete;
  ClientReportBuilder& operator=(const ClientReportBuilder&) = delete;

  void add(const JournalEntry& entry);
  // `dropped` is carried into the report, which cannot see those entries.
  ClientReport finish(std::uint64_t dropped) &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

ClientReport client_report(const std::vector<JournalEntry>& entries, std::uint64_t dropped);
// Read under the journal's lock, without copying its entries.
ClientReport client_report(const Journal& journal);

// The report as a fixed-width table, one row per operation and a total, for
// people reading a CI log.
std::string summary_table(const ClientReport& report);

}  // namespace graphfake::domain
