#pragma once

// Values several client tests share, each defined once. The test files of
// one executable are compiled together in batches (a unity build: see
// graphfake_test_code in CMakeLists.txt), so two files may not each define
// the same name in the same namespace; what several files need lives here.
#include <gtest/gtest.h>

#include "graphfake/admin.h"
#include "graphfake/clock.h"

namespace graphfake::testing {

// Where the virtual clock starts unless told otherwise.
inline const TimePoint t0 = VirtualClock::default_start();

// A well-formed operation id that no export was given.
inline constexpr const char* kUnknownOperationId = "0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e";
inline constexpr const char* kOperationsPath = "/v1.0/reports/partners/billing/operations/";

inline constexpr const char* kRunningType = "#microsoft.graph.partners.billing.runningOperation";
inline constexpr const char* kSuccessType = "#microsoft.graph.partners.billing.exportSuccessOperation";

// Every export fails at once, as the service does for an invoice without data.
inline constexpr const char* kFailsRule = R"({"rules": [{"name": "fails", "timeline": [
  {"status": "failed", "error": {"code": "5000", "message": "No data available"}}]}]})";

// The AdminError that `call` throws (a test failure when it throws none).
template <typename Call>
AdminError admin_error(Call&& call) {
  try {
    call();
  } catch (const AdminError& error) {
    return error;
  }
  ADD_FAILURE() << "no AdminError was thrown";
  return AdminError(0, "", "");
}

}  // namespace graphfake::testing
