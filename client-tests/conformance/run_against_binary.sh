#!/usr/bin/env bash
# Runs the conformance suite against the graphfake binary, started as a
# separate process on an ephemeral port: the way a user's CI runs it.
#
#   run_against_binary.sh [--https] BINARY SUITE [GRAPHFAKE_ARGS...]
#
# GRAPHFAKE_ARGS go to graphfake as they are. A `--tls-self-signed FILE`
# among them makes the suite trust FILE (GRAPH_CA_FILE), the only way it can
# verify that certificate. --https adds `--tls-self-signed` with a file in
# this script's temporary directory: a caller such as ctest cannot name a
# path that exists only while the script runs. When graphfake is asked for
# https, the suite runs only if the base URL it reports is https, so a fake
# that quietly served http cannot pass as an https run.
set -euo pipefail
self_signed=false
if [ "${1:-}" = --https ]; then
  self_signed=true
  shift
fi
[ $# -ge 2 ] || { echo "usage: $0 [--https] BINARY SUITE [GRAPHFAKE_ARGS...]" >&2; exit 2; }
binary="$1"
suite="$2"
shift 2
work=$(mktemp -d)
fake_args=("$@")
if $self_signed; then
  fake_args+=(--tls-self-signed "$work/graphfake.crt")
fi
https=false
for ((i = 0; i < ${#fake_args[@]}; i++)); do
  case "${fake_args[i]}" in
    --tls-self-signed)
      https=true
      export GRAPH_CA_FILE="${fake_args[i + 1]:-}"
      ;;
    --tls-cert) https=true ;;
  esac
done
"$binary" --port 0 --clock auto "${fake_args[@]}" > "$work/ready" &
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
if $https && [[ "$GRAPH_BASE_URL" != https://* ]]; then
  echo "graphfake was asked for https but reports base_url $GRAPH_BASE_URL" >&2
  exit 1
fi
# The fake's clock auto-advances: nothing is gained by waiting out Retry-After.
export GRAPH_BASE_URL GRAPH_TOKEN GRAPH_MAX_RETRY_AFTER_SECONDS=0 GRAPH_POLL_TIMEOUT_SECONDS=60
"$suite" --gtest_brief=1
