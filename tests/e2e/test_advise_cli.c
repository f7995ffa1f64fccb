/*
 * test_advise_cli.c - end-to-end: `advise-indexes` on a generated shop
 * (tests/e2e/fixtures/advise/<engine>/: tens of thousands of rows, a
 * 35-query workload) on SQLite, PostgreSQL and MariaDB, held to the quality
 * bar of the issue:
 *
 *  - once its suggestions are applied (`--create`, then `migrate up`, and
 *    nothing else: no ANALYZE by the test), every workload query an index
 *    can serve plans without reading any table of 1,000 rows or more whole
 *    (a table scan, or a whole-index scan that no LIMIT cuts short), and
 *    the workload's total cost drops by at least half. Both are measured here on the real target, through the
 *    driver or the engine's own library, never read from borch-db's output:
 *    PostgreSQL's EXPLAIN cost, MariaDB's Last_query_cost after EXPLAIN,
 *    and on SQLite (which has no cost estimate to show) the virtual machine
 *    steps of really running the statement (writes are rolled back);
 *  - advise-indexes itself changes nothing on the target (schema, rows,
 *    statistics, history) and leaves an `advise` audit record;
 *  - no suggestion repeats an existing index or is a prefix of another
 *    suggestion; the redundant existing index is reported;
 *  - SQLite: compared with the sqlite3 shell's .expert on the same queries,
 *    borch-db helps every query .expert helps, with no more indexes;
 *  - bad statements are reported by position and skipped (exit 0, or 1 with
 *    --strict); PostgreSQL logs, MariaDB slow logs and server statistics
 *    (--from-stats, where every servable statement must be found and
 *    planned) are workloads too; the server's index counters report the
 *    index the workload never uses.
 *
 * Workload markers (comments, ignored by borch-db): "-- params: a, b" gives
 * the literals this test puts in place of the parameters to plan a
 * statement; "-- noindex" marks a statement no index can serve.
 *
 * Without a server URL the PostgreSQL and MariaDB cases are skipped with a
 * notice, except under CI=true, where they fail.
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/url.h"
#include "driver.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/mem.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

enum engine { ENG_SQLITE, ENG_PG, ENG_MYSQL };

static const char *const engine_dir[] = {"sqlite", "postgres", "mysql"};
static const char *const engine_env[] = {NULL, "BORCH_TEST_PG_URL", "BORCH_TEST_MYSQL_URL"};

#define NTABLES 6
static const char *const shop_tables[NTABLES] = {"categories", "customers", "products",
                                                 "orders",     "order_items", "reviews"};
/* A full scan of a table smaller than this is not held against a plan:
 * every engine rightly reads 100 categories whole. */
#define SMALL_TABLE_ROWS 1000

/* One workload statement, as the fixture holds it. */
typedef struct stmt {
    int line;      /* of its first line in the file */
    int noindex;   /* marked "-- noindex" */
    char *sql;     /* with the parameters replaced by the "-- params:" literals */
    double before; /* cost on the target before the suggestions, measured here */
    double after;
    char *full_before; /* big tables read whole, "" when none */
    char *full_after;
} stmt;

/* The one test's state; the checked teardown removes what it holds. */
static struct {
    int engine;
    char *dir;    /* temp folder: borch.yaml, migrations/, workloads */
    char *server; /* server URL, NULL for SQLite */
    char *url;    /* the test's own database */
    char *db_path; /* SQLite file */
    borch_conn *conn;
    long rows[NTABLES];
    stmt *stmts;
    size_t nstmts;
} T;

/* ---- the ledger: throwaway databases of a test that failed ---- */

static char ledger[600];

/* Names the ledger file in the runner's process, before tests fork. */
static void ledger_start(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(ledger, sizeof(ledger), "%s/borch-advise-%ld.ledger", base && *base ? base : "/tmp",
             (long)getpid());
}

/* Records a scratch database (server, url) or a folder (dir, NULL) to remove. */
static void ledger_note(const char *a, const char *b)
{
    FILE *f = ledger[0] ? fopen(ledger, "a") : NULL;
    if (!f)
        return;
    fprintf(f, "%s\t%s\n", a, b ? b : "");
    fclose(f);
}

/* Removes what failed tests left behind (a failed test skips its teardown). */
static void ledger_sweep(void)
{
    FILE *f = ledger[0] ? fopen(ledger, "r") : NULL;
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab++ = '\0';
        if (*tab)
            db_drop_scratch(line, tab);
        else
            rm_rf(line);
    }
    fclose(f);
    unlink(ledger);
}

/* ---- small helpers ---- */

/* The server URL of an engine, "" for SQLite, or NULL (skip; fails under CI=true). */
static const char *server_url(int engine)
{
    if (engine == ENG_SQLITE)
        return "";
    const char *v = getenv(engine_env[engine]);
    if (v && *v)
        return v;
    const char *ci = getenv("CI");
    ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
                  "no test server: %s is not set; run tests/support/servers.sh start",
                  engine_env[engine]);
    fprintf(stderr, "advise_cli: skipped on %s: %s is not set (run tests/support/servers.sh start)\n",
            engine_dir[engine], engine_env[engine]);
    return NULL;
}

/* Reads tests/e2e/fixtures/advise/<sub>/<name>; aborts when missing. */
static char *fixture_text(const char *sub, const char *name)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/tests/e2e/fixtures/advise/%s", BORCH_SOURCE_DIR, sub);
    char *text = read_text(path, name);
    ck_assert_msg(text != NULL, "fixture %s/%s is missing", path, name);
    return text;
}

/* Copies a fixture file into the test folder under the same or another name. */
static void copy_into_dir(const char *sub, const char *name, const char *as)
{
    char *text = fixture_text(sub, name);
    write_text(T.dir, as ? as : name, text);
    free(text);
}

static void expect_exit(const run_result *r, int code)
{
    ck_assert_msg(r->status == code, "exit %d, wanted %d\nstdout:\n%.4000s\nstderr:\n%.4000s",
                  r->status, code, r->out, r->err);
}

/* Keeps every row's first two columns as "a\tb\n" lines in a borch_buf. */
static int collect_rows(void *payload, int ncols, const char *const *names,
                        const char *const *values)
{
    (void)names;
    borch_buf *b = payload;
    for (int i = 0; i < ncols && i < 2; i++) {
        if (i)
            borch_buf_putc(b, '\t');
        borch_buf_puts(b, values[i] ? values[i] : "NULL");
    }
    borch_buf_putc(b, '\n');
    return 0;
}

