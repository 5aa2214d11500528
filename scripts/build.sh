#!/usr/bin/env bash
# Configures and builds graphfake. Usage: build.sh [--sanitize LIST] [TARGET...]
#   --sanitize address,undefined | thread   build into build-<LIST> instead of build
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
if [ "${1:-}" = "--sanitize" ]; then
  sanitize="${2:?--sanitize needs a list, e.g. address,undefined}"
  shift 2
fi
build_dir="build${sanitize:+-${sanitize//,/-}}"

# Sanitizer builds are for the tests: unoptimised (they compile much faster
# and the tests are short) and without the benchmark.
if [ -n "$sanitize" ]; then
  config=(-DCMAKE_BUILD_TYPE=Debug -DGRAPHFAKE_BUILD_BENCH=OFF)
else
  config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRAPHFAKE_BUILD_BENCH=ON)
fi
cmake -S . -B "$build_dir" "${config[@]}" -DGRAPHFAKE_SANITIZE="$sanitize" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
