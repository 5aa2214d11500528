#pragma once

// What every conformance test file shares.
#include <gtest/gtest.h>

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
