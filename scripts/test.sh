#!/usr/bin/env bash
# Sets up, builds and runs every test through ctest.
# Usage: test.sh [--sanitize address,undefined | --sanitize thread]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh "$@"

sanitize=""
[ "${1:-}" = "--sanitize" ] && sanitize="$2"
build_dir="build${sanitize:+-${sanitize//,/-}}"
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)"