/* Runs sql on the test's connection; rows (first two columns) as text, malloc'd. */
static char *conn_rows(const char *sql)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_error e = {0};
    int rc = borch_conn_query(T.conn, sql, 0, NULL, collect_rows, &b, &e);
    ck_assert_msg(rc == 0, "%s: %s", sql, e.message);
    borch_error_clear(&e);
    return borch_buf_detach(&b);
}

/* The first value of the first row, as a number. */
static double conn_number(const char *sql)
{
    char *v = conn_rows(sql);
    char *tab = strchr(v, '\t');
    double d = strtod(tab ? tab + 1 : v, NULL);
    free(v);
    return d;
}

/* Opens a connection through the driver. */
static borch_conn *open_conn(const char *url_text)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(url_text, "/", &u, &e) == 0, "url: %s", e.message);
    borch_conn_opts opts = {0};
    opts.connect_timeout_s = 10;
    borch_conn *c = NULL;
    int rc = borch_conn_open(u, &opts, &c, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    borch_error_clear(&e);
    return c;
}

static int is_write(const char *sql)
{
    return strncmp(sql, "UPDATE", 6) == 0 || strncmp(sql, "DELETE", 6) == 0;
}

/*
 * A whole-index scan with no condition reads as much as a table scan,
 * unless a LIMIT stops it early (an index read in ORDER BY order).
 */
static int has_limit(const char *sql)
{
    return strstr(sql, " LIMIT ") != NULL;
}

/* ---- the workload fixture ---- */

/* Replaces the parameters of sql ($n on PostgreSQL, ? elsewhere) with values. */
static char *bind_params(const char *sql, const borch_strv *values, int engine)
{
    borch_buf b;
    borch_buf_init(&b);
    size_t next = 0;
    for (const char *p = sql; *p; p++) {
        if (engine == ENG_PG && *p == '$' && isdigit((unsigned char)p[1])) {
            char *end;
            long n = strtol(p + 1, &end, 10);
            ck_assert_msg(n >= 1 && (size_t)n <= values->count, "no value for $%ld in %s", n, sql);
            borch_buf_puts(&b, values->items[n - 1]);
            p = end - 1;
        } else if (engine != ENG_PG && *p == '?') {
            ck_assert_msg(next < values->count, "no value for ? in %s", sql);
            borch_buf_puts(&b, values->items[next++]);
        } else {
            borch_buf_putc(&b, *p);
        }
    }
    return borch_buf_detach(&b);
}

/* Reads a workload fixture into T.stmts: one statement per ';' at a line end. */
static void load_workload(const char *text)
{
    borch_strv params = {0};
    borch_buf sql;
    borch_buf_init(&sql);
    int noindex = 0, first = 0, lineno = 0;
    size_t cap = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char *line = borch_xstrndup(p, n);
        p += n + (eol ? 1 : 0);
        lineno++;
        if (strncmp(line, "--", 2) == 0) {
            if (strncmp(line, "-- params:", 10) == 0) {
                for (char *tok = strtok(line + 10, ","); tok; tok = strtok(NULL, ",")) {
                    while (*tok == ' ')
                        tok++;
                    borch_strv_push(&params, tok);
                }
            } else if (strcmp(line, "-- noindex") == 0) {
                noindex = 1;
            }
        } else if (*line) {
            if (sql.len == 0)
                first = lineno;
            else
                borch_buf_putc(&sql, ' ');
            borch_buf_puts(&sql, line);
            if (sql.data[sql.len - 1] == ';') {
                sql.data[--sql.len] = '\0';
                borch_grow((void **)&T.stmts, &cap, T.nstmts + 1, sizeof(stmt));
                stmt *s = &T.stmts[T.nstmts++];
                memset(s, 0, sizeof(*s));
                s->line = first;
                s->noindex = noindex;
                s->sql = bind_params(sql.data, &params, T.engine);
                borch_buf_clear(&sql);
                borch_strv_release(&params);
                memset(&params, 0, sizeof(params));
                noindex = 0;
            }
        }
        free(line);
    }
    borch_buf_release(&sql);
    borch_strv_release(&params);
}

/* The table an alias (or table name) in sql stands for; malloc'd. */
static char *table_of(const char *sql, const char *alias)
{
    static const char *const keywords[] = {"WHERE", "JOIN", "ON", "SET", "ORDER", "GROUP",
                                           "LIMIT", "INNER", "LEFT", NULL};
    char words[64][64];
    int nw = 0;
    for (const char *p = sql; *p && nw < 64;) {
        if (*p == '\'') {
            p = strchr(p + 1, '\'');
            if (!p)
                break;
            p++;
        } else if (isalnum((unsigned char)*p) || *p == '_') {
            int k = 0;
            while ((isalnum((unsigned char)*p) || *p == '_') && k < 63)
                words[nw][k++] = *p++;
            words[nw++][k] = '\0';
        } else {
            p++;
        }
    }
    for (int i = 0; i + 1 < nw; i++) {
        if (strcasecmp(words[i], "FROM") && strcasecmp(words[i], "JOIN") &&
            strcasecmp(words[i], "UPDATE"))
            continue;
        const char *table = words[i + 1];
        const char *as = table;
        if (i + 2 < nw) {
            int kw = 0;
            for (int k = 0; keywords[k]; k++)
                kw |= strcasecmp(words[i + 2], keywords[k]) == 0;
            if (!kw)
                as = words[i + 2];
        }
        if (strcmp(as, alias) == 0 || strcmp(table, alias) == 0)
            return borch_xstrdup(table);
    }
    return borch_xstrdup(alias);
}

/* True when a full scan of this table counts against a plan. */
static int big_table(const char *table)
{
    for (int i = 0; i < NTABLES; i++)
        if (strcmp(table, shop_tables[i]) == 0)
            return T.rows[i] >= SMALL_TABLE_ROWS;
    return 1;
}

/* Appends table to the list of big tables a plan reads whole. */
static void note_full_scan(borch_buf *full, const char *sql, const char *alias)
{
    char *table = table_of(sql, alias);
    if (big_table(table) && !strstr(full->data, table)) {
        if (full->len)
            borch_buf_putc(full, ',');
        borch_buf_puts(full, table);
    }
    free(table);
}

/* ---- measuring a statement on the target ---- */

