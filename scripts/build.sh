#!/usr/bin/env bash
# Configures and builds graphfake. Usage: build.sh [--sanitize LIST] [TARGET...]
#   --sanitize address,undefined | thread   build into build-<LIST> instead of build
# Environment (CI sets both; .ci/run):
#   GRAPHFAKE_WERROR=ON          warnings are errors (off by default)
#   GRAPHFAKE_BUILD_TYPE=Release the plain build as a user's Release build is,
#                                instead of RelWithDebInfo at -O2 -g1
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
if [ "${1:-}" = "--sanitize" ]; then
  sanitize="${2:?--sanitize needs a list, e.g. address,undefined}"
  shift 2
fi
build_dir="build${sanitize:+-${sanitize//,/-}}"

# Debug information is line tables only (-g1): enough for backtraces,
# perf and sanitizer reports, and much quicker to compile and link.
if [ -n "$sanitize" ]; then
  # Sanitizer builds are for the tests, built by clang, lightly optimised and
  # without the benchmarks. The address build also holds the libFuzzer
  # harnesses (its code is instrumented for them; scripts/fuzz.sh runs them).
  config=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DGRAPHFAKE_BUILD_BENCH=OFF)
  [ "$sanitize" = address,undefined ] && config+=(-DGRAPHFAKE_FUZZ=ON)
  export CC=clang CXX=clang++
elif [ "${GRAPHFAKE_BUILD_TYPE:-}" = Release ]; then
  # CMake's own Release flags (-O3), so that an optimiser-only warning shows.
  config=(-DCMAKE_BUILD_TYPE=Release -DGRAPHFAKE_BUILD_BENCH=ON)
else
  config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
          -DGRAPHFAKE_BUILD_BENCH=ON)
fi
cmake -S . -B "$build_dir" "${config[@]}" -DGRAPHFAKE_SANITIZE="$sanitize" \
  -DGRAPHFAKE_WERROR="${GRAPHFAKE_WERROR:-OFF}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
