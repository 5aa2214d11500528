#!/usr/bin/env bash
# Builds graphfake's Debian package, build-package/graphfake_<version>_<arch>.deb
# (docs/packaging.md says what it holds). Its own build tree, without the
# tests and the benchmark: cpack builds everything a tree builds first.
# Usage: package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake -S . -B build-package -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
      -DGRAPHFAKE_BUILD_TESTS=OFF -DGRAPHFAKE_BUILD_BENCH=OFF >/dev/null
cmake --build build-package --parallel "$(nproc)"
cpack --config build-package/CPackConfig.cmake -G DEB -B build-package
