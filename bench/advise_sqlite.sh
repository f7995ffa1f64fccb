#!/usr/bin/env bash
# Benchmark: `advise-indexes --workload` over N distinct queries (default
# 1000) on the SQLite shop of the advise tests (tests/e2e/fixtures/advise/
# sqlite/schema.sql: 20k customers, 60k orders, 150k order items, ...).
# Target of the issue: under 10 s for 1,000 queries.
#
# The queries differ in shape, not only in literals (literal-only variants
# are one query to the workload reader): tables, filtered columns,
# operators, ORDER BY / GROUP BY, joins of 2 and 3 tables, IN lists, LIKE
# prefixes, UPDATE and DELETE, some with parameters.
#
# Needs hyperfine (else /usr/bin/time, median of RUNS runs) and sqlite3.
# Usage: bench/advise_sqlite.sh [N] [RUNS]
#        bench/advise_sqlite.sh --queries sqlite|postgres|mysql N   (prints the queries;
#        bench/advise_pg.sh uses it)
set -euo pipefail
cd "$(dirname "$0")/.."

# Prints N distinct queries over the shop schema in the given dialect.
gen_queries() {
  python3 - "$1" "$2" <<'PY'
import random, re, sys
dialect, want = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
# table -> column -> kind (id: key-like integer, num, text, code, date, flag)
T = {
  "customers": {"id": "id", "email": "email", "first_name": "text", "last_name": "text",
                "country": "country", "city": "text", "status": "cstatus", "created_at": "date"},
  "products": {"id": "id", "category_id": "fk100", "sku": "sku", "name": "text", "price": "num",
               "stock": "num", "created_at": "date"},
  "orders": {"id": "id", "customer_id": "fk20k", "status": "ostatus", "total": "num",
             "created_at": "date", "shipped_at": "date"},
  "order_items": {"id": "id", "order_id": "fk60k", "product_id": "fk2k", "quantity": "num",
                  "unit_price": "num"},
  "reviews": {"id": "id", "product_id": "fk2k", "customer_id": "fk20k", "rating": "rating",
              "created_at": "date"},
}
FK = [("orders", "customer_id", "customers"), ("order_items", "order_id", "orders"),
      ("order_items", "product_id", "products"), ("reviews", "product_id", "products"),
      ("reviews", "customer_id", "customers")]
nparam = 0
def lit(kind, param_ok=True):
    global nparam
    if param_ok and rnd.random() < 0.15:
        nparam += 1
        return "$%d" % nparam if dialect == "postgres" else "?"
    if kind in ("id", "fk20k"): return str(rnd.randint(1, 20000))
    if kind == "fk60k": return str(rnd.randint(1, 60000))
    if kind == "fk2k": return str(rnd.randint(1, 2000))
    if kind == "fk100": return str(rnd.randint(1, 100))
    if kind == "num": return str(rnd.randint(1, 900))
    if kind == "rating": return str(rnd.randint(1, 5))
    if kind == "email": return "'user%d@example.com'" % rnd.randint(1, 20000)
    if kind == "sku": return "'SKU-%06d'" % rnd.randint(1, 2000)
    if kind == "country": return "'" + rnd.choice(["FR", "DE", "US", "GB", "IT", "ES"]) + "'"
    if kind == "cstatus": return "'" + rnd.choice(["active", "blocked", "pending"]) + "'"
    if kind == "ostatus": return "'" + rnd.choice(["pending", "shipped", "cancelled"]) + "'"
    if kind == "date": return "'2026-%02d-%02d'" % (rnd.randint(1, 12), rnd.randint(1, 28))
    return "'x%d'" % rnd.randint(1, 999)
RANGE = ("num", "date", "rating", "fk20k", "fk60k", "fk2k", "fk100", "id")
def cols(t): return list(T[t])
def pick_select(t, alias=""):
    c = rnd.sample(cols(t), rnd.randint(1, 3))
    return ", ".join(alias + x for x in c)
def pred(t, c, alias="", ops=("=",)):
    k = T[t][c]
    op = rnd.choice(ops) if k in RANGE else "="
    if op == "BETWEEN":
        return "%s%s BETWEEN %s AND %s" % (alias, c, lit(k, False), lit(k, False))
    if op == "IN":
        return "%s%s IN (%s)" % (alias, c, ", ".join(lit(k, False) for _ in range(rnd.randint(2, 5))))
    return "%s%s %s %s" % (alias, c, op, lit(k))
OPS = ("=", "=", ">", "<", ">=", "BETWEEN", "IN")
def shape():
    global nparam
    nparam = 0
    t = rnd.choice(list(T))
    cs = [c for c in cols(t) if c != "id"]
    s = rnd.randint(0, 11)
    if s == 0:
        return "SELECT %s FROM %s WHERE %s" % (pick_select(t), t, pred(t, rnd.choice(cs), ops=OPS))
    if s == 1:
        a, b = rnd.sample(cs, 2)
        return "SELECT %s FROM %s WHERE %s AND %s" % (pick_select(t), t, pred(t, a), pred(t, b, ops=OPS))
    if s == 2:
        a, b = rnd.sample(cs, 2)
        return "SELECT %s FROM %s WHERE %s ORDER BY %s %s LIMIT %d" % (
            pick_select(t), t, pred(t, a), b, rnd.choice(["ASC", "DESC"]), rnd.choice([5, 10, 20, 50]))
    if s == 3:
        a, b = rnd.sample(cs, 2)
        return "SELECT %s, count(*) FROM %s WHERE %s GROUP BY %s" % (b, t, pred(t, a, ops=OPS), b)
    if s == 4:
        a, b, c = rnd.sample(cs, 3)
        return "SELECT %s FROM %s WHERE %s AND %s AND %s" % (
            pick_select(t), t, pred(t, a), pred(t, b), pred(t, c, ops=OPS))
    if s in (5, 6):
        child, fk, parent = rnd.choice(FK)
        pc = [c for c in cols(parent) if c != "id"]
        if rnd.random() < 0.5:
            where = pred(parent, rnd.choice(pc), "p.", OPS)
        else:
            where = pred(child, rnd.choice([c for c in cols(child) if c != "id"]), "c.", OPS)
        return "SELECT %s, %s FROM %s c JOIN %s p ON p.id = c.%s WHERE %s" % (
            pick_select(child, "c."), pick_select(parent, "p."), child, parent, fk, where)
    if s == 7:
        c = rnd.choice([c for c in cs if T[t][c] in ("text", "email", "sku", "country")] or ["id"])
        if c == "id":
            return "SELECT %s FROM %s WHERE id > %s" % (pick_select(t), t, lit("id"))
        return "SELECT %s FROM %s WHERE %s LIKE '%s%%'" % (pick_select(t), t, c, rnd.choice(["a", "Last1", "user12", "SKU-0001", "F", "b"]))
    if s == 8:
        a, b = rnd.sample(cs, 2)
        return "UPDATE %s SET %s = %s WHERE %s" % (t, b, lit(T[t][b], False), pred(t, a, ops=OPS))
    if s == 9:
        a, b = rnd.sample(cs, 2)
        return "DELETE FROM %s WHERE %s AND %s" % (t, pred(t, a), pred(t, b, ops=OPS))
    if s == 10:
        return ("SELECT cu.email, o.id, oi.quantity FROM customers cu JOIN orders o ON o.customer_id = cu.id "
                "JOIN order_items oi ON oi.order_id = o.id WHERE %s AND %s" % (
                    pred("customers", rnd.choice(["email", "country", "status", "created_at", "last_name"]), "cu.", OPS),
                    pred("orders", rnd.choice(["status", "created_at", "total"]), "o.", OPS)))
    a, b = rnd.choice(cs), rnd.choice(cs)
    agg = rnd.choice(["min", "max", "sum", "avg"]) if T[t][b] in ("num", "rating") else rnd.choice(["min", "max"])
    return "SELECT %s(%s) FROM %s WHERE %s" % (agg, b, t, pred(t, a, ops=OPS))
def fingerprint(q):
    q = re.sub(r"'[^']*'", "?", q)
    q = re.sub(r"\$\d+", "?", q)
    q = re.sub(r"\b\d+\b", "?", q)
    q = re.sub(r"\(\?(, \?)*\)", "(?)", q)
    return q
seen, out = set(), []
tries = 0
while len(out) < want and tries < want * 200:
    tries += 1
    q = shape()
    f = fingerprint(q)
    if f in seen:
        continue
    seen.add(f)
    out.append(q)
if len(out) < want:
    sys.exit("only %d distinct queries" % len(out))
for q in out:
    print(q + ";")
PY
}

if [ "${1:-}" = "--queries" ]; then
  gen_queries "$2" "$3"
  exit 0
fi

n=${1:-1000}
runs=${2:-5}
bin=${BORCH_BIN:-$PWD/build/borch-db}
work=$(mktemp -d /tmp/borch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
sqlite3 "$work/shop.db" < tests/e2e/fixtures/advise/sqlite/schema.sql
gen_queries sqlite "$n" > "$work/workload.sql"
printf 'audit: audit.jsonl\nenvironments:\n  dev:\n    url: sqlite:shop.db\n' > "$work/borch.yaml"
echo "$(grep -c ';$' "$work/workload.sql") queries, e.g.:"
shuf -n 3 --random-source=<(yes) "$work/workload.sql"
cmd="cd '$work' && '$bin' advise-indexes --workload workload.sql > out.txt"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/r.json" -n "advise $n queries (sqlite)" "$cmd"
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
