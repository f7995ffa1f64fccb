/*
 * test_sqlite_fingerprint.c - the SQLite driver's incremental schema
 * fingerprint against real database files: after every kind of schema
 * change (and seeded random sequences of them) it equals a fresh full scan
 * of sqlite_master, it changes exactly when sqlite_master's rows change,
 * and the usual CREATE/DROP steps cost no full scan.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "sqlite/sqlite_int.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/mem.h"

static const borch_conn_opts create_opts = {.create = 1};
static char *tmp_dir;

static void setup(void)
{
    tmp_dir = make_temp_dir("sqlitefp");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
}

static char *db_path(const char *name)
{
    size_t n = strlen(tmp_dir) + strlen(name) + 2;
    char *p = borch_xmalloc(n);
    snprintf(p, n, "%s/%s", tmp_dir, name);
    return p;
}

/* Opens tmp_dir/name through the registry, as the core does. */
static borch_conn *open_db(const char *name)
{
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/%s", tmp_dir, name);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    int rc = borch_conn_open(url, &create_opts, &conn, &err);
    ck_assert_msg(rc == 0, "open %s: %s", text, err.message);
    borch_url_free(url);
    borch_error_clear(&err);
    return conn;
}

static sqlite3 *raw(borch_conn *conn)
{
    return ((borch_sqlite_conn *)conn)->db;
}

/* Runs a script through the driver; returns its result (failures allowed). */
static int exec_try(borch_conn *conn, const char *sql)
{
    borch_error err = {0};
    int rc = borch_conn_exec(conn, sql, NULL, 1, &err);
    borch_error_clear(&err);
    return rc;
}

static void exec_ok(borch_conn *conn, const char *sql)
{
    borch_error err = {0};
    int rc = borch_conn_exec(conn, sql, NULL, 1, &err);
    ck_assert_msg(rc == 0, "exec %s: %s", sql, err.message);
    borch_error_clear(&err);
}

/* The incremental fingerprint, checked against a full scan. */
static void fingerprint(borch_conn *conn, char out[65])
{
    borch_error err = {0};
    char full[65];
    ck_assert_int_eq(conn->driver->schema_fingerprint(conn, out, &err), 0);
    ck_assert_int_eq(borch_sqlite_fingerprint_full(raw(conn), full, &err), 0);
    ck_assert_str_eq(out, full);
    borch_error_clear(&err);
}

/* sqlite_master's rows, sorted, as text: what the fingerprint stands for. */
static char *master_dump(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT quote(type)||'|'||quote(name)||'|'||quote(tbl_name)"
                                        "||'|'||quote(sql) AS r FROM sqlite_master ORDER BY r",
                                        -1, &st, NULL),
                     SQLITE_OK);
    borch_buf b;
    borch_buf_init(&b);
    while (sqlite3_step(st) == SQLITE_ROW) {
        borch_buf_puts(&b, (const char *)sqlite3_column_text(st, 0));
        borch_buf_putc(&b, '\n');
    }
    sqlite3_finalize(st);
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

/* What a test remembers between two checks. */
typedef struct seen {
    char fp[65];
    char *dump;
} seen;

/* Takes the fingerprint and asserts it moved exactly when the rows did. */
static void check_step(borch_conn *conn, seen *s, const char *what)
{
    char now[65];
    fingerprint(conn, now);
    char *dump = master_dump(raw(conn));
    if (s->dump) {
        int same_rows = strcmp(dump, s->dump) == 0;
        int same_fp = strcmp(now, s->fp) == 0;
        ck_assert_msg(same_rows == same_fp, "after %s: rows %s but fingerprint %s", what,
                      same_rows ? "equal" : "changed", same_fp ? "equal" : "changed");
    }
    free(s->dump);
    s->dump = dump;
    memcpy(s->fp, now, sizeof(now));
}

static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A random name of the given type from sqlite_master ("" when none). */
static void pick(borch_conn *conn, const char *type, uint64_t *rng, char *out, size_t n)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT name FROM sqlite_master WHERE type = '%s' AND name NOT LIKE 'sqlite_%%' "
             "ORDER BY rowid",
             type);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(raw(conn), sql, -1, &st, NULL), SQLITE_OK);
    borch_strv names = {0};
    while (sqlite3_step(st) == SQLITE_ROW)
        borch_strv_push(&names, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    out[0] = '\0';
    if (names.count)
        snprintf(out, n, "%s", names.items[next_rand(rng) % names.count]);
    borch_strv_release(&names);
}

