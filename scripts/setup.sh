#!/usr/bin/env bash
# Installs everything graphfake needs to build and test, from Debian's
# packages. Quiet and quick when all of it is already there.
# Usage: setup.sh [PACKAGE...]   also installs these (scripts/fuzz.sh: clang)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcpp-httplib-dev nlohmann-json3-dev libfmt-dev libgtest-dev libgmock-dev zlib1g-dev libssl-dev libre2-dev
  # for the README's walk-through and its test
  curl jq
  # for the test that holds the scenario schema and loader to the same verdicts
  python3 python3-jsonschema
  # for the Debian package (scripts/package.sh and its test): CPack's Debian
  # generator finds the binaries to pass to dpkg-shlibdeps with `file`
  file
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "setup: installing ${missing[*]}" >&2
# env passes the variable through sudo, which resets the environment; the
# lock timeout waits out first-boot unattended upgrades instead of failing.
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
