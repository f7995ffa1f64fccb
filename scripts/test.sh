#!/usr/bin/env bash
# The whole test suite: set up (build dependencies and database servers), build,
# start real PostgreSQL and MariaDB servers on loopback in temporary folders,
# run every suite against them and SQLite, then the same under ASan+UBSan.
# With CI=true no driver test may skip: a missing server fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --servers
BORCH_BUILD_DIR=build-asan BORCH_CMAKE_ARGS="-DBORCH_SANITIZE=ON -DBORCH_WERROR=ON" scripts/setup.sh

export BORCH_SERVERS_DIR=${BORCH_SERVERS_DIR:-$(mktemp -d /tmp/borch-servers.XXXXXX)}
chmod 755 "$BORCH_SERVERS_DIR"
trap 'tests/support/servers.sh stop || true' EXIT
tests/support/servers.sh start
# shellcheck disable=SC1091
source "$BORCH_SERVERS_DIR/env"

echo "== fuzz targets over their corpus (ASan+UBSan build)"
(cd build-asan && ctest -R '^fuzz_' --output-on-failure)
echo "== test suite (ASan+UBSan build)"
ASAN_OPTIONS=detect_leaks=1 CK_TIMEOUT_MULTIPLIER=4 build-asan/borch-tests
echo "== test suite (release build)"
build/borch-tests