/* SQLite: full scans from EXPLAIN QUERY PLAN; cost = VM steps of a real run. */
static double measure_sqlite(const char *sql, borch_buf *full)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(T.db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(db, eqp, -1, &st, NULL) == SQLITE_OK, "%s: %s", eqp,
                  sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        /* "SCAN t" reads the table, "SCAN t USING [COVERING] INDEX i" a whole
         * index; "SEARCH t USING ..." is a lookup. */
        if (detail && strncmp(detail, "SCAN ", 5) == 0 &&
            (!strstr(detail, " USING ") || !has_limit(sql))) {
            char alias[64];
            sscanf(detail + 5, "%63s", alias);
            note_full_scan(full, sql, alias);
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(eqp);
    int write = is_write(sql);
    if (write)
        ck_assert_int_eq(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
    double steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(st);
    if (write)
        ck_assert_int_eq(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    return steps;
}

/*
 * Index Scan / Index Only Scan nodes without an "Index Cond:" read the
 * whole index. A node's detail lines follow it, indented deeper than the
 * node's line, before any child ("->") line.
 */
static void pg_whole_index_scans(const char *plan, const char *sql, borch_buf *full)
{
    if (has_limit(sql))
        return;
    for (const char *bol = plan; bol && *bol;) {
        const char *eol = strchr(bol, '\n');
        size_t indent = strspn(bol, " ");
        const char *node = bol + indent;
        if (strncmp(node, "->", 2) == 0)
            node += 2 + strspn(node + 2, " ");
        const char *on = strstr(node, " on ");
        int index_scan = strncmp(node, "Index Scan", 10) == 0 || strncmp(node, "Index Only Scan", 15) == 0;
        if (index_scan && on && (!eol || on < eol)) {
            int cond = 0;
            for (const char *l = eol ? eol + 1 : NULL; l && *l;) {
                size_t ws = strspn(l, " ");
                if (ws <= indent || strncmp(l + ws, "->", 2) == 0)
                    break;
                if (strncmp(l + ws, "Index Cond:", 11) == 0)
                    cond = 1;
                const char *le = strchr(l, '\n');
                l = le ? le + 1 : NULL;
            }
            if (!cond) {
                char table[64];
                sscanf(on + 4, "%63[a-z_]", table);
                note_full_scan(full, sql, table);
            }
        }
        bol = eol ? eol + 1 : NULL;
    }
}

/* PostgreSQL: the top node's total cost, every "Seq Scan on t" and whole-index scans. */
static double measure_pg(const char *sql, borch_buf *full)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_printf(&q, "EXPLAIN %s", sql);
    char *plan = conn_rows(q.data);
    borch_buf_release(&q);
    const char *c = strstr(plan, "cost=");
    ck_assert_msg(c && strstr(c, ".."), "no cost in the plan of %s:\n%s", sql, plan);
    double cost = strtod(strstr(c, "..") + 2, NULL);
    for (const char *p = plan; (p = strstr(p, "Seq Scan on ")); p++) {
        char table[64];
        sscanf(p + 12, "%63[a-z_]", table);
        note_full_scan(full, sql, table);
    }
    pg_whole_index_scans(plan, sql, full);
    free(plan);
    return cost;
}

/* MariaDB: EXPLAIN rows; cost = Last_query_cost of the statement's SELECT. */
typedef struct my_plan {
    const char *sql;
    borch_buf *full;
} my_plan;

static int my_plan_row(void *payload, int ncols, const char *const *names,
                       const char *const *values)
{
    my_plan *mp = payload;
    const char *table = NULL, *type = NULL, *key = NULL;
    for (int i = 0; i < ncols; i++) {
        if (strcmp(names[i], "table") == 0)
            table = values[i];
        else if (strcmp(names[i], "type") == 0)
            type = values[i];
        else if (strcmp(names[i], "key") == 0)
            key = values[i];
    }
    /* ALL reads the table, "index" a whole index (the clustered PRIMARY
     * key is the table), which only a LIMIT may cut short. */
    (void)key;
    if (table && type &&
        (strcmp(type, "ALL") == 0 || (strcmp(type, "index") == 0 && !has_limit(mp->sql))))
        note_full_scan(mp->full, mp->sql, table);
    return 0;
}

static double measure_mysql(const char *sql, borch_buf *full)
{
    borch_buf q;
    borch_buf_init(&q);
    borch_buf_printf(&q, "EXPLAIN %s", sql);
    my_plan mp = {sql, full};
    borch_error e = {0};
    ck_assert_msg(borch_conn_query(T.conn, q.data, 0, NULL, my_plan_row, &mp, &e) == 0, "%s: %s",
                  q.data, e.message);
    /* Single-table UPDATE/DELETE leave Last_query_cost alone: plan their SELECT. */
    borch_buf_clear(&q);
    if (strncmp(sql, "UPDATE ", 7) == 0) {
        char table[64];
        sscanf(sql + 7, "%63s", table);
        borch_buf_printf(&q, "EXPLAIN SELECT * FROM %s%s", table, strstr(sql, " WHERE "));
    } else if (strncmp(sql, "DELETE FROM ", 12) == 0) {
        borch_buf_printf(&q, "EXPLAIN SELECT * %s", sql + 7);
    } else {
        borch_buf_printf(&q, "EXPLAIN %s", sql);
    }
    ck_assert_msg(borch_conn_query(T.conn, q.data, 0, NULL, NULL, NULL, &e) == 0, "%s: %s", q.data,
                  e.message);
    borch_buf_release(&q);
    return conn_number("SHOW SESSION STATUS LIKE 'Last_query_cost'");
}

/* Measures every statement; after selects the before or after columns. */
static double measure_all(int after)
{
    double total = 0;
    for (size_t i = 0; i < T.nstmts; i++) {
        stmt *s = &T.stmts[i];
        borch_buf full;
        borch_buf_init(&full);
        double cost = T.engine == ENG_SQLITE ? measure_sqlite(s->sql, &full)
                      : T.engine == ENG_PG   ? measure_pg(s->sql, &full)
                                             : measure_mysql(s->sql, &full);
        if (after) {
            s->after = cost;
            s->full_after = borch_buf_detach(&full);
        } else {
            s->before = cost;
            s->full_before = borch_buf_detach(&full);
        }
        total += cost;
    }
    return total;
}

/* ---- the target's state ---- */

/* Schema, statistics and row counts of the target as one text, malloc'd. */
static char *snapshot(void)
{
    borch_buf b;
    borch_buf_init(&b);
    const char *schema_sql =
        T.engine == ENG_SQLITE
            ? "SELECT type, name || ' ' || coalesce(sql, '') FROM sqlite_master "
              "WHERE name NOT LIKE 'borch_audit%' ORDER BY type, name"
        : T.engine == ENG_PG
            ? "SELECT 'c', table_name || '.' || column_name || ' ' || data_type FROM "
              "information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE "
              "'borch_audit%' UNION ALL SELECT 'i', indexdef FROM pg_indexes WHERE schemaname = "
              "'public' UNION ALL SELECT 'k', conname || ' ' || pg_get_constraintdef(oid) FROM "
              "pg_constraint WHERE connamespace = 'public'::regnamespace UNION ALL SELECT 'e', "
              "extname FROM pg_extension ORDER BY 1, 2"
            : "SELECT 'c', CONCAT(table_name, '.', column_name, ' ', column_type) AS x FROM "
              "information_schema.columns WHERE table_schema = DATABASE() AND table_name NOT LIKE "
              "'borch\\_audit%' UNION ALL SELECT 'i', CONCAT(table_name, ' ', index_name, ' ', "
              "seq_in_index, ' ', column_name) FROM information_schema.statistics WHERE "
              "table_schema = DATABASE() ORDER BY 1, 2";
    char *rows = conn_rows(schema_sql);
    borch_buf_puts(&b, rows);
    free(rows);
    if (T.engine == ENG_SQLITE) {
        rows = conn_rows("SELECT tbl || ' ' || coalesce(idx, ''), stat FROM sqlite_stat1 ORDER BY 1");
        borch_buf_puts(&b, rows);
        free(rows);
    }
    char q[200];
    for (int i = 0; i < NTABLES; i++) {
        snprintf(q, sizeof(q), "SELECT '%s', count(*) FROM %s", shop_tables[i], shop_tables[i]);
        rows = conn_rows(q);
        borch_buf_puts(&b, rows);
        free(rows);
    }
    rows = conn_rows("SELECT 'history', count(*) FROM borch_schema_history");
    borch_buf_puts(&b, rows);
    free(rows);
    return borch_buf_detach(&b);
}

/* Throwaway databases on the server (borch_scratch_*), to see none is left. */
static long scratch_count(void)
{
    if (T.engine == ENG_PG)
        return (long)conn_number("SELECT count(*) FROM pg_database WHERE datname LIKE 'borch\\_scratch\\_%'");
    if (T.engine == ENG_MYSQL)
        return (long)conn_number("SELECT count(*) FROM information_schema.schemata WHERE "
                                 "schema_name LIKE 'borch\\_scratch\\_%'");
    return 0;
}

/* ---- test lifecycle ---- */

/*
 * A fresh shop on an engine: temp folder, database, borch.yaml, and the
 * fixture's schema and data applied as the first migration. Returns 0 when
 * the engine's server is not available (skip).
 */
static int begin(int engine)
{
    const char *server = server_url(engine);
    if (!server)
        return 0;
    memset(&T, 0, sizeof(T));
    T.engine = engine;
    T.dir = make_temp_dir("advise");
    ledger_note(T.dir, NULL);
    if (engine == ENG_SQLITE) {
        size_t n = strlen(T.dir) + 32;
        T.db_path = borch_xmalloc(n);
        snprintf(T.db_path, n, "%s/shop.db", T.dir);
        T.url = borch_xmalloc(n + 16);
        snprintf(T.url, n + 16, "sqlite://%s", T.db_path);
    } else {
        T.server = borch_xstrdup(server);
        T.url = db_create_scratch(server);
        ledger_note(server, T.url);
    }
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "default: dev\nmigrations: migrations\nconnect_timeout: 5\n"
             "environments:\n  dev:\n    url: '%s'\n",
             T.url);
    write_text(T.dir, "borch.yaml", yaml);
    copy_into_dir(engine_dir[engine], "schema.sql", "migrations/20260101000000_shop.sql");
    run_result r = run_borch(T.dir, ARGS("migrate", "up"), NULL);
    expect_exit(&r, 0);
    run_result_release(&r);
    T.conn = open_conn(T.url);
    /*
     * PostgreSQL: vacuum now, or autovacuum does it for the freshly loaded
     * tables some seconds later, between two advise runs of one test; its
     * visibility map changes what index-only scans cost, so the two runs
     * could suggest different covering indexes.
     */
    if (engine == ENG_PG)
        free(conn_rows("VACUUM ANALYZE"));
    /* Row counts that touch no secondary index (a count(*) would, on
     * MariaDB, read the smallest one and make it "used"). */
    char q[200];
    for (int i = 0; i < NTABLES; i++) {
        if (engine == ENG_PG)
            snprintf(q, sizeof(q), "SELECT reltuples FROM pg_class WHERE oid = '%s'::regclass",
                     shop_tables[i]);
        else if (engine == ENG_MYSQL)
            snprintf(q, sizeof(q), "SELECT count(*) FROM %s FORCE INDEX (PRIMARY)", shop_tables[i]);
        else
            snprintf(q, sizeof(q), "SELECT count(*) FROM %s", shop_tables[i]);
        T.rows[i] = (long)conn_number(q);
    }
    ck_assert_int_eq(T.rows[4], 150000); /* order_items: the data is all there */
    return 1;
}

static void teardown(void)
{
    if (T.conn)
        borch_conn_close(T.conn);
    if (T.server && T.url)
        db_drop_scratch(T.server, T.url);
    if (T.dir)
        rm_rf(T.dir);
    for (size_t i = 0; i < T.nstmts; i++) {
        free(T.stmts[i].sql);
        free(T.stmts[i].full_before);
        free(T.stmts[i].full_after);
    }
    free(T.stmts);
    free(T.dir);
    free(T.server);
    free(T.url);
    free(T.db_path);
    memset(&T, 0, sizeof(T));
}

/* ---- reading borch-db's answers ---- */

/* Runs advise-indexes with args and --json; checks the exit code; the document. */
static json_t *advise_json(const char *const *args, int code)
{
    const char *argv[16] = {"advise-indexes"};
    size_t n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n++] = "--json";
    argv[n] = NULL;
    run_result r = run_borch(T.dir, argv, NULL);
    expect_exit(&r, code);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "stdout is not one JSON document (%s):\n%.4000s\nstderr:\n%.2000s",
                  je.text, r.out, r.err);
    run_result_release(&r);
    return doc;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The query of the document at position "file:line", or NULL. */
