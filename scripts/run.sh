#!/usr/bin/env bash
# Sets up, builds and starts the fake on 127.0.0.1 with its default
# configuration. Arguments go to graphfake (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh graphfake_cli >/dev/null
exec ./build/bin/graphfake "$@"
