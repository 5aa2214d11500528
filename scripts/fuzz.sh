#!/usr/bin/env bash
# Builds the libFuzzer harnesses (server/fuzz) with clang and runs each for
# SECONDS (default 60), two at a time. Fails if any found a crash, leak,
# timeout or OOM, naming the inputs that did it (docs/fuzzing.md says how to
# replay one).
# Usage: fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
# The harnesses live in the address-sanitized build (scripts/build.sh), so
# after `test.sh --sanitize address,undefined` there is nothing to build.
build_dir=build-address-undefined
harnesses=(http_request export_body scenario blob_url range admin_json)
parallel=2

./scripts/setup.sh clang libclang-rt-14-dev
./scripts/build.sh --sanitize address,undefined graphfake_fuzzers

# Seed directories beyond the harness's own, read but never written.
extra_seeds() {
  case "$1" in
    scenario) echo client-tests/scenario-cases scenarios ;;
  esac
}

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

run() {
  local harness="$1"
  local corpus="$build_dir/corpus/$harness" artifacts="$build_dir/artifacts/$harness"
  # A fresh corpus each run, so that one run's findings never seed the next.
  rm -rf "$corpus" "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  cp server/fuzz/corpus/"$harness"/* "$corpus"/
  # shellcheck disable=SC2046  # extra_seeds lists directories without spaces
  "$build_dir/fuzz/fuzz_$harness" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "server/fuzz/corpus/$harness" $(extra_seeds "$harness") >"$build_dir/logs/$harness.log" 2>&1
}

mkdir -p "$build_dir/logs"
echo "fuzz: ${#harnesses[@]} harnesses, ${seconds} s each, $parallel at a time" >&2
for harness in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  run "$harness" &
done
wait || true

failed=0
for harness in "${harnesses[@]}"; do
  log="$build_dir/logs/$harness.log"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  found=$(find "$build_dir/artifacts/$harness" -type f | sort)
  if [ -z "$found" ] && grep -q '^Done [0-9]* runs' "$log"; then
    echo "$harness: ${executions:-?} executions, nothing found"
  else
    failed=1
    echo "$harness: ${executions:-?} executions, FAILED (log: $log)"
    for artifact in $found; do echo "  $artifact"; done
    grep -m 1 -E '^==[0-9]+==ERROR|runtime error|ALARM|out-of-memory|deadly signal' "$log" | sed 's/^/  /' || true
  fi
done
exit "$failed"