static json_t *query_at(json_t *doc, const char *file, int line)
{
    char pos[300];
    snprintf(pos, sizeof(pos), "%s:%d", file, line);
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(doc, "queries"), i, q)
    {
        if (strcmp(jstr(q, "position"), pos) == 0)
            return q;
    }
    return NULL;
}

/* True when the first n columns of a equal the whole of b (b a left-most prefix of a). */
static int has_prefix(json_t *a_cols, json_t *b_cols)
{
    size_t nb = json_array_size(b_cols);
    if (nb == 0 || nb > json_array_size(a_cols))
        return 0;
    for (size_t i = 0; i < nb; i++)
        if (strcmp(json_string_value(json_array_get(a_cols, i)),
                   json_string_value(json_array_get(b_cols, i))) != 0)
            return 0;
    return 1;
}

/* The suggestions repeat no existing index and none is a prefix of another. */
static void check_suggestions_are_new(json_t *sugg)
{
    /* The fixture's indexes: primary keys (id) and the three in schema.sql. */
    static const char *const existing[][3] = {{"customers", "country", NULL},
                                              {"customers", "country", "city"},
                                              {"products", "stock", NULL}};
    size_t i, j;
    json_t *s, *o;
    json_array_foreach(sugg, i, s)
    {
        json_t *cols = json_object_get(s, "columns");
        const char *table = jstr(s, "table");
        ck_assert_msg(json_array_size(cols) > 0, "suggestion %s has no columns", jstr(s, "name"));
        ck_assert_msg(!(json_array_size(cols) == 1 &&
                        strcmp(json_string_value(json_array_get(cols, 0)), "id") == 0),
                      "suggestion %s repeats the primary key of %s", jstr(s, "name"), table);
        for (size_t k = 0; k < sizeof(existing) / sizeof(existing[0]); k++) {
            if (strcmp(existing[k][0], table) != 0)
                continue;
            json_t *ex = json_array();
            for (int c = 1; c < 3 && existing[k][c]; c++)
                json_array_append_new(ex, json_string(existing[k][c]));
            ck_assert_msg(!has_prefix(ex, cols), "suggestion %s is served by an existing index on %s",
                          jstr(s, "ddl"), table);
            json_decref(ex);
        }
        json_array_foreach(sugg, j, o)
        {
            if (i != j && strcmp(jstr(o, "table"), table) == 0)
                ck_assert_msg(!has_prefix(json_object_get(o, "columns"), cols),
                              "suggestion %s is made redundant by %s", jstr(s, "ddl"), jstr(o, "ddl"));
        }
    }
}

