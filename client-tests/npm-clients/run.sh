#!/usr/bin/env bash
# Opt-in test: drive graphfake with Microsoft's own npm packages (docs/clients.md).
#
#   client-tests/npm-clients/run.sh PATH/TO/graphfake
#
# Builds nothing. Starts two fakes on free loopback ports — one over https with
# a certificate it generates, one over http — installs the pinned packages with
# `npm ci` (needs the npm registry: that is why the test is opt-in), runs
# sdk_walk.test.mjs with node's test runner, stops the fakes, and exits
# non-zero if anything failed.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH/TO/graphfake" >&2
  exit 2
fi
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$BIN" ] || { echo "run.sh: $BIN is not an executable" >&2; exit 2; }
for tool in node npm; do
  command -v "$tool" > /dev/null || { echo "run.sh: $tool is not installed (Node.js 20 or later is needed)" >&2; exit 2; }
done
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || { echo "run.sh: Node.js $(node --version) is too old: 20 or later is needed" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/graphfake-npm.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN=npm-clients-token

# start_fake NAME ARGS...: starts graphfake in the background and sets
# BASE_URL from its ready line.
start_fake() {
  local name=$1
  shift
  "$BIN" --token "$TOKEN" --port 0 --port-file "$WORK/$name.port" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do
    [ -s "$WORK/$name.port" ] && break
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "run.sh: the $name graphfake exited before listening:" >&2
      cat "$WORK/$name.err" >&2
      exit 1
    fi
    sleep 0.1
  done
  [ -s "$WORK/$name.port" ] || { echo "run.sh: the $name graphfake did not start within 10 s" >&2; cat "$WORK/$name.err" >&2; exit 1; }
  for _ in $(seq 50); do
    grep -q '"event":"ready"' "$WORK/$name.out" && break
    sleep 0.1
  done
  BASE_URL=$(sed -n 's/.*"base_url":"\([^"]*\)".*/\1/p' "$WORK/$name.out" | head -n 1)
  [ -n "$BASE_URL" ] || { echo "run.sh: no ready line from the $name graphfake" >&2; exit 1; }
}

# https: `--tls --tls-dir DIR` makes a CA and a certificate it signed; clients
# trust DIR/ca.pem.
start_fake https --tls --tls-dir "$WORK/tls"
CA="$WORK/tls/ca.pem"
HTTPS_URL=$BASE_URL
start_fake http
HTTP_URL=$BASE_URL
echo "graphfake: $HTTPS_URL (CA $CA) and $HTTP_URL"

cd "$HERE"
npm ci --no-audit --no-fund --loglevel=error

status=0
GRAPHFAKE_HTTPS_URL=$HTTPS_URL GRAPHFAKE_HTTP_URL=$HTTP_URL GRAPHFAKE_TOKEN=$TOKEN NODE_EXTRA_CA_CERTS=$CA \
  node --test --test-reporter=spec sdk_walk.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  for name in https http; do
    echo "--- graphfake ($name) stderr, last lines:" >&2
    tail -n 20 "$WORK/$name.err" >&2 || true
  done
fi
exit "$status"
