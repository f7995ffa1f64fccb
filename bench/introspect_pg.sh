#!/usr/bin/env bash
# Benchmark: read a 2,000-table PostgreSQL schema (10 columns, 2 indexes and
# 1 foreign key per table) with `borch-db schema inspect`, side by side with
# `pg_dump --schema-only` on the same database.
# Needs hyperfine, pg_dump and a running server: BORCH_TEST_PG_URL
# (tests/support/servers.sh start; eval "$(tests/support/servers.sh env)").
# Usage: bench/introspect_pg.sh [TABLES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${2:-10}
bin=${BORCH_BIN:-$PWD/build/borch-db}
: "${BORCH_TEST_PG_URL:?start the servers: tests/support/servers.sh start; eval \"\$(tests/support/servers.sh env)\"}"
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
base=${BORCH_TEST_PG_URL%%\?*}; q=""; [[ $BORCH_TEST_PG_URL == *\?* ]] && q="?${BORCH_TEST_PG_URL#*\?}"
url="${base%/*}/bench_introspect$q"

psql -X -q "$BORCH_TEST_PG_URL" -c 'DROP DATABASE IF EXISTS bench_introspect' -c 'CREATE DATABASE bench_introspect'
{
  for i in $(seq 1 "$n"); do
    (( i % 100 == 1 )) && echo "BEGIN;"
    ref=$(( i > 1 ? i - 1 : 1 ))
    fk=""
    (( i > 1 )) && fk=", CONSTRAINT t${i}_parent_fk FOREIGN KEY (parent_id) REFERENCES t${ref} (id) ON DELETE CASCADE"
    echo "CREATE TABLE t$i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id bigint, name varchar(100) NOT NULL, email text, status text DEFAULT 'new', amount numeric(10,2) DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz, flags integer NOT NULL DEFAULT 0, note text$fk);"
    echo "CREATE INDEX t${i}_name_idx ON t$i (name);"
    echo "CREATE UNIQUE INDEX t${i}_email_key ON t$i (lower(email)) WHERE email IS NOT NULL;"
    (( i % 100 == 0 || i == n )) && echo "COMMIT;"
  done
} > "$work/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$work/schema.sql"

hyperfine --warmup 2 --runs "$runs" --export-json "$work/r.json" \
  -n "pg_dump --schema-only" "pg_dump --schema-only '$url' > /dev/null" \
  -n "borch-db schema inspect" "$bin -u '$url' schema inspect > /dev/null"
python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, b = r[0]["median"], r[1]["median"]
print(f"median pg_dump {d*1000:.0f} ms, borch-db {b*1000:.0f} ms: borch-db takes {b/d:.2f}x pg_dump's time (target < 1)")
PY
psql -X -q "$BORCH_TEST_PG_URL" -c 'DROP DATABASE IF EXISTS bench_introspect'