/* The redundant existing index of the fixture is reported. */
static void check_redundant_reported(json_t *doc)
{
    size_t i;
    json_t *r;
    int found = 0;
    json_array_foreach(json_object_get(doc, "redundant_indexes"), i, r)
    {
        found |= strcmp(jstr(r, "table"), "customers") == 0 &&
                 strcmp(jstr(r, "index"), "customers_country_idx") == 0 &&
                 strcmp(jstr(r, "covered_by"), "customers_country_city_idx") == 0;
    }
    ck_assert_msg(found, "customers_country_idx not reported as covered by customers_country_city_idx: %s",
                  json_dumps(json_object_get(doc, "redundant_indexes"), 0));
}

/* The one migration named *_<name>.sql in migrations/, malloc'd text. */
static char *created_migration(const char *name)
{
    char dirpath[700];
    snprintf(dirpath, sizeof(dirpath), "%s/migrations", T.dir);
    DIR *d = opendir(dirpath);
    ck_assert_ptr_nonnull(d);
    char suffix[200];
    snprintf(suffix, sizeof(suffix), "_%s.sql", name);
    char *text = NULL;
    int found = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name), m = strlen(suffix);
        if (n > m && strcmp(e->d_name + n - m, suffix) == 0) {
            found++;
            text = read_text(dirpath, e->d_name);
        }
    }
    closedir(d);
    ck_assert_msg(found == 1, "%d migrations named *%s", found, suffix);
    return text;
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- sqlite3 .expert ---- */

/* What .expert proposes for one statement: its CREATE INDEX lines go to all. */
static int expert_indexes(const char *sql, borch_strv *all)
{
    size_t n = strlen(sql) + 32;
    char *in = borch_xmalloc(n);
    snprintf(in, n, ".expert\n%s;\n", sql);
    write_text(T.dir, "expert.in", in);
    free(in);
    char cmd[2000];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' < '%s/expert.in' > '%s/expert.out' 2>&1", T.db_path,
             T.dir, T.dir);
    ck_assert_msg(system(cmd) == 0, "sqlite3 .expert failed on %s", sql);
    char *out = read_text(T.dir, "expert.out");
    ck_assert_ptr_nonnull(out);
    int proposed = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "CREATE INDEX", 12) == 0) {
            proposed++;
            if (!borch_strv_contains(all, line))
                borch_strv_push(all, line);
        }
    }
    free(out);
    return proposed;
}

/* ---- the quality bar ---- */