/*
 * One random schema change (or a harmless statement); k numbers new names.
 * Inside a transaction or savepoint (depth 1) the fingerprint is sometimes
 * taken too, so that rows it saw are then rolled back.
 */
static void random_step(borch_conn *conn, const char *path, uint64_t *rng, int k, int depth,
                        seen *sn)
{
    char t[128], o[128], sql[1024];
    pick(conn, "table", rng, t, sizeof(t));
    int op = (int)(next_rand(rng) % 22);
    if (!t[0] && op != 15)
        op = 0;
    switch (op) {
    case 0:
    case 1:
        snprintf(sql, sizeof(sql),
                 "CREATE TABLE t%d (id INTEGER PRIMARY KEY, a TEXT%s, b INT, p INT REFERENCES "
                 "\"%s\" (id))",
                 k, k % 3 ? " UNIQUE" : "", t[0] ? t : "x");
        exec_try(conn, sql);
        break;
    case 2:
        snprintf(sql, sizeof(sql), "CREATE INDEX i%d ON \"%s\" (%s)", k, t, k % 2 ? "a" : "id");
        exec_try(conn, sql);
        break;
    case 3:
        snprintf(sql, sizeof(sql), "CREATE VIEW v%d AS SELECT * FROM \"%s\"", k, t);
        exec_try(conn, sql);
        break;
    case 4:
        snprintf(sql, sizeof(sql), "CREATE TRIGGER tr%d AFTER INSERT ON \"%s\" BEGIN SELECT 1; END",
                 k, t);
        exec_try(conn, sql);
        break;
    case 5:
        snprintf(sql, sizeof(sql), "DROP TABLE \"%s\"", t);
        exec_try(conn, sql);
        break;
    case 6:
    case 7:
    case 8: {
        static const char *const types[] = {"index", "view", "trigger"};
        static const char *const words[] = {"INDEX", "VIEW", "TRIGGER"};
        pick(conn, types[op - 6], rng, o, sizeof(o));
        if (o[0]) {
            snprintf(sql, sizeof(sql), "DROP %s \"%s\"", words[op - 6], o);
            exec_try(conn, sql);
        }
        break;
    }
    case 9:
        snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" ADD COLUMN x%d TEXT", t, k);
        exec_try(conn, sql);
        break;
    case 10:
        snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" RENAME COLUMN b TO b2", t);
        if (exec_try(conn, sql) < 0) {
            snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" RENAME COLUMN b2 TO b", t);
            exec_try(conn, sql);
        }
        break;
    case 11: {
        /* the latest added column, if any */
        char q[256];
        snprintf(q, sizeof(q),
                 "SELECT name FROM pragma_table_info('%s') WHERE name LIKE 'x%%' ORDER BY cid "
                 "DESC LIMIT 1",
                 t);
        sqlite3_stmt *st = NULL;
        ck_assert_int_eq(sqlite3_prepare_v2(raw(conn), q, -1, &st, NULL), SQLITE_OK);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" DROP COLUMN \"%s\"", t,
                     (const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
            exec_try(conn, sql);
        } else {
            sqlite3_finalize(st);
        }
        break;
    }
    case 12:
        snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" RENAME TO r%d", t, k);
        exec_try(conn, sql);
        break;
    case 13: /* the 12-step rebuild */
        snprintf(sql, sizeof(sql),
                 "PRAGMA foreign_keys=OFF; BEGIN; CREATE TABLE new_%d AS SELECT * FROM \"%s\";"
                 "DROP TABLE \"%s\"; ALTER TABLE new_%d RENAME TO \"%s\";"
                 "CREATE INDEX ri%d ON \"%s\" (id); COMMIT; PRAGMA foreign_keys=ON",
                 k, t, t, k, t, k, t);
        if (exec_try(conn, sql) < 0)
            exec_try(conn, "ROLLBACK; PRAGMA foreign_keys=ON");
        break;
    case 14:
        if (depth > 0)
            break;
        if (k % 2) {
            borch_error err = {0};
            ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
            for (int i = 0; i < 3; i++) {
                random_step(conn, path, rng, k * 100 + i, depth + 1, sn);
                if (next_rand(rng) % 2)
                    check_step(conn, sn, "a step in a transaction");
            }
            ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);
            borch_error_clear(&err);
        } else {
            exec_ok(conn, "BEGIN");
            for (int i = 0; i < 3; i++) {
                random_step(conn, path, rng, k * 100 + i, depth + 1, sn);
                if (next_rand(rng) % 2)
                    check_step(conn, sn, "a step in a transaction");
            }
            exec_try(conn, "ROLLBACK");
        }
        break;
    case 15:
        if (depth > 0)
            break;
        exec_ok(conn, "SAVEPOINT sp");
        for (int i = 0; i < 2; i++) {
            random_step(conn, path, rng, k * 100 + i, depth + 1, sn);
            if (next_rand(rng) % 2)
                check_step(conn, sn, "a step in a transaction");
        }
        exec_try(conn, k % 2 ? "ROLLBACK TO sp; RELEASE sp" : "RELEASE sp");
        break;
    case 16: { /* another connection */
        if (depth > 0)
            break;
        sqlite3 *other = NULL;
        ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
        if (k % 2)
            snprintf(sql, sizeof(sql), "CREATE TABLE o%d (id INTEGER PRIMARY KEY, a TEXT)", k);
        else
            snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=OFF; DROP TABLE IF EXISTS \"%s\"", t);
        sqlite3_exec(other, sql, NULL, NULL, NULL);
        sqlite3_close(other);
        break;
    }
    case 17: /* by hand, with writable_schema */
        if (depth > 0)
            break;
        snprintf(sql, sizeof(sql),
                 "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = sql || ' ' "
                 "WHERE name = '%s'; PRAGMA writable_schema=OFF",
                 t);
        exec_ok(conn, sql);
        break;
    case 18:
        exec_try(conn, k % 2 ? "ANALYZE" : "REINDEX");
        break;
    case 19:
        if (depth == 0)
            exec_ok(conn, "VACUUM");
        break;
    case 20:
        snprintf(sql, sizeof(sql), "INSERT INTO \"%s\" (id) VALUES (%d)", t, k);
        exec_try(conn, sql);
        break;
    default:
        exec_try(conn, "CREATE TEMP TABLE IF NOT EXISTS tmp (x); DROP TABLE IF EXISTS nope");
        break;
    }
}

