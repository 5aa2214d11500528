#!/usr/bin/env bash
# Runs the README's curl walk-through exactly as written, against the
# graphfake binary under test (given as $1), so the README cannot rot.
set -euo pipefail
binary="$1"
readme="$(dirname "$0")/../README.md"
script=$(sed -n '/<!-- walkthrough:start -->/,/<!-- walkthrough:end -->/p' "$readme" | sed '1,2d;$d' | sed '$d')
[ -n "$script" ] || { echo "no walk-through found in README.md" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build/bin"
ln -s "$(realpath "$binary")" "$work/build/bin/graphfake"
cd "$work"
output=$(bash -eu -c "$script" 2>&1) || { echo "$output"; echo "walk-through failed" >&2; exit 1; }
echo "$output"
grep -q '^status: succeeded$' <<<"$output" || { echo "walk-through never saw 'succeeded'" >&2; exit 1; }
grep -q '"InvoiceNumber": "G016907411"' <<<"$output" || { echo "walk-through printed no data row" >&2; exit 1; }
