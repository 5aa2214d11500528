#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake::domain {

// Reads what clients did out of a journal (its entries in sequence order):
// the Retry-After each answer advertised against when the next poll came,
// the Location each export gave against the paths polled, and so on.
// `dropped` is carried into the report, which cannot see those entries.
ClientReport client_report(const std::vector<JournalEntry>& entries, std::uint64_t dropped);

// The report as a fixed-width table, one row per operation and a total, for
// people reading a CI log.
std::string summary_table(const ClientReport& report);

}  // namespace graphfake::domain