static void quality_bar(int engine)
{
    if (!begin(engine))
        return;
    char *wl = fixture_text(engine_dir[engine], "workload.sql");
    write_text(T.dir, "workload.sql", wl);
    load_workload(wl);
    free(wl);
    ck_assert_uint_ge(T.nstmts, 30);

    char *before_state = snapshot();
    long scratch_before = scratch_count();
    double total_before = measure_all(0);

    /* .expert on the untouched target (SQLite only). */
    borch_strv expert_all = {0};
    int *expert_helps = calloc(T.nstmts, sizeof(int));
    if (engine == ENG_SQLITE)
        for (size_t i = 0; i < T.nstmts; i++)
            expert_helps[i] = expert_indexes(T.stmts[i].sql, &expert_all) > 0;

    json_t *doc = advise_json(ARGS("--workload", "workload.sql"), 0);
    ck_assert_str_eq(jstr(doc, "engine"), engine_dir[engine]);
    json_t *queries = json_object_get(doc, "queries");
    json_t *sugg = json_object_get(doc, "suggestions");
    ck_assert_msg(json_array_size(queries) == T.nstmts, "%zu queries in the document, %zu in the workload",
                  json_array_size(queries), T.nstmts);
    for (size_t i = 0; i < T.nstmts; i++)
        ck_assert_msg(query_at(doc, "workload.sql", T.stmts[i].line) != NULL,
                      "no query at workload.sql:%d", T.stmts[i].line);
    ck_assert_uint_gt(json_array_size(sugg), 0);
    check_suggestions_are_new(sugg);
    check_redundant_reported(doc);
    ck_assert_uint_eq(json_array_size(json_object_get(doc, "warnings")), 0);

    /* advise-indexes changed nothing and left an audit record. */
    char *after_state = snapshot();
    ck_assert_msg(strcmp(before_state, after_state) == 0, "the target changed:\nbefore:\n%s\nafter:\n%s",
                  before_state, after_state);
    free(after_state);
    ck_assert_int_eq(scratch_count(), scratch_before);
    char *audit = read_text(T.dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_msg(strstr(audit, "\"action\":\"advise\"") != NULL, "no advise record:\n%s", audit);
    free(audit);

    /* The migration: one CREATE INDEX per suggestion, nothing applied yet. */
    run_result r = run_borch(T.dir, ARGS("advise-indexes", "--workload", "workload.sql", "--create",
                                         "add_indexes"),
                             NULL);
    expect_exit(&r, 0);
    run_result_release(&r);
    char *mig = created_migration("add_indexes");
    size_t si;
    json_t *sg;
    json_array_foreach(sugg, si, sg)
    {
        ck_assert_msg(strstr(mig, jstr(sg, "ddl")) && strstr(mig, jstr(sg, "down")),
                      "the migration lacks %s / %s:\n%s", jstr(sg, "ddl"), jstr(sg, "down"), mig);
        ck_assert_ptr_nonnull(strstr(strstr(mig, "-- +borch down"), jstr(sg, "down")));
    }
    ck_assert_int_eq(count_of(mig, "-- +borch up"), 1);
    ck_assert_int_eq(count_of(mig, "-- +borch down"), 1);
    if (engine == ENG_PG) {
        ck_assert_msg(strstr(mig, "-- +borch up notx") && strstr(mig, "-- +borch down notx"),
                      "not notx:\n%s", mig);
        ck_assert_int_eq(count_of(mig, "CREATE INDEX CONCURRENTLY"), (int)json_array_size(sugg));
        ck_assert_int_eq(count_of(mig, "DROP INDEX CONCURRENTLY"), (int)json_array_size(sugg));
    }
    after_state = snapshot();
    ck_assert_msg(strcmp(before_state, after_state) == 0, "--create changed the target");
    free(after_state);

    r = run_borch(T.dir, ARGS("migrate", "up"), NULL);
    expect_exit(&r, 0);
    run_result_release(&r);

    /* The plans on the real target, now with the suggestions. */
    double total_after = measure_all(1);
    int unserved = 0, expert_helped = 0, borch_missed = 0;
    printf("advise_cli %s: %zu queries, %zu suggestions\n", engine_dir[engine], T.nstmts,
           json_array_size(sugg));
    printf("  %-5s %12s %12s  %-8s %-14s %s\n", "line", "before", "after", "noindex",
           "borch: served", engine == ENG_SQLITE ? "full scans after / .expert helps" : "full scans after");
    for (size_t i = 0; i < T.nstmts; i++) {
        stmt *s = &T.stmts[i];
        json_t *jq = query_at(doc, "workload.sql", s->line);
        printf("  %-5d %12.1f %12.1f  %-8s %-14s %s%s\n", s->line, s->before, s->after,
               s->noindex ? "noindex" : "",
               json_is_true(json_object_get(jq, "served")) ? "yes" : "no",
               *s->full_after ? s->full_after : "-",
               engine == ENG_SQLITE ? (expert_helps[i] ? " / yes" : " / no") : "");
        if (!s->noindex && *s->full_after)
            unserved++;
        if (expert_helps[i]) {
            expert_helped++;
            if (!(s->after < s->before))
                borch_missed++;
        }
    }
    printf("  total cost %.1f -> %.1f (%.1f %% less); borch-db claimed %.1f -> %.1f\n", total_before,
           total_after, 100.0 * (1 - total_after / total_before),
           json_real_value(json_object_get(doc, "total_cost_before")),
           json_real_value(json_object_get(doc, "total_cost_after")));
    size_t i;
    json_t *s;
    json_array_foreach(sugg, i, s) printf("  %s\n", jstr(s, "ddl"));
    if (engine == ENG_SQLITE)
        printf("  .expert: helps %d queries with %zu distinct indexes; borch-db: %zu indexes, "
               "misses %d of those queries\n",
               expert_helped, expert_all.count, json_array_size(sugg), borch_missed);
    fflush(stdout); /* a failed check ends the process without flushing */

    for (size_t k = 0; k < T.nstmts; k++)
        ck_assert_msg(T.stmts[k].noindex || !*T.stmts[k].full_after,
                      "workload.sql:%d still reads %s whole: %s", T.stmts[k].line,
                      T.stmts[k].full_after, T.stmts[k].sql);
    ck_assert_int_eq(unserved, 0);
    ck_assert_msg(total_after <= 0.5 * total_before, "total cost %.1f -> %.1f: less than 50 %% saved",
                  total_before, total_after);
    if (engine == ENG_SQLITE) {
        for (size_t k = 0; k < T.nstmts; k++)
            ck_assert_msg(!expert_helps[k] || T.stmts[k].after < T.stmts[k].before,
                          ".expert helps workload.sql:%d, borch-db does not (%.0f -> %.0f steps)",
                          T.stmts[k].line, T.stmts[k].before, T.stmts[k].after);
        ck_assert_msg(json_array_size(sugg) <= expert_all.count,
                      "borch-db suggests %zu indexes, .expert %zu", json_array_size(sugg),
                      expert_all.count);
    }
    borch_strv_release(&expert_all);
    free(expert_helps);
    free(mig);
    free(before_state);
    json_decref(doc);
}

START_TEST(sqlite_quality_bar)
{
    quality_bar(ENG_SQLITE);
}
END_TEST

START_TEST(postgres_quality_bar)
{
    quality_bar(ENG_PG);
}
END_TEST

START_TEST(mysql_quality_bar)
{
    quality_bar(ENG_MYSQL);
}
END_TEST

/* ---- a workload with bad statements ---- */

static void bad_workload(int engine)
{
    if (!begin(engine))
        return;
    copy_into_dir("", "bad_workload.sql", NULL);
    char *before_state = snapshot();
    json_t *doc = advise_json(ARGS("--workload", "bad_workload.sql"), 0);
    json_t *warnings = json_object_get(doc, "warnings");
    char *w = json_dumps(warnings, 0);
    ck_assert_msg(strstr(w, "bad_workload.sql:5:") != NULL, "no warning at line 5 (syntax error): %s", w);
    ck_assert_msg(strstr(w, "bad_workload.sql:7:") != NULL, "no warning at line 7 (missing table): %s", w);
    ck_assert_msg(strstr(w, "ordrs") != NULL, "the missing table is not named: %s", w);
    ck_assert_uint_eq(json_array_size(warnings), 2);
    free(w);
    static const int good[] = {4, 9, 11, 13};
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(query_at(doc, "bad_workload.sql", good[i]) != NULL,
                      "bad_workload.sql:%d was not analysed", good[i]);
    /* Skipped: absent from queries, or listed with "analysed": false. */
    static const int bad[] = {5, 7};
    for (size_t i = 0; i < 2; i++) {
        json_t *q = query_at(doc, "bad_workload.sql", bad[i]);
        ck_assert_msg(!q || json_is_false(json_object_get(q, "analysed")),
                      "bad_workload.sql:%d was analysed", bad[i]);
    }
    size_t analysed = 0, qi;
    json_t *q;
    json_array_foreach(json_object_get(doc, "queries"), qi, q)
    {
        analysed += !json_is_false(json_object_get(q, "analysed"));
    }
    ck_assert_uint_eq(analysed, 4);
    ck_assert_uint_gt(json_array_size(json_object_get(doc, "suggestions")), 0);
    json_decref(doc);
    doc = advise_json(ARGS("--workload", "bad_workload.sql", "--strict"), 1);
    json_decref(doc);
    /* Text output names the positions too. */
    run_result r = run_borch(T.dir, ARGS("advise-indexes", "--workload", "bad_workload.sql"), NULL);
    expect_exit(&r, 0);
    ck_assert_msg(strstr(r.err, "bad_workload.sql:5") || strstr(r.out, "bad_workload.sql:5"),
                  "text output does not name line 5:\n%s\n%s", r.out, r.err);
    run_result_release(&r);
    char *after_state = snapshot();
    ck_assert_str_eq(before_state, after_state);
    free(after_state);
    free(before_state);
}

START_TEST(sqlite_bad_statements_are_reported_and_skipped)
{
    bad_workload(ENG_SQLITE);
}
END_TEST

START_TEST(postgres_bad_statements_are_reported_and_skipped)
{
    bad_workload(ENG_PG);
}
END_TEST

START_TEST(mysql_bad_statements_are_reported_and_skipped)
{
    bad_workload(ENG_MYSQL);
}
END_TEST

/* ---- logs ---- */

/* The first column of each suggestion, "table.column", joined by spaces; malloc'd. */
static char *leading_columns(json_t *doc)
{
    borch_buf b;
    borch_buf_init(&b);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "suggestions"), i, s)
    {
        borch_buf_printf(&b, "%s.%s ", jstr(s, "table"),
                         json_string_value(json_array_get(json_object_get(s, "columns"), 0)));
    }
    return borch_buf_detach(&b);
}

