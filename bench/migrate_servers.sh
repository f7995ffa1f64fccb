#!/usr/bin/env bash
# Benchmark: apply N small migrations (default 1000) to a fresh PostgreSQL and
# a fresh MariaDB database with borch-db, against the floor of the psql and
# mariadb clients running the same statements, each migration in its own
# transaction with an equivalent history INSERT.
# Needs hyperfine and running servers: BORCH_TEST_PG_URL / BORCH_TEST_MYSQL_URL
# (tests/support/servers.sh start; eval "$(tests/support/servers.sh env)").
# Usage: bench/migrate_servers.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-5}
bin=${BORCH_BIN:-$PWD/build/borch-db}
: "${BORCH_TEST_PG_URL:?start the servers: tests/support/servers.sh start; eval \"\$(tests/support/servers.sh env)\"}"
: "${BORCH_TEST_MYSQL_URL:?start the servers first}"
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/migrations"

with_db() { # URL with its database replaced by $2
  local u=$1 db=$2
  local base=${u%%\?*} q=""
  [[ $u == *\?* ]] && q="?${u#*\?}"
  echo "${base%/*}/$db$q"
}

history_ddl="CREATE TABLE borch_schema_history (version VARCHAR(191) PRIMARY KEY, name TEXT, checksum TEXT, applied_at TEXT, applied_by TEXT, duration_ms BIGINT, state TEXT, error TEXT);"
{
  echo "$history_ddl" > "$work/floor_pg.sql"
  echo "$history_ddl" > "$work/floor_my.sql"
  for i in $(seq 1 "$n"); do
    v=$(printf '%06d' "$i")
    body="CREATE TABLE t$i (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, created_at VARCHAR(32));
INSERT INTO t$i (id, name, created_at) VALUES (1, 'row', '2026-01-01');"
    printf -- '-- +borch up\n%s\n-- +borch down\nDROP TABLE t%d;\n' "$body" "$i" > "$work/migrations/${v}_m$i.sql"
    hist="INSERT INTO borch_schema_history VALUES ('$v', 'm$i', '$(printf '%064d' "$i")', '2026-01-01T00:00:00Z', 'bench@host', 0, 'applied', NULL);"
    printf 'BEGIN;\n%s\n%s\nCOMMIT;\n' "$body" "$hist" >> "$work/floor_pg.sql"
    printf 'START TRANSACTION;\n%s\n%s\nCOMMIT;\n' "$body" "$hist" >> "$work/floor_my.sql"
  done
}

pg_admin=$BORCH_TEST_PG_URL
pg_floor=$(with_db "$BORCH_TEST_PG_URL" bench_floor)
pg_borch=$(with_db "$BORCH_TEST_PG_URL" bench_borch)
my_floor=$(with_db "$BORCH_TEST_MYSQL_URL" bench_floor)
my_borch=$(with_db "$BORCH_TEST_MYSQL_URL" bench_borch)
# mariadb client arguments from the URL
my_rest=${BORCH_TEST_MYSQL_URL#*://}; my_cred=${my_rest%%@*}; my_hostport=${my_rest#*@}; my_hostport=${my_hostport%%/*}
my_args=(--protocol=tcp -h "${my_hostport%:*}" -P "${my_hostport#*:}" -u "${my_cred%%:*}" "-p${my_cred#*:}")

cat > "$work/borch.yaml" <<YAML
migrations: migrations
audit: audit.jsonl
environments:
  pg:
    url: $pg_borch
  my:
    url: $my_borch
YAML
cd "$work"
recreate_pg() { echo "psql -X -q '$pg_admin' -c 'DROP DATABASE IF EXISTS $1' -c 'CREATE DATABASE $1'"; }
recreate_my() { echo "mariadb ${my_args[*]} -e 'DROP DATABASE IF EXISTS $1; CREATE DATABASE $1'"; }

hyperfine --warmup 1 --runs "$runs" --export-json "$work/pg.json" \
  -n "psql (floor)" --prepare "$(recreate_pg bench_floor)" "psql -X -q -v ON_ERROR_STOP=1 '$pg_floor' -f floor_pg.sql" \
  -n "borch-db migrate up (postgres)" --prepare "$(recreate_pg bench_borch); rm -f audit.jsonl models.json" "$bin -q -e pg migrate up"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/my.json" \
  -n "mariadb (floor)" --prepare "$(recreate_my bench_floor)" "mariadb ${my_args[*]} bench_floor < floor_my.sql" \
  -n "borch-db migrate up (mariadb)" --prepare "$(recreate_my bench_borch); rm -f audit.jsonl models.json" "$bin -q -e my migrate up"
python3 - "$work/pg.json" "$work/my.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    r = json.load(open(f))["results"]
    floor, borch = r[0]["median"], r[1]["median"]
    print(f"{r[1]['command']}: median {borch:.3f} s vs floor {floor:.3f} s ({r[0]['command']}): ratio {borch/floor:.2f}x (target <= 1.30x)")
PY
psql -X -q "$pg_admin" -c 'DROP DATABASE IF EXISTS bench_floor' -c 'DROP DATABASE IF EXISTS bench_borch'
mariadb "${my_args[@]}" -e 'DROP DATABASE IF EXISTS bench_floor; DROP DATABASE IF EXISTS bench_borch'
