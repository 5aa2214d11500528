#pragma once

// Checks of the rows in one decompressed blob against what real export files
// show (observed in nine real blobs, 2023–2025; docs/conformance.md lists each
// check): the framing, the key set and order, null values, number types and
// decimal scales, timestamp formats, and the columns that hold arrays or JSON
// text. Where the contract is clear (a row is a JSON object on a line of its
// own; a date column holds a date; a JSON-text column holds JSON) a break is a
// violation. Where what real files show may vary between exports or is an open
// question (key casing, the legacy camelCase reconciliation layout, fixed
// decimal scales, milliseconds, numbers as strings), the check says what it
// saw in a sentence, and marks the sentences that differ from real files.
#include <string>
#include <string_view>
#include <vector>

#include "conformance/contract.h"

namespace graphfake::conformance {

struct DataFinding {
  // "billedUsage full: Quantity has 0 to 6 decimal places; real files give every value 18".
  std::string sentence;
  // True when what was seen is not what real export files show.
  bool unlike_real_files = false;
};

struct DataRowsReport {
  Violations violations;
  std::vector<DataFinding> findings;
  std::size_t rows = 0;
};

// The rows of one blob's text (gunzipped), of an export of `kind` in
// `attribute_set`. Every sentence starts with the export and attribute set:
// "unbilledUsage basic: ".
DataRowsReport check_data_rows(std::string_view text, ExportKind kind, std::string_view attribute_set);

// The sentences of the findings unlike real files, in order.
std::vector<std::string> unlike_real_files(const std::vector<DataFinding>& findings);

}  // namespace graphfake::conformance
