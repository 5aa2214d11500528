#!/usr/bin/env bash
# Sets up, builds and runs every test through ctest.
# Usage: test.sh [--fast] [--sanitize address,undefined | --sanitize thread] [ctest options...]
#   --fast   only the unit tests (ctest -L unit), building only their executable:
#            the tier for day-to-day work; the client tests need the rest
#   e.g. test.sh --sanitize thread -R Concurrent
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize_args=()
build_dir=build
targets=()
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast)
      targets=(graphfake_unit_tests)
      ctest_args=(-L unit)
      shift ;;
    --sanitize)
      sanitize_args=(--sanitize "${2:?--sanitize needs a list, e.g. address,undefined}")
      build_dir="build-${2//,/-}"
      shift 2 ;;
    *) break ;;
  esac
done

# Only read by a ThreadSanitizer build (see the file for why).
export TSAN_OPTIONS="${TSAN_OPTIONS:-suppressions=$PWD/scripts/tsan.supp}"

# Sanitizer builds are made by clang, with its sanitizer and fuzzer runtimes.
if [ ${#sanitize_args[@]} -gt 0 ]; then
  ./scripts/setup.sh clang libclang-rt-14-dev
else
  ./scripts/setup.sh
fi
./scripts/build.sh "${sanitize_args[@]}" "${targets[@]}"
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "${ctest_args[@]}" "$@"
