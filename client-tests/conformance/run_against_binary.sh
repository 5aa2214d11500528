#!/usr/bin/env bash
# Runs the conformance suite ($2) against the graphfake binary ($1), started
# as a separate process on an ephemeral port: the way a user's CI runs it.
set -euo pipefail
binary="$1"
suite="$2"
work=$(mktemp -d)
"$binary" --port 0 --clock auto > "$work/ready" &
fake=$!
trap 'kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  [ -s "$work/ready" ] && break
  kill -0 "$fake" 2>/dev/null || { echo "graphfake exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
ready=$(head -n 1 "$work/ready")
[ -n "$ready" ] || { echo "graphfake printed no ready line" >&2; exit 1; }
GRAPH_BASE_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["base_url"])' "$ready")
GRAPH_TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["token"])' "$ready")
# The fake's clock auto-advances: nothing is gained by waiting out Retry-After.
export GRAPH_BASE_URL GRAPH_TOKEN GRAPH_MAX_RETRY_AFTER_SECONDS=0 GRAPH_POLL_TIMEOUT_SECONDS=60
"$suite" --gtest_brief=1
