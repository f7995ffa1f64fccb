#!/usr/bin/env bash
# Benchmark: `advise-indexes --workload` over N distinct queries (default
# 1000) on the PostgreSQL shop of the advise tests (tests/e2e/fixtures/
# advise/postgres/schema.sql), in a database made for the run on the server
# of BORCH_TEST_PG_URL (it needs HypoPG there; tests/support/servers.sh
# installs it in template1). Target of the issue: under 10 s for 1,000
# queries. The queries come from bench/advise_sqlite.sh --queries postgres N:
# they differ in shape, not only in literals.
#
# Needs hyperfine (else /usr/bin/time, median of RUNS runs) and psql.
# Usage: bench/advise_pg.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-5}
bin=${BORCH_BIN:-$PWD/build/borch-db}
: "${BORCH_TEST_PG_URL:?start the servers: tests/support/servers.sh start; eval \"\$(tests/support/servers.sh env)\"}"
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
db="borch_bench_advise_$$"

with_db() { # URL with its database replaced by $2
  local u=$1 name=$2
  local base=${u%%\?*} q=""
  [[ $u == *\?* ]] && q="?${u#*\?}"
  echo "${base%/*}/$name$q"
}
url=$(with_db "$BORCH_TEST_PG_URL" "$db")
cleanup() {
  psql -X -q "$BORCH_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -X -q "$BORCH_TEST_PG_URL" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 "$url" -f tests/e2e/fixtures/advise/postgres/schema.sql >/dev/null
bench/advise_sqlite.sh --queries postgres "$n" > "$work/workload.sql"
printf "audit: audit.jsonl\nenvironments:\n  dev:\n    url: '%s'\n" "$url" > "$work/borch.yaml"
echo "$(grep -c ';$' "$work/workload.sql") queries"
cmd="cd '$work' && '$bin' advise-indexes --workload workload.sql > out.txt"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/r.json" -n "advise $n queries (postgres)" "$cmd"
  python3 - "$work/r.json" "$n" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("median %.2f s for %s queries (target < 10 s)" % (r["median"], sys.argv[2]))
PY
else
  for i in $(seq 1 "$runs"); do /usr/bin/time -f %e sh -c "$cmd" 2>&1 | tail -1; done | sort -n |
    awk -v n="$n" '{a[NR]=$1} END {printf "median %.2f s for %d queries (target < 10 s)\n", a[int((NR+1)/2)], n}'
fi
tail -n 1 "$work/out.txt" 2>/dev/null || true
