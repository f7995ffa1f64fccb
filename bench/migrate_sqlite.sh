#!/usr/bin/env bash
# Benchmark: apply N small migrations (default 1000) to a fresh SQLite file
# with borch-db, against the floor of the sqlite3 shell running the same
# statements, each in its own transaction with an equivalent history INSERT.
# Also times `borch-db status` on the migrated folder.
# Needs hyperfine and sqlite3 (apt-get install hyperfine sqlite3).
# Usage: bench/migrate_sqlite.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-7}
bin=${BORCH_BIN:-$PWD/build/borch-db}
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/migrations"

# The same statements for both: a table and a row per migration.
{
  echo "CREATE TABLE IF NOT EXISTS borch_schema_history (version TEXT PRIMARY KEY, name TEXT, checksum TEXT, applied_at TEXT, applied_by TEXT, duration_ms INTEGER, state TEXT, error TEXT);"
  for i in $(seq 1 "$n"); do
    v=$(printf '%06d' "$i")
    body="CREATE TABLE t$i (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT);
INSERT INTO t$i (name, created_at) VALUES ('row', '2026-01-01');"
    printf -- '-- +borch up\n%s\n-- +borch down\nDROP TABLE t%d;\n' "$body" "$i" > "$work/migrations/${v}_m$i.sql"
    printf 'BEGIN IMMEDIATE;\n%s\nINSERT INTO borch_schema_history VALUES (%s, %s, %s, %s, %s, 0, %s, NULL);\nCOMMIT;\n' \
      "$body" "'$v'" "'m$i'" "'$(printf '%064d' "$i")'" "'2026-01-01T00:00:00Z'" "'bench@host'" "'applied'"
  done
} > "$work/floor.sql"
cat > "$work/borch.yaml" <<YAML
migrations: migrations
audit: audit.jsonl
environments:
  dev:
    url: sqlite:borch.db
YAML

cd "$work"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/migrate.json" \
  -n "sqlite3 shell (floor)" --prepare "rm -f floor.db" "sqlite3 floor.db < floor.sql" \
  -n "borch-db migrate up" --prepare "rm -f borch.db audit.jsonl models.json" "$bin -q migrate up"
"$bin" -q migrate up
hyperfine --warmup 3 --runs 20 -N -n "borch-db status ($n migrations)" "$bin status"
python3 - "$work/migrate.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
floor = r["sqlite3 shell (floor)"]["median"]; borch = r["borch-db migrate up"]["median"]
print(f"median floor {floor:.3f} s, borch-db {borch:.3f} s, ratio {borch/floor:.2f}x (target <= 1.30x)")
PY