/* A server log as the workload: 20 statements, 16 queries once merged. */
static void log_workload(int engine, const char *file, double email_weight_ms)
{
    if (!begin(engine))
        return;
    copy_into_dir(engine_dir[engine], file, NULL);
    json_t *doc = advise_json(ARGS("--workload", file), 0);
    json_t *queries = json_object_get(doc, "queries");
    /* BEGIN/ROLLBACK are skipped; two pairs differ only in literals. */
    ck_assert_msg(json_array_size(queries) == 16, "%zu queries, wanted 16", json_array_size(queries));
    size_t i;
    json_t *q;
    json_t *email = NULL;
    json_array_foreach(queries, i, q)
    {
        ck_assert_msg(strncmp(jstr(q, "position"), file, strlen(file)) == 0, "position %s",
                      jstr(q, "position"));
        if (strstr(jstr(q, "sql"), "FROM customers WHERE email ="))
            email = q;
    }
    ck_assert_ptr_nonnull(email);
    double weight = json_number_value(json_object_get(email, "weight"));
    ck_assert_msg(weight > email_weight_ms - 0.01 && weight < email_weight_ms + 0.01,
                  "weight of the email lookup (two runs) %.3f, wanted %.3f ms", weight, email_weight_ms);
    ck_assert_msg(json_is_true(json_object_get(email, "served")), "the email lookup is not served");
    char *lead = leading_columns(doc);
    printf("advise_cli %s log: %zu suggestions on %s\n", engine_dir[engine],
           json_array_size(json_object_get(doc, "suggestions")), lead);
    fflush(stdout);
    ck_assert_msg(strstr(lead, "customers.email ") != NULL, "no index on customers(email): %s", lead);
    ck_assert_msg(strstr(lead, "order_items.order_id ") != NULL, "no index on order_items(order_id): %s", lead);
    ck_assert_msg(strstr(lead, "orders.customer_id ") != NULL, "no index on orders(customer_id): %s", lead);
    free(lead);
    check_suggestions_are_new(json_object_get(doc, "suggestions"));
    json_decref(doc);
}

START_TEST(postgres_log_is_a_workload)
{
    /* 3.753 ms + 2.552 ms in postgresql.log */
    log_workload(ENG_PG, "postgresql.log", 6.305);
}
END_TEST

START_TEST(mysql_slow_log_is_a_workload)
{
    /* Query_time 0.005204 s + 0.008639 s in mariadb-slow.log */
    log_workload(ENG_MYSQL, "mariadb-slow.log", 13.843);
}
END_TEST

/* ---- server statistics ---- */

/* Runs every workload statement twice on the target (writes rolled back). */
static void run_workload_on_target(void)
{
    borch_error e = {0};
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < T.nstmts; i++) {
            const char *sql = T.stmts[i].sql;
            int write = is_write(sql);
            if (write)
                ck_assert_msg(borch_conn_begin(T.conn, &e) == 0, "begin: %s", e.message);
            ck_assert_msg(borch_conn_query(T.conn, sql, 0, NULL, NULL, NULL, &e) == 0, "%s: %s", sql,
                          e.message);
            if (write)
                ck_assert_msg(borch_conn_rollback(T.conn, &e) == 0, "rollback: %s", e.message);
        }
    }
    borch_error_clear(&e);
}

/*
 * A statement's shape, to find it among the normalized texts the servers
 * keep: lower case, no quoting of names, every literal or parameter "?",
 * lists of them "(?)", no spaces. malloc'd.
 */