/* ---- tests ---- */

START_TEST(equals_full_scan_after_random_changes)
{
    static const uint64_t seeds[] = {0x9e3779b97f4a7c15ull, 42, 20261126, 7};
    uint64_t rng = seeds[_i];
    char name[32];
    snprintf(name, sizeof(name), "r%d.db", _i);
    borch_conn *conn = open_db(name);
    char *path = db_path(name);
    seen s = {0};
    check_step(conn, &s, "open");
    for (int k = 1; k <= 250; k++) {
        random_step(conn, path, &rng, k, 0, &s);
        if (next_rand(&rng) % 3) /* sometimes several changes between two calls */
            check_step(conn, &s, "a random step");
    }
    check_step(conn, &s, "the last step");
    free(s.dump);
    free(path);
    borch_conn_close(conn);
}
END_TEST

START_TEST(creates_and_drops_cost_no_full_scan)
{
    borch_conn *conn = open_db("c.db");
    seen s = {0};
    check_step(conn, &s, "open");
    unsigned long base = borch_sqlite_fp_full_scans(conn);
    char before[65];
    memcpy(before, s.fp, sizeof(before));
    for (int i = 1; i <= 30; i++) {
        char sql[512];
        snprintf(sql, sizeof(sql),
                 "CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT UNIQUE, p INT REFERENCES "
                 "t%d (id)); CREATE INDEX t%d_i ON t%d (name);"
                 "CREATE VIEW v%d AS SELECT * FROM t%d;"
                 "CREATE TRIGGER tr%d AFTER INSERT ON t%d BEGIN SELECT 1; END",
                 i, i > 1 ? i - 1 : i, i, i, i, i, i, i);
        exec_ok(conn, sql);
        check_step(conn, &s, "create");
        if (i % 3 == 0) {
            snprintf(sql, sizeof(sql),
                     "DROP VIEW v%d; DROP TRIGGER tr%d; DROP INDEX t%d_i; DROP TABLE t%d", i, i, i,
                     i);
            exec_ok(conn, sql);
            check_step(conn, &s, "drop");
        }
    }
    exec_ok(conn, "INSERT INTO t1 (name) VALUES ('a'); ANALYZE; REINDEX; CREATE TEMP TABLE x (a)");
    check_step(conn, &s, "analyze");
    exec_ok(conn, "DROP TABLE t2"); /* with its autoindex, index and trigger */
    check_step(conn, &s, "drop table");
    ck_assert_uint_eq(borch_sqlite_fp_full_scans(conn), base);
    ck_assert_str_ne(s.fp, before);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(what_rewrites_or_undoes_rows_forces_a_full_scan)
{
    static const char *const steps[] = {
        "ALTER TABLE a ADD COLUMN c TEXT",
        "ALTER TABLE a RENAME COLUMN c TO d",
        "ALTER TABLE a DROP COLUMN d",
        "ALTER TABLE a RENAME TO a2; ALTER TABLE a2 RENAME TO a",
        "BEGIN; CREATE TABLE gone (x); ROLLBACK",
        "SAVEPOINT s; DROP VIEW va; ROLLBACK TO s; RELEASE s",
        "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = sql || ' ' WHERE name = 'va';"
        " PRAGMA writable_schema=OFF",
        "VACUUM",
        "ATTACH ':memory:' AS aux; DETACH aux",
        "PRAGMA schema_version",
    };
    borch_conn *conn = open_db("w.db");
    exec_ok(conn, "CREATE TABLE a (id INTEGER PRIMARY KEY, b TEXT); CREATE INDEX ai ON a (b);"
                  "CREATE VIEW va AS SELECT b FROM a;"
                  "CREATE TRIGGER atr AFTER UPDATE ON a BEGIN SELECT 1; END");
    seen s = {0};
    check_step(conn, &s, "open");
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        unsigned long n = borch_sqlite_fp_full_scans(conn);
        exec_ok(conn, steps[i]);
        check_step(conn, &s, steps[i]);
        ck_assert_msg(borch_sqlite_fp_full_scans(conn) == n + 1, "no full scan after %s", steps[i]);
    }
    /* The driver's own rollback too. */
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    exec_ok(conn, "CREATE TABLE gone (x)");
    check_step(conn, &s, "create in a transaction");
    unsigned long n = borch_sqlite_fp_full_scans(conn);
    ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);
    check_step(conn, &s, "driver rollback");
    ck_assert_uint_eq(borch_sqlite_fp_full_scans(conn), n + 1);
    n = borch_sqlite_fp_full_scans(conn);
    /* Back to incremental once writable_schema is off. */
    exec_ok(conn, "CREATE TABLE after (x)");
    check_step(conn, &s, "create after");
    ck_assert_uint_eq(borch_sqlite_fp_full_scans(conn), n);
    borch_error_clear(&err);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(rows_seen_then_rolled_back_are_forgotten)
{
    borch_conn *conn = open_db("u.db");
    exec_ok(conn, "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE VIEW va AS SELECT id FROM a");
    seen s = {0};
    check_step(conn, &s, "open");
    exec_ok(conn, "SAVEPOINT s; CREATE TABLE g1 (x)");
    check_step(conn, &s, "create in a savepoint");
    exec_ok(conn, "ROLLBACK TO s; RELEASE s");
    check_step(conn, &s, "rollback to the savepoint");
    exec_ok(conn, "BEGIN; CREATE TABLE g2 (x); DROP VIEW va");
    check_step(conn, &s, "create in a transaction");
    exec_ok(conn, "ROLLBACK");
    check_step(conn, &s, "rollback");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    exec_ok(conn, "DROP TABLE a; CREATE TABLE b (x)");
    check_step(conn, &s, "in the driver's transaction");
    ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);
    check_step(conn, &s, "the driver's rollback");
    borch_error_clear(&err);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(writable_schema_edits_while_on_are_seen)
{
    borch_conn *conn = open_db("ws.db");
    exec_ok(conn, "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE VIEW va AS SELECT id FROM a;"
                  "CREATE VIEW vb AS SELECT id FROM a");
    seen s = {0};
    check_step(conn, &s, "open");
    exec_ok(conn, "PRAGMA writable_schema=ON");
    check_step(conn, &s, "on");
    exec_ok(conn, "DELETE FROM sqlite_schema WHERE name = 'vb'");
    check_step(conn, &s, "delete by hand");
    /* A row by hand far above the others, then SQLite's next rowid comes after it. */
    exec_ok(conn, "INSERT INTO sqlite_master (rowid, type, name, tbl_name, rootpage, sql) "
                  "VALUES (5000000, 'view', 'vz', 'vz', 0, 'CREATE VIEW vz AS SELECT 1')");
    check_step(conn, &s, "insert by hand");
    exec_ok(conn, "UPDATE sqlite_master SET sql = 'CREATE VIEW vz AS SELECT 2' WHERE name = 'vz'");
    check_step(conn, &s, "update by hand");
    exec_ok(conn, "PRAGMA writable_schema=OFF; CREATE TABLE b (x)");
    check_step(conn, &s, "create after");
    exec_ok(conn, "CREATE TABLE c (x)");
    check_step(conn, &s, "create after");
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(new_rows_fill_rowids_freed_at_the_top)
{
    borch_conn *conn = open_db("h.db");
    exec_ok(conn, "CREATE TABLE t1 (x); CREATE TABLE t2 (x); CREATE TABLE t3 (x); "
                  "CREATE TABLE t4 (x)");
    seen s = {0};
    check_step(conn, &s, "open");
    exec_ok(conn, "DROP TABLE t3");
    check_step(conn, &s, "hole at 3");
    unsigned long n = borch_sqlite_fp_full_scans(conn);
    exec_ok(conn, "DROP TABLE t4; CREATE TABLE x (x); CREATE TABLE y (x)");
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(raw(conn),
                                        "SELECT group_concat(name || rowid, ',') FROM "
                                        "(SELECT name, rowid FROM sqlite_master ORDER BY rowid)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "t11,t22,x3,y4");
    sqlite3_finalize(st);
    check_step(conn, &s, "x and y in the freed rowids");
    /* The same rowid dropped and taken again within one interval. */
    exec_ok(conn, "DROP TABLE y; CREATE TABLE z (x); DROP TABLE z; CREATE TABLE w (x)");
    check_step(conn, &s, "w where y was");
    ck_assert_uint_eq(borch_sqlite_fp_full_scans(conn), n);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(failed_drop_keeps_the_row)
{
    borch_conn *conn = open_db("f.db");
    exec_ok(conn, "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE INDEX pi ON p (id);"
                  "CREATE TABLE c (id INTEGER PRIMARY KEY, p INT REFERENCES p (id));"
                  "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1)");
    seen s = {0};
    check_step(conn, &s, "open");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    ck_assert_int_lt(exec_try(conn, "DROP TABLE p"), 0); /* the foreign key stops it */
    check_step(conn, &s, "failed drop");
    ck_assert_int_lt(exec_try(conn, "DROP INDEX nope"), 0);
    exec_ok(conn, "DROP INDEX pi");
    check_step(conn, &s, "drop index");
    ck_assert_int_eq(borch_conn_commit(conn, &err), 0);
    check_step(conn, &s, "commit");
    borch_error_clear(&err);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(another_connection_changing_the_file_is_seen)
{
    borch_conn *conn = open_db("o.db");
    char *path = db_path("o.db");
    exec_ok(conn, "CREATE TABLE a (x)");
    seen s = {0};
    check_step(conn, &s, "open");
    borch_conn *other = open_db("o.db");
    exec_ok(other, "CREATE TABLE b (x); DROP TABLE a");
    check_step(conn, &s, "the other connection's change");
    ck_assert_ptr_nonnull(strstr(s.dump, "'b'"));
    ck_assert_ptr_null(strstr(s.dump, "'a'"));
    sqlite3 *third = NULL;
    ck_assert_int_eq(sqlite3_open(path, &third), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(third,
                                  "PRAGMA writable_schema=ON; UPDATE sqlite_master SET "
                                  "sql = sql || ' ' WHERE name = 'b'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(third);
    check_step(conn, &s, "an edit by hand elsewhere");
    /* The other's own fingerprint follows what this one did. */
    seen so = {0};
    check_step(other, &so, "other open");
    exec_ok(conn, "CREATE INDEX bi ON b (x)");
    check_step(other, &so, "seen from the other");
    ck_assert_ptr_nonnull(strstr(so.dump, "'bi'"));
    borch_conn_close(other);
    free(so.dump);
    free(s.dump);
    free(path);
    borch_conn_close(conn);
}
END_TEST

START_TEST(no_op_statements_keep_the_fingerprint)
{
    borch_conn *conn = open_db("n.db");
    exec_ok(conn, "CREATE TABLE a (x UNIQUE)");
    seen s = {0};
    check_step(conn, &s, "open");
    char first[65];
    memcpy(first, s.fp, sizeof(first));
    exec_ok(conn, "CREATE TABLE IF NOT EXISTS a (y); DROP TABLE IF EXISTS nope;"
                  "INSERT INTO a VALUES (1); CREATE TEMP VIEW tv AS SELECT 1; "
                  "PRAGMA table_info(a); SELECT * FROM sqlite_master");
    check_step(conn, &s, "no-ops");
    ck_assert_str_eq(s.fp, first);
    /* Same rows in another order: same fingerprint. */
    exec_ok(conn, "CREATE TABLE b (x); CREATE TABLE c (x)");
    check_step(conn, &s, "b then c");
    char bc[65];
    memcpy(bc, s.fp, sizeof(bc));
    exec_ok(conn, "DROP TABLE b; DROP TABLE c; CREATE TABLE c (x); CREATE TABLE b (x)");
    check_step(conn, &s, "c then b");
    ck_assert_str_eq(s.fp, bc);
    /* A name spelled with another case is another row. */
    exec_ok(conn, "DROP TABLE B; CREATE TABLE B (x)");
    check_step(conn, &s, "B");
    ck_assert_str_ne(s.fp, bc);
    free(s.dump);
    borch_conn_close(conn);
}
END_TEST

START_TEST(memory_database_and_closing_with_a_cache)
{
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse("sqlite::memory:", NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, NULL, &conn, &err), 0);
    borch_url_free(url);
    seen s = {0};
    check_step(conn, &s, "open");
    exec_ok(conn, "CREATE TABLE a (x); CREATE INDEX ai ON a (x)");
    check_step(conn, &s, "create");
    exec_ok(conn, "DROP TABLE a");
    check_step(conn, &s, "drop");
    borch_error_clear(&err);
    free(s.dump);
    borch_conn_close(conn); /* the cached statements are finalized before the close */
}
END_TEST

START_TEST(rehearsal_steps_compare_without_full_scans)
{
    borch_conn *conn = open_db("v.db");
    char fp0[65], fp1[65], now[65];
    fingerprint(conn, fp0);
    unsigned long n = borch_sqlite_fp_full_scans(conn);
    borch_error err = {0};
    for (int i = 1; i <= 40; i++) {
        char up[512], down[256];
        snprintf(up, sizeof(up),
                 "CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL%s);"
                 "CREATE INDEX t%d_i ON t%d (name)",
                 i, i > 1 ? ", p INT REFERENCES t1 (id)" : "", i, i);
        /* Every tenth down forgets the table, every fifteenth spells it anew. */
        if (i % 10 == 0)
            snprintf(down, sizeof(down), "DROP INDEX t%d_i", i);
        else
            snprintf(down, sizeof(down), "DROP INDEX t%d_i; DROP TABLE t%d", i, i);
        ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
        exec_ok(conn, up);
        fingerprint(conn, fp1);
        ck_assert_str_ne(fp1, fp0);
        exec_ok(conn, down);
        fingerprint(conn, now);
        ck_assert_int_eq(strcmp(now, fp0) == 0, i % 10 != 0);
        if (i % 10 == 0) {
            snprintf(down, sizeof(down), "DROP TABLE t%d", i);
            exec_ok(conn, down);
        } else if (i % 15 == 0)
            snprintf(up, sizeof(up),
                     "CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT);"
                     "CREATE INDEX t%d_i ON t%d (name)",
                     i, i, i);
        if (i % 10 != 0) {
            exec_ok(conn, up);
            fingerprint(conn, now);
            ck_assert_int_eq(strcmp(now, fp1) == 0, i % 15 != 0);
        }
        ck_assert_int_eq(borch_conn_commit(conn, &err), 0);
        fingerprint(conn, fp0);
    }
    ck_assert_uint_eq(borch_sqlite_fp_full_scans(conn), n);
    borch_error_clear(&err);
    borch_conn_close(conn);
}
END_TEST

Suite *suite_sqlite_fingerprint(void)
{
    Suite *s = suite_create("sqlite_fingerprint");
    TCase *tc = tcase_create("sqlite_fingerprint");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, equals_full_scan_after_random_changes, 0, 4);
    tcase_add_test(tc, creates_and_drops_cost_no_full_scan);
    tcase_add_test(tc, rehearsal_steps_compare_without_full_scans);
    tcase_add_test(tc, what_rewrites_or_undoes_rows_forces_a_full_scan);
    tcase_add_test(tc, rows_seen_then_rolled_back_are_forgotten);
    tcase_add_test(tc, writable_schema_edits_while_on_are_seen);
    tcase_add_test(tc, new_rows_fill_rowids_freed_at_the_top);
    tcase_add_test(tc, failed_drop_keeps_the_row);
    tcase_add_test(tc, another_connection_changing_the_file_is_seen);
    tcase_add_test(tc, no_op_statements_keep_the_fingerprint);
    tcase_add_test(tc, memory_database_and_closing_with_a_cache);
    suite_add_tcase(s, tc);
    return s;
}
