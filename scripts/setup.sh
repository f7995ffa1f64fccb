#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for borch-db and builds it.
#   scripts/setup.sh            build dependencies, then a release build in build/
#   scripts/setup.sh --servers  also PostgreSQL 15 (+HypoPG) and MariaDB, for the test suite
# Installs only what is missing, with apt-get (through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(gcc make cmake pkg-config libsqlite3-dev sqlite3 libyaml-dev check libsubunit-dev
          libjansson-dev libssl-dev libpq-dev libpg-query-dev libmariadb-dev)
if [[ ${1:-} == --servers ]]; then
  packages+=(postgresql-15 postgresql-15-hypopg postgresql-client-15 mariadb-server mariadb-client)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Services must not start on install: the test suite runs its own servers.
  if [[ $(id -u) -eq 0 && ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${BORCH_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${BORCH_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