static char *shape_of(const char *sql)
{
    borch_buf b;
    borch_buf_init(&b);
    for (const char *p = sql; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c == '\'') {
            const char *end = strchr(p + 1, '\'');
            p = end ? end + 1 : p + strlen(p);
            borch_buf_putc(&b, '?');
        } else if (c == '$' || c == '?' ||
                   (isdigit(c) && (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')))) {
            p++;
            while (isdigit((unsigned char)*p) || *p == '.')
                p++;
            borch_buf_putc(&b, '?');
        } else if ((p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
                   (strncasecmp(p, "true", 4) == 0 || strncasecmp(p, "false", 5) == 0) &&
                   !isalnum((unsigned char)p[tolower(c) == 't' ? 4 : 5]) &&
                   p[tolower(c) == 't' ? 4 : 5] != '_') {
            p += tolower(c) == 't' ? 4 : 5; /* PostgreSQL keeps booleans as parameters */
            borch_buf_putc(&b, '?');
        } else if (isspace(c) || c == '`' || c == '"') {
            p++;
        } else {
            borch_buf_putc(&b, (char)tolower(c));
            p++;
        }
    }
    /* (?,?,?) -> (?) */
    char *s = borch_buf_detach(&b);
    for (char *l; (l = strstr(s, "(?,?"));) {
        char *e = l + 1;
        while (e[0] == '?' && e[1] == ',')
            e += 2;
        memmove(l + 2, e + 1, strlen(e + 1) + 1);
    }
    return s;
}

static void from_stats(int engine)
{
    if (!begin(engine))
        return;
    const char *what = engine == ENG_PG ? "pg_stat_statements" : "performance_schema";
    int on;
    if (engine == ENG_PG) {
        /* Reading the view fails unless the library is preloaded. */
        borch_error e = {0};
        on = borch_conn_query(T.conn, "SELECT count(*) FROM pg_stat_statements", 0, NULL, NULL, NULL,
                              &e) == 0;
        borch_error_clear(&e);
    } else {
        on = conn_number("SELECT @@performance_schema") > 0;
    }
    if (!on) {
        /* Statistics off: a missing prerequisite, exit 2 naming it. */
        run_result r = run_borch(T.dir, ARGS("advise-indexes", "--from-stats"), NULL);
        expect_exit(&r, 2);
        ck_assert_msg(strstr(r.err, what) != NULL, "the message does not name %s:\n%s", what, r.err);
        run_result_release(&r);
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "%s is off on the test server", what);
        fprintf(stderr, "advise_cli: %s is off on the %s server: only its error was checked\n", what,
                engine_dir[engine]);
        return;
    }
    char *wl = fixture_text(engine_dir[engine], "workload.sql");
    load_workload(wl);
    free(wl);
    /* MariaDB keeps 5,000 digests server-wide (other databases' too); once
     * full, new statements are lost. Start from an empty table. */
    if (engine == ENG_MYSQL)
        free(conn_rows("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"));
    run_workload_on_target();
    json_t *doc = advise_json(ARGS("--from-stats"), 0);
    size_t nq = json_array_size(json_object_get(doc, "queries"));
    char *lead = leading_columns(doc);
    printf("advise_cli %s --from-stats: %zu queries, %zu suggestions on %s\n", engine_dir[engine], nq,
           json_array_size(json_object_get(doc, "suggestions")), lead);
    fflush(stdout);
    ck_assert_uint_ge(nq, 20);
    /* Every statement an index can serve, as the server recorded it, is
     * found and planned (not skipped with a warning). */
    json_t *warnings = json_object_get(doc, "warnings");
    for (size_t i = 0; i < T.nstmts; i++) {
        if (T.stmts[i].noindex)
            continue;
        char *want = shape_of(T.stmts[i].sql);
        int found = 0;
        size_t qi;
        json_t *q;
        json_array_foreach(json_object_get(doc, "queries"), qi, q)
        {
            char *got = shape_of(jstr(q, "sql"));
            found |= strcmp(got, want) == 0 && !json_is_false(json_object_get(q, "analysed"));
            free(got);
        }
        ck_assert_msg(found, "workload.sql:%d (%s) not planned from the statistics; %zu warnings, first: %s",
                      T.stmts[i].line, want, json_array_size(warnings),
                      json_string_value(json_array_get(warnings, 0)));
        free(want);
    }
    ck_assert_msg(strstr(lead, "customers.email ") != NULL, "no index on customers(email): %s", lead);
    ck_assert_msg(strstr(lead, "order_items.order_id ") != NULL, "no index on order_items(order_id): %s", lead);
    ck_assert_msg(strstr(lead, "reviews.") != NULL, "no index on reviews: %s", lead);
    free(lead);
    check_suggestions_are_new(json_object_get(doc, "suggestions"));
    /* The server counts index use: products_stock_idx was never used. */
    size_t i;
    json_t *u;
    int unused = 0;
    json_array_foreach(json_object_get(doc, "unused_indexes"), i, u)
    {
        unused |= strcmp(jstr(u, "index"), "products_stock_idx") == 0;
    }
    ck_assert_msg(unused, "products_stock_idx is not reported unused: %s",
                  json_dumps(json_object_get(doc, "unused_indexes"), 0));
    json_decref(doc);
}

START_TEST(postgres_from_stats)
{
    from_stats(ENG_PG);
}
END_TEST

START_TEST(mysql_from_stats)
{
    from_stats(ENG_MYSQL);
}
END_TEST

Suite *suite_advise_cli(void)
{
    Suite *s = suite_create("advise_cli");
    TCase *tc = tcase_create("advise_cli");
    tcase_add_unchecked_fixture(tc, ledger_start, ledger_sweep);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, sqlite_quality_bar);
    tcase_add_test(tc, postgres_quality_bar);
    tcase_add_test(tc, mysql_quality_bar);
    tcase_add_test(tc, sqlite_bad_statements_are_reported_and_skipped);
    tcase_add_test(tc, postgres_bad_statements_are_reported_and_skipped);
    tcase_add_test(tc, mysql_bad_statements_are_reported_and_skipped);
    tcase_add_test(tc, postgres_log_is_a_workload);
    tcase_add_test(tc, mysql_slow_log_is_a_workload);
    tcase_add_test(tc, postgres_from_stats);
    tcase_add_test(tc, mysql_from_stats);
    suite_add_tcase(s, tc);
    return s;
}
