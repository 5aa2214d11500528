// Values several unit tests share, each defined once. The test files of one
// executable are compiled together in batches (a unity build: see
// graphfake_test_code in CMakeLists.txt), so two files may not each define
// the same name in the same namespace; what several files need lives here.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "graphfake/clock.h"
#include "graphfake/dialect.h"
#include "model/export.h"

namespace graphfake::unit_test {

// Where the virtual clock starts unless told otherwise.
inline const TimePoint t0 = VirtualClock::default_start();

inline constexpr const char* kBilledExportPath = "/v1.0/reports/partners/billing/reconciliation/billed/export";
inline constexpr const char* kJsonContentType = "application/json";

// "[[…]]" nested `depth` deep.
inline std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// A billed reconciliation export request for `invoice`.
inline model::ExportRequest billed(std::string invoice, model::AttributeSet set = model::AttributeSet::full) {
  model::ExportRequest request;
  request.invoice_id = std::move(invoice);
  request.attribute_set = set;
  return request;
}

// The dialect that matches request properties and values without regard to case.
inline Dialect case_insensitive() {
  Dialect dialect;
  dialect.case_insensitive_requests = true;
  return dialect;
}

}  // namespace graphfake::unit_test
