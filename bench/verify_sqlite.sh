#!/usr/bin/env bash
# Benchmark: `rollback --verify` of N and 2N migrations on SQLite (default
# 500 and 1000): the issue's targets are under 10 s for 500, and doubling the
# migrations at most doubling the time. Each migration creates a table with
# an index and a foreign key to the previous one, and drops them in its down.
# The floor is the sqlite3 shell running the same up, down, up of every
# migration in one transaction each, with nothing compared: SQLite's own DDL
# costs grow with the schema, so the floor itself more than doubles; the
# script also prints borch-db's time above the floor for both sizes.
# Needs hyperfine and sqlite3. Usage: bench/verify_sqlite.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
runs=${2:-3}
bin=${BORCH_BIN:-$PWD/build/borch-db}
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
for total in "$n" $((2 * n)); do
  d="$work/m$total"
  mkdir -p "$d/migrations"
  for i in $(seq 1 "$total"); do
    v=$(printf '%06d' "$i")
    ref=""
    (( i > 1 )) && ref=", parent_id INTEGER REFERENCES t$((i - 1)) (id)"
    printf -- '-- +borch up\nCREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL%s);\nCREATE INDEX t%d_name_idx ON t%d (name);\n-- +borch down\nDROP INDEX t%d_name_idx;\nDROP TABLE t%d;\n' \
      "$i" "$ref" "$i" "$i" "$i" "$i" > "$d/migrations/${v}_m$i.sql"
  done
  printf 'migrations: migrations\naudit: audit.jsonl\nenvironments:\n  dev:\n    url: sqlite:app.db\n' > "$d/borch.yaml"
  # The floor's script: up, down, up of each migration in one transaction.
  for f in "$d"/migrations/*.sql; do
    up=$(sed -n '/^-- +borch up/,/^-- +borch down/p' "$f" | grep -v '^-- +borch')
    down=$(sed -n '/^-- +borch down/,$p' "$f" | grep -v '^-- +borch')
    printf 'BEGIN;\n%s\n%s\n%s\nCOMMIT;\n' "$up" "$down" "$up"
  done > "$d/floor.sql"
done
hyperfine --warmup 1 --runs "$runs" --export-json "$work/r.json" \
  -p "rm -f '$work/floor.db'" \
  -n "verify $n" "cd '$work/m$n' && '$bin' -q rollback --verify" \
  -n "verify $((2 * n))" "cd '$work/m$((2 * n))' && '$bin' -q rollback --verify" \
  -n "sqlite3 floor $n" "sqlite3 '$work/floor.db' < '$work/m$n/floor.sql'" \
  -n "sqlite3 floor $((2 * n))" "sqlite3 '$work/floor.db' < '$work/m$((2 * n))/floor.sql'"
python3 - "$work/r.json" "$n" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b, fa, fb = (x["median"] for x in r)
print(f"median {a:.2f} s for {sys.argv[2]} migrations (target < 10 s), {b:.2f} s for twice as many: {b/a:.2f}x")
print(f"sqlite3 floor: {fa:.2f} s and {fb:.2f} s: {fb/fa:.2f}x")
print(f"borch-db above the floor: {a-fa:.2f} s and {b-fb:.2f} s: {(b-fb)/(a-fa):.2f}x (target <= 2x)")
PY
