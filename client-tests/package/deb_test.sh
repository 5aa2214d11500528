#!/usr/bin/env bash
# Builds the Debian package from a graphfake build tree with cpack (which
# first brings every target of the tree up to date, as `make package` does:
# after a full build, only a check), checks what it holds and declares,
# unpacks it into a scratch root (no root needed), and runs the unpacked
# binary: --version, --check on the packaged scenario library, and the
# README's curl walk-through (a whole export); then builds and runs the
# find_package consumer against the unpacked CMake package. Also holds the
# README's "install the .deb" commands to the file cpack makes.
# Usage: deb_test.sh BUILD_DIR VERSION WORK_DIR -- CMAKE_ARGS...
#   CMAKE_ARGS: what consumers/run_consumer.cmake needs of the compiler
set -euo pipefail
build_dir="$1"
version="$2"
work="$3"
[ "${4:-}" = "--" ] || { echo "usage: deb_test.sh BUILD_DIR VERSION WORK_DIR -- CMAKE_ARGS..." >&2; exit 2; }
shift 4
consumer_args=("$@")
here="$(cd "$(dirname "$0")" && pwd)"
readme="$here/../../README.md"

rm -rf "$work"
mkdir -p "$work"
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "cpack failed" >&2; exit 1; }
deb_name="graphfake_${version}_$(dpkg --print-architecture).deb"
deb="$work/out/$deb_name"
[ -f "$deb" ] || { ls "$work/out"; echo "cpack made no $deb_name" >&2; exit 1; }

contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for file in ./usr/bin/graphfake ./usr/lib/libgraphfake.a ./usr/lib/libgraphfake_client.a \
            ./usr/include/graphfake/server.h ./usr/include/graphfake/client/billing_client.h \
            ./usr/lib/cmake/graphfake/graphfakeConfig.cmake ./usr/lib/cmake/graphfake/graphfakeConfigVersion.cmake \
            ./usr/lib/cmake/graphfake/graphfakeTargets.cmake \
            ./usr/share/graphfake/scenarios/happy-path.json ./usr/share/graphfake/scenarios/schema/scenario.schema.json \
            ./usr/share/man/man1/graphfake.1 ./usr/share/doc/graphfake/README.md; do
  grep -qxF "$file" <<<"$contents" || { echo "$deb_name lacks $file" >&2; exit 1; }
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
binary="$root/usr/bin/graphfake"

# Every shared library the binary needs comes from a package it Depends on,
# as this machine's package database says.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
depends_names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//')
for library in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  owners=$(dpkg -S "*/$library" 2>/dev/null | cut -d: -f1 | tr ',' '\n' | sed 's/^ *//' | sort -u)
  [ -n "$owners" ] || { echo "no installed package holds $library" >&2; exit 1; }
  found=""
  for owner in $owners; do
    if grep -qxF "$owner" <<<"$depends_names"; then found="$owner"; fi
  done
  [ -n "$found" ] || { echo "Depends names none of" $owners", which hold $library" >&2; exit 1; }
done
reported=$("$binary" --version)
[ "$reported" = "graphfake $version" ] || { echo "--version says '$reported', not 'graphfake $version'" >&2; exit 1; }
"$binary" --check "$root/usr/share/graphfake/scenarios"
bash "$here/../readme_walkthrough.sh" "$binary"
cmake -DCONSUMER=find-package -DPREFIX="$root/usr" -DWORK_DIR="$work/consumer" "${consumer_args[@]}" \
      -P "$here/../consumers/run_consumer.cmake"

# The README names the file cpack makes, so a new version cannot leave it behind.
block=$(sed -n '/<!-- deb:start -->/,/<!-- deb:end -->/p' "$readme")
[ -n "$block" ] || { echo "no 'install the .deb' block in README.md" >&2; exit 1; }
grep -qF "build-package/$deb_name" <<<"$block" || { echo "README.md's .deb block does not name build-package/$deb_name" >&2; exit 1; }
echo "$deb_name: ok"
