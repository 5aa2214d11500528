#pragma once

// What every conformance test file shares.
#include <gtest/gtest.h>

#include <array>
#include <ostream>
#include <string>
#include <tuple>

#include "conformance/contract.h"
#include "conformance/target.h"

// Fails with every violation named.
#define EXPECT_CONFORMS(violations)                                              \
  do {                                                                           \
    const ::graphfake::conformance::Violations found_violations = (violations);  \
    EXPECT_TRUE(found_violations.empty()) << ::graphfake::conformance::joined(found_violations); \
  } while (false)

// Scripting a server (scenario files, minted tokens) needs the fake in this
// process; against anything else the test is skipped, saying why.
#define SKIP_UNLESS_IN_PROCESS()                                                                        \
  do {                                                                                                  \
    if (!::graphfake::conformance::target().in_process) {                                               \
      GTEST_SKIP() << "needs a server this process can script; the target is "                         \
                   << ::graphfake::conformance::target().name();                                        \
    }                                                                                                   \
  } while (false)

// A partner may have no data for some exports: a test of a kind the target
// is not asked for (GRAPH_EXPORT_KINDS) is skipped, saying so.
#define SKIP_UNLESS_ASKED_FOR(kind)                                                                     \
  do {                                                                                                  \
    if (!::graphfake::conformance::target().asks_for(kind)) {                                           \
      GTEST_SKIP() << "GRAPH_EXPORT_KINDS does not ask " << ::graphfake::conformance::target().name()  \
                   << " for " << ::graphfake::conformance::name_of(kind) << " exports";                 \
    }                                                                                                   \
  } while (false)

namespace graphfake::conformance {

inline constexpr std::array kBilledKinds = {ExportKind::billed_reconciliation, ExportKind::billed_usage};
inline constexpr std::array kUnbilledKinds = {ExportKind::unbilled_reconciliation, ExportKind::unbilled_usage};
inline constexpr std::array kUsageKinds = {ExportKind::billed_usage, ExportKind::unbilled_usage};

// Tests of one export kind. A contract area derives its suite from this and
// instantiates it over the kinds the contract it states covers.
class ExportKindTest : public ::testing::TestWithParam<ExportKind> {
 protected:
  void SetUp() override { SKIP_UNLESS_ASKED_FOR(kind()); }
  ExportKind kind() const { return GetParam(); }
  const ExportRun& full_export() const { return shared_export(kind(), "full"); }
};

// Tests of one export kind's data in one attribute set.
using KindAndAttributeSet = std::tuple<ExportKind, std::string>;
class ExportAttributeSetTest : public ::testing::TestWithParam<KindAndAttributeSet> {
 protected:
  void SetUp() override { SKIP_UNLESS_ASKED_FOR(kind()); }
  ExportKind kind() const { return std::get<0>(GetParam()); }
  const std::string& attribute_set() const { return std::get<1>(GetParam()); }
  const ExportRun& shared_run() const { return shared_export(kind(), attribute_set()); }
};

// Both attribute sets of each of `kinds`.
template <std::size_t N>
auto each_attribute_set_of(const std::array<ExportKind, N>& kinds) {
  return ::testing::Combine(::testing::ValuesIn(kinds), ::testing::Values(std::string("full"), std::string("basic")));
}

// How GoogleTest shows a parameter: by name, not as the enum's bytes.
inline void PrintTo(ExportKind kind, std::ostream* out) { *out << name_of(kind); }

// Test names that say what they ran against: "billedUsage", "billedUsage_basic".
struct ReadableTestName {
  std::string operator()(const ::testing::TestParamInfo<ExportKind>& info) const {
    return std::string(name_of(info.param));
  }
  std::string operator()(const ::testing::TestParamInfo<KindAndAttributeSet>& info) const {
    return std::string(name_of(std::get<0>(info.param))) + "_" + std::get<1>(info.param);
  }
};

}  // namespace graphfake::conformance
