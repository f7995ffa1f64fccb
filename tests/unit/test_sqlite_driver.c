/*
 * test_sqlite_driver.c - the SQLite driver against real database files in a
 * temporary folder: connecting, scripts, queries, transactions and the
 * file lock between two connections, introspection, throwaway files, plans.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "driver.h"

/* Tests write their databases: let connect create the files. */
static const borch_conn_opts create_opts = {.create = 1};
#include "records.h"
#include "sqlite/sqlite_int.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

extern const borch_driver borch_sqlite_driver;

static char *tmp_dir;

static void setup(void)
{
    tmp_dir = make_temp_dir("sqlite");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
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

static void exec_ok(borch_conn *conn, const char *sql)
{
    borch_error err = {0};
    int rc = borch_conn_exec(conn, sql, NULL, 1, &err);
    ck_assert_msg(rc == 0, "exec failed: %s", err.message);
    borch_error_clear(&err);
}

/* Collects rows as "v1|v2|..." lines, NULL shown as <null>. */
static int collect(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    borch_buf *b = payload;
    for (int i = 0; i < ncols; i++) {
        if (i)
            borch_buf_putc(b, '|');
        borch_buf_puts(b, values[i] ? values[i] : "<null>");
    }
    borch_buf_putc(b, '\n');
    return 0;
}

/* The rows of a parameterless query, as collect() writes them; malloc'd. */
static char *rows_of(borch_conn *conn, const char *sql)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_error err = {0};
    int rc = borch_conn_query(conn, sql, 0, NULL, collect, &b, &err);
    ck_assert_msg(rc == 0, "query %s: %s", sql, err.message);
    borch_error_clear(&err);
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

static void assert_rows(borch_conn *conn, const char *sql, const char *want)
{
    char *got = rows_of(conn, sql);
    ck_assert_str_eq(got, want);
    free(got);
}

/* ---- connecting ---- */

START_TEST(connect_creates_file_and_turns_on_foreign_keys)
{
    borch_conn *conn = open_db("new.db");
    char *path = borch_path_join(tmp_dir, "new.db");
    ck_assert(borch_file_exists(path));
    free(path);
    assert_rows(conn, "PRAGMA foreign_keys", "1\n");
    ck_assert_ptr_null(conn->schema);
    ck_assert_str_eq(conn->history_table, "borch_schema_history");
    char *v = conn->driver->server_version(conn);
    ck_assert_str_eq(v, sqlite3_libversion());
    free(v);
    borch_conn_close(conn);
}
END_TEST

START_TEST(connect_in_missing_folder_fails_with_econnect)
{
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/no/such/dir/x.db", tmp_dir);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn *conn = (borch_conn *)1;
    ck_assert_int_eq(borch_conn_open(url, &create_opts, &conn, &err), BORCH_ECONNECT);
    ck_assert_ptr_null(conn);
    ck_assert_msg(strstr(err.message, "cannot open '") && strstr(err.message, "x.db"), "%s",
                  err.message);
    ck_assert_int_eq(borch_error_exit_code(err.code), 3);
    borch_url_free(url);
    borch_error_clear(&err);
}
END_TEST

START_TEST(connect_to_a_file_that_is_not_a_database_fails)
{
    write_text(tmp_dir, "junk.db", "this is plainly not a SQLite database, but long enough to "
                                   "look like a header of one to a careless reader........\n");
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/junk.db", tmp_dir);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &create_opts, &conn, &err), BORCH_ECONNECT);
    ck_assert_msg(strstr(err.message, "not a database"), "%s", err.message);
    borch_url_free(url);
    borch_error_clear(&err);
}
END_TEST

START_TEST(memory_database_works)
{
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse("sqlite::memory:", NULL, &url, &err), 0);
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &create_opts, &conn, &err), 0);
    exec_ok(conn, "CREATE TABLE t (x); INSERT INTO t VALUES (7);");
    assert_rows(conn, "SELECT x FROM t", "7\n");
    borch_conn_close(conn);
    borch_url_free(url);
}
END_TEST

START_TEST(quote_ident_and_placeholder)
{
    char *q = borch_sqlite_driver.quote_ident("we\"ird name");
    ck_assert_str_eq(q, "\"we\"\"ird name\"");
    free(q);
    char ph[8];
    borch_sqlite_driver.placeholder(3, ph, sizeof(ph));
    ck_assert_str_eq(ph, "?");
    ck_assert(borch_sqlite_driver.caps & BORCH_CAP_TRANSACTIONAL_DDL);
    ck_assert(!(borch_sqlite_driver.caps & BORCH_CAP_ADVISORY_LOCK));
}
END_TEST

/* ---- scripts ---- */

START_TEST(script_runs_triggers_strings_and_comments_as_written)
{
    borch_conn *conn = open_db("s.db");
    exec_ok(conn, "-- a leading comment; with a semicolon\n"
                  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
                  "CREATE TABLE log (msg TEXT);\n"
                  "/* block comment; also with ; */\n"
                  "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"
                  "  INSERT INTO log VALUES ('inserted; ' || new.v);\n"
                  "  INSERT INTO log VALUES ('second');\n"
                  "END;\n"
                  "INSERT INTO t (v) VALUES ('a;b'), ('it''s; fine');;\n"
                  "SELECT 1; -- a query in a script is stepped and ignored\n"
                  "-- trailing comment only\n");
    assert_rows(conn, "SELECT v FROM t ORDER BY id", "a;b\nit's; fine\n");
    assert_rows(conn, "SELECT msg FROM log ORDER BY rowid",
                "inserted; a;b\nsecond\ninserted; it's; fine\nsecond\n");
    borch_conn_close(conn);
}
END_TEST

START_TEST(script_of_only_comments_does_nothing)
{
    borch_conn *conn = open_db("s.db");
    exec_ok(conn, "");
    exec_ok(conn, "  \n-- nothing here\n/* nor here */\n;\n");
    assert_rows(conn, "SELECT count(*) FROM sqlite_master", "0\n");
    borch_conn_close(conn);
}
END_TEST

START_TEST(failing_statement_reports_its_line_and_text_and_rolls_back)
{
    borch_conn *conn = open_db("s.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    ck_assert_int_eq(conn->in_transaction, 1);
    const char *sql = "CREATE TABLE a (x INTEGER NOT NULL);\n"
                      "\n"
                      "-- the next one fails\n"
                      "INSERT INTO nosuch VALUES (1);\n"
                      "CREATE TABLE b (y);\n";
    int rc = borch_conn_exec(conn, sql, "migrations/1_a.sql", 10, &err);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_int_eq(err.code, BORCH_ESQL);
    ck_assert_str_eq(err.message, "no such table: nosuch");
    ck_assert_str_eq(err.file, "migrations/1_a.sql");
    ck_assert_int_eq(err.line, 13);
    ck_assert_ptr_nonnull(err.statement);
    ck_assert_str_eq(err.statement, "INSERT INTO nosuch VALUES (1);");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);
    ck_assert_int_eq(conn->in_transaction, 0);
    assert_rows(conn, "SELECT count(*) FROM sqlite_master", "0\n");
    borch_conn_close(conn);
}
END_TEST

START_TEST(statement_failing_while_running_reports_its_line)
{
    borch_conn *conn = open_db("s.db");
    borch_error err = {0};
    const char *sql = "CREATE TABLE a (x INTEGER NOT NULL);\n"
                      "INSERT INTO a VALUES (1);\n"
                      "INSERT INTO a\n  VALUES (NULL);\n";
    int rc = borch_conn_exec(conn, sql, NULL, 1, &err);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_msg(strstr(err.message, "NOT NULL constraint failed: a.x"), "%s", err.message);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.statement, "INSERT INTO a\n  VALUES (NULL);");
    ck_assert_str_eq(err.sqlstate, "1299"); /* SQLITE_CONSTRAINT_NOTNULL */
    borch_error_clear(&err);
    /* Without a transaction the statements before it stay applied. */
    assert_rows(conn, "SELECT x FROM a", "1\n");
    borch_conn_close(conn);
}
END_TEST

START_TEST(syntax_error_in_a_later_statement_names_that_statement)
{
    borch_conn *conn = open_db("s.db");
    borch_error err = {0};
    const char *sql = "CREATE TABLE a (x);\nCREATE TABLE b (y;\nCREATE TABLE c (z);\n";
    ck_assert_int_eq(borch_conn_exec(conn, sql, "f.sql", 1, &err), BORCH_ESQL);
    ck_assert_int_eq(err.line, 2);
    ck_assert_str_eq(err.statement, "CREATE TABLE b (y;");
    ck_assert_msg(strstr(err.message, "syntax error"), "%s", err.message);
    borch_error_clear(&err);
    assert_rows(conn, "SELECT name FROM sqlite_master", "a\n");
    borch_conn_close(conn);
}
END_TEST

/* ---- queries ---- */

START_TEST(query_binds_text_params_and_nulls)
{
    borch_conn *conn = open_db("q.db");
    exec_ok(conn, "CREATE TABLE t (k TEXT, v TEXT, n INTEGER)");
    borch_error err = {0};
    const char *p1[] = {"a", NULL, "12"};
    ck_assert_int_eq(borch_conn_query(conn, "INSERT INTO t VALUES (?, ?, ?)", 3, p1, NULL, NULL,
                                      &err),
                     0);
    const char *p2[] = {"b", "x'y", "-3"};
    ck_assert_int_eq(borch_conn_query(conn, "INSERT INTO t VALUES (?, ?, ?)", 3, p2, NULL, NULL,
                                      &err),
                     0);
    borch_buf b;
    borch_buf_init(&b);
    const char *p3[] = {"0"};
    ck_assert_int_eq(borch_conn_query(conn, "SELECT k, v, n + 1 FROM t WHERE n > ? ORDER BY k",
                                      1, p3, collect, &b, &err),
                     0);
    ck_assert_str_eq(b.data, "a|<null>|13\n");
    borch_buf_clear(&b);
    ck_assert_int_eq(borch_conn_query(conn, "SELECT k, v FROM t ORDER BY k", 0, NULL, collect,
                                      &b, &err),
                     0);
    ck_assert_str_eq(b.data, "a|<null>\nb|x'y\n");
    borch_buf_release(&b);
    assert_rows(conn, "SELECT typeof(n) FROM t ORDER BY k", "integer\ninteger\n");
    borch_conn_close(conn);
}
END_TEST

static int names_and_stop(void *payload, int ncols, const char *const *names,
                          const char *const *values)
{
    borch_buf *b = payload;
    for (int i = 0; i < ncols; i++)
        borch_buf_printf(b, "%s=%s;", names[i], values[i]);
    return 1;
}

START_TEST(query_passes_column_names_and_stops_when_asked)
{
    borch_conn *conn = open_db("q.db");
    borch_buf b;
    borch_buf_init(&b);
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_query(conn, "SELECT 1 AS one, 'x' AS two UNION ALL SELECT 2, 'y'",
                                      0, NULL, names_and_stop, &b, &err),
                     0);
    ck_assert_str_eq(b.data, "one=1;two=x;");
    borch_buf_release(&b);
    borch_conn_close(conn);
}
END_TEST

START_TEST(query_refuses_bad_sql_wrong_params_and_two_statements)
{
    borch_conn *conn = open_db("q.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_query(conn, "SELEC 1", 0, NULL, NULL, NULL, &err), BORCH_ESQL);
    ck_assert_msg(strstr(err.message, "syntax error"), "%s", err.message);
    ck_assert_str_eq(err.statement, "SELEC 1");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_conn_query(conn, "SELECT ?", 0, NULL, NULL, NULL, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "query takes 1 parameters, 0 given");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_conn_query(conn, "SELECT 1; SELECT 2", 0, NULL, NULL, NULL, &err),
                     BORCH_EINPUT);
    ck_assert_str_eq(err.message, "query holds more than one statement");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_conn_query(conn, "SELECT 1; -- fine\n", 0, NULL, NULL, NULL, &err), 0);
    ck_assert_int_eq(borch_conn_query(conn, " -- nothing", 0, NULL, NULL, NULL, &err),
                     BORCH_EINPUT);
    borch_error_clear(&err);
    borch_conn_close(conn);
}
END_TEST

/* ---- transactions and the lock ---- */

static long long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

START_TEST(fk_names_take_the_parents_spelling)
{
    borch_conn *c = open_db("case.db");
    exec_ok(c, "CREATE TABLE Users (ID INTEGER PRIMARY KEY);"
               "CREATE TABLE Posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));");
    borch_schema *s = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_introspect(c, &s, &err), 0);
    const borch_table *p = borch_schema_table(s, "Posts");
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->nforeign_keys, 1);
    ck_assert_str_eq(p->foreign_keys[0].ref_table, "Users");
    ck_assert_str_eq(p->foreign_keys[0].ref_columns[0], "ID");
    borch_schema_free(s);
    borch_conn_close(c);
}
END_TEST

START_TEST(migration_lock_is_exclusive_until_released_or_closed)
{
    borch_conn *a = open_db("ml.db");
    borch_conn *b = open_db("ml.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_lock(a, "borch", 1000, &err), 0);
    long long t0 = now_ms();
    ck_assert_int_eq(borch_conn_lock(b, "borch", 300, &err), BORCH_ELOCK);
    long long waited = now_ms() - t0;
    ck_assert_msg(waited >= 250, "gave up after %lld ms", waited);
    ck_assert_int_eq(borch_error_exit_code(err.code), 3);
    borch_error_clear(&err);
    borch_conn_close(a); /* closing releases it, as a dying process would */
    ck_assert_int_eq(borch_conn_lock(b, "borch", 300, &err), 0);
    ck_assert_int_eq(borch_conn_unlock(b, "borch", &err), 0);
    borch_conn_close(b);
}
END_TEST

START_TEST(begin_immediate_blocks_a_second_connection_until_timeout)
{
    borch_conn *a = open_db("l.db");
    borch_conn *b = open_db("l.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_lock(a, "borch", 1000, &err), 0);
    ck_assert_int_eq(borch_conn_unlock(a, "borch", &err), 0); /* keeps the busy timeout */
    ck_assert_int_eq(borch_conn_lock(b, "borch", 200, &err), 0);
    ck_assert_int_eq(borch_conn_unlock(b, "borch", &err), 0);
    ck_assert_int_eq(borch_conn_begin(a, &err), 0);
    exec_ok(a, "CREATE TABLE t (x)");

    long long t0 = now_ms();
    ck_assert_int_eq(borch_conn_begin(b, &err), BORCH_ELOCK);
    long long waited = now_ms() - t0;
    ck_assert_msg(waited >= 150, "gave up after %lld ms", waited);
    ck_assert_int_eq(b->in_transaction, 0);
    ck_assert_int_eq(borch_error_exit_code(err.code), 3);
    ck_assert_msg(strstr(err.message, "is locked by another process"), "%s", err.message);
    borch_error_clear(&err);

    ck_assert_int_eq(borch_conn_commit(a, &err), 0);
    ck_assert_int_eq(borch_conn_begin(b, &err), 0);
    assert_rows(b, "SELECT count(*) FROM t", "0\n");
    ck_assert_int_eq(borch_conn_commit(b, &err), 0);
    ck_assert_int_eq(borch_conn_unlock(a, "borch", &err), 0);
    borch_conn_close(a);
    borch_conn_close(b);
}
END_TEST

START_TEST(rollback_without_an_open_transaction_is_harmless)
{
    borch_conn *conn = open_db("t.db");
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_rollback(conn, &err), 0); /* none open */
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    exec_ok(conn, "CREATE TABLE t (x)");
    ck_assert_int_eq(borch_conn_commit(conn, &err), 0);
    assert_rows(conn, "SELECT count(*) FROM t", "0\n");
    ck_assert_int_eq(borch_conn_commit(conn, &err), BORCH_ESQL); /* nothing to commit */
    borch_error_clear(&err);
    borch_conn_close(conn);
}
END_TEST

/* ---- introspection ---- */

static const char *realistic_schema =
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  email VARCHAR( 200 ) NOT NULL,\n"
    "  name Text DEFAULT 'anon',\n"
    "  score DECIMAL(10, 2) DEFAULT 0,\n"
    "  CONSTRAINT users_email_uq UNIQUE (email)\n"
    ");\n"
    "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE memberships (\n"
    "  org_id INTEGER NOT NULL REFERENCES orgs ON DELETE CASCADE,\n"
    "  user_id INTEGER NOT NULL,\n"
    "  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),\n"
    "  note TEXT,\n"
    "  CONSTRAINT memberships_pk PRIMARY KEY (org_id, user_id),\n"
    "  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON UPDATE SET NULL,\n"
    "  CONSTRAINT \"note ok\" CHECK ((length(note) < 100) AND (note <> ')'))\n"
    ");\n"
    "CREATE INDEX users_lower_email ON users (lower(email) DESC, name);\n"
    "CREATE UNIQUE INDEX memberships_admin ON memberships (org_id) WHERE role = 'admin';\n"
    "CREATE VIEW admins AS SELECT u.email FROM users u\n"
    "  JOIN memberships m ON m.user_id = u.id WHERE m.role = 'admin';\n";

static borch_schema *introspect(borch_conn *conn)
{
    borch_schema *s = NULL;
    borch_error err = {0};
    int rc = borch_conn_introspect(conn, &s, &err);
    ck_assert_msg(rc == 0, "introspect: %s", err.message);
    return s;
}

static void assert_column(const borch_table *t, size_t i, const char *name, const char *type,
                          int nullable, const char *def, int identity)
{
    ck_assert_uint_gt(t->ncolumns, i);
    const borch_column *c = &t->columns[i];
    ck_assert_str_eq(c->name, name);
    ck_assert_str_eq(c->type, type);
    ck_assert_int_eq(c->nullable, nullable);
    if (def)
        ck_assert_str_eq(c->default_expr, def);
    else
        ck_assert_ptr_null(c->default_expr);
    ck_assert_int_eq(c->identity, identity);
}

START_TEST(introspect_reads_a_realistic_schema_exactly)
{
    borch_conn *conn = open_db("i.db");
    exec_ok(conn, realistic_schema);
    borch_schema *s = introspect(conn);
    ck_assert_str_eq(s->engine, "sqlite");
    ck_assert_uint_eq(s->ntables, 3);
    ck_assert_str_eq(s->tables[0].name, "memberships");
    ck_assert_str_eq(s->tables[1].name, "orgs");
    ck_assert_str_eq(s->tables[2].name, "users");

    const borch_table *m = &s->tables[0];
    ck_assert_uint_eq(m->ncolumns, 4);
    assert_column(m, 0, "org_id", "integer", 0, NULL, 0);
    assert_column(m, 1, "user_id", "integer", 0, NULL, 0);
    assert_column(m, 2, "role", "text", 0, "'member'", 0);
    assert_column(m, 3, "note", "text", 1, NULL, 0);
    ck_assert_uint_eq(m->nprimary_key, 2);
    ck_assert_str_eq(m->primary_key[0], "org_id");
    ck_assert_str_eq(m->primary_key[1], "user_id");
    ck_assert_str_eq(m->primary_key_name, "memberships_pk");
    ck_assert_uint_eq(m->nindexes, 1);
    ck_assert_str_eq(m->indexes[0].name, "memberships_admin");
    ck_assert_int_eq(m->indexes[0].unique, 1);
    ck_assert_int_eq(m->indexes[0].constraint, 0);
    ck_assert_int_eq(m->indexes[0].expression, 0);
    ck_assert_uint_eq(m->indexes[0].ncolumns, 1);
    ck_assert_str_eq(m->indexes[0].columns[0], "org_id");
    ck_assert_str_eq(m->indexes[0].where, "role = 'admin'");
    ck_assert_uint_eq(m->nforeign_keys, 2);
    const borch_foreign_key *f0 = &m->foreign_keys[0], *f1 = &m->foreign_keys[1];
    ck_assert_ptr_null(f0->name);
    ck_assert_str_eq(f0->columns[0], "org_id");
    ck_assert_str_eq(f0->ref_table, "orgs");
    ck_assert_uint_eq(f0->nref_columns, 1);
    ck_assert_str_eq(f0->ref_columns[0], "id"); /* implied: the parent's key */
    ck_assert_str_eq(f0->on_delete, "cascade");
    ck_assert_str_eq(f0->on_update, "no action");
    ck_assert_str_eq(f1->name, "fk_user");
    ck_assert_str_eq(f1->columns[0], "user_id");
    ck_assert_str_eq(f1->ref_table, "users");
    ck_assert_str_eq(f1->ref_columns[0], "id");
    ck_assert_str_eq(f1->on_delete, "no action");
    ck_assert_str_eq(f1->on_update, "set null");
    ck_assert_uint_eq(m->nchecks, 2);
    ck_assert_ptr_null(m->checks[0].name);
    ck_assert_str_eq(m->checks[0].expression, "role IN ('member', 'admin')");
    ck_assert_str_eq(m->checks[1].name, "note ok");
    ck_assert_str_eq(m->checks[1].expression, "(length(note) < 100) AND (note <> ')')");

    const borch_table *o = &s->tables[1];
    assert_column(o, 0, "id", "integer", 0, NULL, 1);
    assert_column(o, 1, "name", "text", 0, NULL, 0);
    ck_assert_uint_eq(o->nindexes, 1);
    ck_assert_str_eq(o->indexes[0].name, "orgs_name_key");
    ck_assert_int_eq(o->indexes[0].constraint, 1);
    ck_assert_int_eq(o->indexes[0].unique, 1);
    ck_assert_ptr_null(o->primary_key_name);

    const borch_table *u = &s->tables[2];
    ck_assert_uint_eq(u->ncolumns, 4);
    assert_column(u, 0, "id", "integer", 0, NULL, 1);
    assert_column(u, 1, "email", "varchar(200)", 0, NULL, 0);
    assert_column(u, 2, "name", "text", 1, "'anon'", 0);
    assert_column(u, 3, "score", "decimal(10,2)", 1, "0", 0);
    ck_assert_uint_eq(u->nprimary_key, 1);
    ck_assert_str_eq(u->primary_key[0], "id");
    ck_assert_uint_eq(u->nindexes, 2);
    ck_assert_str_eq(u->indexes[0].name, "users_email_key");
    ck_assert_int_eq(u->indexes[0].constraint, 1);
    ck_assert_int_eq(u->indexes[0].unique, 1);
    ck_assert_str_eq(u->indexes[0].columns[0], "email");
    ck_assert_ptr_null(u->indexes[0].where);
    ck_assert_str_eq(u->indexes[1].name, "users_lower_email");
    ck_assert_int_eq(u->indexes[1].unique, 0);
    ck_assert_int_eq(u->indexes[1].expression, 1);
    ck_assert_uint_eq(u->indexes[1].ncolumns, 2);
    ck_assert_str_eq(u->indexes[1].columns[0], "lower(email)");
    ck_assert_str_eq(u->indexes[1].columns[1], "name");
    ck_assert_uint_eq(u->nforeign_keys, 0);
    ck_assert_uint_eq(u->nchecks, 0);

    ck_assert_uint_eq(s->nviews, 1);
    ck_assert_str_eq(s->views[0].name, "admins");
    ck_assert_str_eq(s->views[0].definition, "SELECT u.email FROM users u\n"
                                             "  JOIN memberships m ON m.user_id = u.id WHERE "
                                             "m.role = 'admin'");
    borch_schema_free(s);
    borch_conn_close(conn);
}
END_TEST

START_TEST(introspect_gives_equal_models_for_equal_schemas)
{
    borch_conn *a = open_db("a.db");
    borch_conn *b = open_db("b.db");
    exec_ok(a, realistic_schema);
    /* The same schema declared in another order: autoindex numbers differ. */
    exec_ok(b, "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE,"
               " name TEXT DEFAULT 'anon', score decimal(10,2) DEFAULT 0);\n"
               "CREATE INDEX users_lower_email ON users (lower(email) DESC, name);\n"
               "CREATE TABLE memberships (org_id INTEGER NOT NULL REFERENCES orgs ON DELETE "
               "CASCADE, user_id INTEGER NOT NULL REFERENCES users (id) ON UPDATE SET NULL,"
               " role TEXT NOT NULL DEFAULT 'member', note TEXT,"
               " CONSTRAINT memberships_pk PRIMARY KEY (org_id, user_id),"
               " CONSTRAINT \"note ok\" CHECK ((length(note) < 100) AND (note <> ')')),"
               " CHECK (role IN ('member', 'admin')));\n"
               "CREATE UNIQUE INDEX memberships_admin ON memberships (org_id) WHERE role = "
               "'admin';\n"
               "CREATE VIEW admins AS SELECT u.email FROM users u\n"
               "  JOIN memberships m ON m.user_id = u.id WHERE m.role = 'admin';\n");
    borch_schema *sa = introspect(a), *sb = introspect(b);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(sa, sb, &diff);
    ck_assert_msg(n == 0, "differences:\n%s", diff.data);
    borch_buf_release(&diff);
    borch_schema_free(sa);
    borch_schema_free(sb);
    borch_conn_close(a);
    borch_conn_close(b);
}
END_TEST

START_TEST(introspect_leaves_out_bookkeeping_and_internal_tables)
{
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/b.db", tmp_dir);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn_opts opts = {.history_table = "my_history", .create = 1};
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &opts, &conn, &err), 0);
    borch_url_free(url);
    ck_assert_int_eq(borch_history_ensure(conn, &err), 0);
    ck_assert_int_eq(borch_audit_table_ensure(conn, &err), 0);
    exec_ok(conn, "CREATE TABLE borch_other (x);\n"
                  "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, n TEXT);\n"
                  "CREATE INDEX my_history_idx ON my_history (state);\n"
                  "INSERT INTO items (n) VALUES ('x'); ANALYZE;\n");
    assert_rows(conn,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite%'"
                " ORDER BY name",
                "sqlite_sequence\nsqlite_stat1\n");
    borch_schema *s = introspect(conn);
    ck_assert_uint_eq(s->ntables, 1);
    ck_assert_str_eq(s->tables[0].name, "items");
    ck_assert_int_eq(s->tables[0].columns[0].identity, 1);
    ck_assert_uint_eq(s->tables[0].nindexes, 0);
    ck_assert_uint_eq(s->nviews, 0);
    borch_schema_free(s);
    borch_conn_close(conn);
}
END_TEST

START_TEST(introspect_marks_only_true_rowid_aliases_as_identity)
{
    borch_conn *conn = open_db("r.db");
    exec_ok(conn, "CREATE TABLE a (id INT PRIMARY KEY);\n"
                  "CREATE TABLE b (id INTEGER PRIMARY KEY) WITHOUT ROWID;\n"
                  "CREATE TABLE c (id integer, PRIMARY KEY (id));\n"
                  "CREATE TABLE d (id INTEGER, k INTEGER, PRIMARY KEY (id, k));\n");
    borch_schema *s = introspect(conn);
    ck_assert_uint_eq(s->ntables, 4);
    ck_assert_int_eq(s->tables[0].columns[0].identity, 0); /* INT is not INTEGER */
    ck_assert_int_eq(s->tables[0].columns[0].nullable, 1); /* SQLite's old quirk, kept */
    ck_assert_int_eq(s->tables[1].columns[0].identity, 0); /* no rowid at all */
    ck_assert_int_eq(s->tables[1].columns[0].nullable, 0);
    ck_assert_int_eq(s->tables[2].columns[0].identity, 1);
    ck_assert_int_eq(s->tables[3].columns[0].identity, 0);
    ck_assert_uint_eq(s->tables[3].nprimary_key, 2);
    borch_schema_free(s);
    borch_conn_close(conn);
}
END_TEST

/* ---- scratch files and plans ---- */

START_TEST(scratch_file_is_made_and_removed)
{
    setenv("TMPDIR", tmp_dir, 1);
    borch_url *server = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse("sqlite::memory:", NULL, &server, &err), 0);
    char *url = NULL;
    ck_assert_int_eq(borch_scratch_create(server, &url, &err), 0);
    unsetenv("TMPDIR");
    ck_assert_msg(strncmp(url, "sqlite:///", 10) == 0, "%s", url);
    ck_assert_msg(strstr(url, "/borch-scratch-") && strstr(url, ".db"), "%s", url);
    const char *path = url + strlen("sqlite://");
    ck_assert(borch_file_exists(path));

    borch_url *su = NULL;
    ck_assert_int_eq(borch_url_parse(url, NULL, &su, &err), 0);
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(su, &create_opts, &conn, &err), 0);
    exec_ok(conn, "PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    borch_conn_close(conn);
    borch_url_free(su);

    ck_assert_int_eq(borch_scratch_drop(server, url, &err), 0);
    ck_assert(!borch_file_exists(path));
    char side[1024];
    snprintf(side, sizeof(side), "%s-wal", path);
    ck_assert(!borch_file_exists(side));
    free(url);

    /* Never removes a file it did not make. */
    write_text(tmp_dir, "app.db", "x");
    char other[1024];
    snprintf(other, sizeof(other), "sqlite://%s/app.db", tmp_dir);
    ck_assert_int_eq(borch_scratch_drop(server, other, &err), BORCH_EINPUT);
    ck_assert_msg(strstr(err.message, "not a throwaway database"), "%s", err.message);
    snprintf(other, sizeof(other), "%s/app.db", tmp_dir);
    ck_assert(borch_file_exists(other));
    borch_url_free(server);
}
END_TEST

START_TEST(explain_scores_a_scan_above_an_index_search)
{
    borch_conn *conn = open_db("e.db");
    exec_ok(conn, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT);\n"
                  "CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INT);\n");
    borch_error err = {0};
    borch_plan scan, by_pk, join_scan, join_idx;
    ck_assert_int_eq(borch_conn_explain(conn, "SELECT * FROM t WHERE a = 1", &scan, &err), 0);
    ck_assert_msg(strstr(scan.text, "SCAN t"), "%s", scan.text);
    ck_assert(scan.total_cost == 1000);
    ck_assert_int_eq(borch_conn_explain(conn, "SELECT * FROM t WHERE id = ?", &by_pk, &err), 0);
    ck_assert_msg(strstr(by_pk.text, "SEARCH t USING INTEGER PRIMARY KEY"), "%s", by_pk.text);
    ck_assert(by_pk.total_cost == 1);
    const char *join = "SELECT * FROM t JOIN u ON u.t_id = t.id WHERE t.a = 5 ORDER BY u.id";
    ck_assert_int_eq(borch_conn_explain(conn, join, &join_scan, &err), 0);
    exec_ok(conn, "CREATE INDEX t_a ON t (a); CREATE INDEX u_t ON u (t_id);");
    ck_assert_int_eq(borch_conn_explain(conn, join, &join_idx, &err), 0);
    ck_assert_msg(join_idx.total_cost < join_scan.total_cost, "%g !< %g\n%s\n%s",
                  join_idx.total_cost, join_scan.total_cost, join_idx.text, join_scan.text);
    ck_assert_msg(strstr(join_idx.text, "USING INDEX t_a"), "%s", join_idx.text);
    borch_plan_release(&scan);
    borch_plan_release(&by_pk);
    borch_plan_release(&join_scan);
    borch_plan_release(&join_idx);

    borch_plan bad;
    ck_assert_int_eq(borch_conn_explain(conn, "SELECT * FROM nosuch", &bad, &err), BORCH_ESQL);
    ck_assert_msg(strstr(err.message, "no such table"), "%s", err.message);
    borch_error_clear(&err);
    borch_conn_close(conn);
}
END_TEST

START_TEST(explain_indents_nested_plan_rows)
{
    borch_conn *conn = open_db("e.db");
    exec_ok(conn, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT)");
    borch_error err = {0};
    borch_plan p;
    ck_assert_int_eq(borch_conn_explain(conn,
                                        "SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE id > 3)",
                                        &p, &err),
                     0);
    ck_assert_msg(strstr(p.text, "\n  ") != NULL, "%s", p.text);
    ck_assert(p.total_cost > 0);
    borch_plan_release(&p);
    borch_conn_close(conn);
}
END_TEST

/* ---- the CREATE statement scanner ---- */

START_TEST(scanner_finds_checks_past_quotes_comments_and_nesting)
{
    borch_sqlite_table_info ti;
    const char *sql = "CREATE TABLE [we(ird] (\n"
                      "  \"a)b\" TEXT DEFAULT ')' /* CHECK (no) */ CHECK (\"a)b\" <> 'CHECK(')\n"
                      "    -- CHECK (neither)\n"
                      "  , `c` INT CONSTRAINT [c pos] CHECK(((c)) > 0) CONSTRAINT pk PRIMARY KEY,\n"
                      "  d AS (c * 2) CHECK (d < 10),\n"
                      "  CONSTRAINT \"q\"\"uote\" CHECK ( c IN (1, 2) )\n"
                      ")";
    ck_assert_int_eq(borch_sqlite_scan_table(sql, &ti), 0);
    ck_assert_uint_eq(ti.nchecks, 4);
    ck_assert_ptr_null(ti.checks[0].name);
    ck_assert_str_eq(ti.checks[0].expression, "\"a)b\" <> 'CHECK('");
    ck_assert_str_eq(ti.checks[1].name, "c pos");
    ck_assert_str_eq(ti.checks[1].expression, "((c)) > 0");
    ck_assert_ptr_null(ti.checks[2].name);
    ck_assert_str_eq(ti.checks[2].expression, "d < 10");
    ck_assert_str_eq(ti.checks[3].name, "q\"uote");
    ck_assert_str_eq(ti.checks[3].expression, "c IN (1, 2)");
    ck_assert_str_eq(ti.pk_name, "pk");
    ck_assert_uint_eq(ti.nfks, 0);
    borch_sqlite_table_info_release(&ti);
}
END_TEST

START_TEST(scanner_finds_named_foreign_keys)
{
    borch_sqlite_table_info ti;
    const char *sql = "CREATE TABLE t (\n"
                      "  \"owner id\" INT CONSTRAINT t_owner REFERENCES users (id),\n"
                      "  x INT REFERENCES other,\n"
                      "  a INT, b INT,\n"
                      "  FOREIGN KEY (x) REFERENCES other2,\n"
                      "  CONSTRAINT \"t ab\" FOREIGN KEY (a, [b]) REFERENCES pair (p, q)\n"
                      ")";
    ck_assert_int_eq(borch_sqlite_scan_table(sql, &ti), 0);
    ck_assert_uint_eq(ti.nfks, 2);
    ck_assert_str_eq(ti.fks[0].name, "t_owner");
    ck_assert_uint_eq(ti.fks[0].columns.count, 1);
    ck_assert_str_eq(ti.fks[0].columns.items[0], "owner id");
    ck_assert_str_eq(ti.fks[1].name, "t ab");
    ck_assert_uint_eq(ti.fks[1].columns.count, 2);
    ck_assert_str_eq(ti.fks[1].columns.items[0], "a");
    ck_assert_str_eq(ti.fks[1].columns.items[1], "b");
    ck_assert_ptr_null(ti.pk_name);
    borch_sqlite_table_info_release(&ti);
}
END_TEST

START_TEST(scanner_refuses_text_without_a_body)
{
    borch_sqlite_table_info ti;
    ck_assert_int_eq(borch_sqlite_scan_table("CREATE TABLE t", &ti), BORCH_EINPUT);
    ck_assert_int_eq(borch_sqlite_scan_table("CREATE TABLE t (a CHECK (a > 0), b CHECK b > 0)",
                                             &ti),
                     BORCH_EINPUT);
    ck_assert_ptr_null(ti.checks); /* what was found before the error is freed */
    ck_assert_uint_eq(ti.nchecks, 0);
    /* Unterminated text ends the scan instead of running past the end. */
    ck_assert_int_eq(borch_sqlite_scan_table("CREATE TABLE t (a CHECK (a > 'x", &ti), 0);
    ck_assert_uint_eq(ti.nchecks, 1);
    borch_sqlite_table_info_release(&ti);

    borch_strv parts = {0};
    char *where = NULL;
    ck_assert_int_eq(borch_sqlite_scan_index("CREATE INDEX i ON t", &parts, &where),
                     BORCH_EINPUT);
    ck_assert_int_eq(borch_sqlite_scan_index("CREATE INDEX i ON t (a, lower(b)", &parts, &where),
                     BORCH_EINPUT);
    borch_strv_release(&parts);
    ck_assert_ptr_null(borch_sqlite_view_select("CREATE VIEW v"));
}
END_TEST

START_TEST(scanner_splits_index_parts_and_predicate)
{
    borch_strv parts = {0};
    char *where = NULL;
    ck_assert_int_eq(borch_sqlite_scan_index("CREATE UNIQUE INDEX \"i(x\" ON \"t(\" (a ASC,"
                                             " substr(b, 1, 3) DESC, \"c d\" COLLATE nocase)"
                                             " WHERE a IS NOT NULL AND b <> 'WHERE'",
                                             &parts, &where),
                     0);
    ck_assert_uint_eq(parts.count, 3);
    ck_assert_str_eq(parts.items[0], "a");
    ck_assert_str_eq(parts.items[1], "substr(b, 1, 3)");
    ck_assert_str_eq(parts.items[2], "\"c d\" COLLATE nocase");
    ck_assert_str_eq(where, "a IS NOT NULL AND b <> 'WHERE'");
    borch_strv_release(&parts);
    free(where);

    char *v = borch_sqlite_view_select("CREATE VIEW \"as\" (x, y) AS\n  SELECT 1 AS x, 2 AS y;");
    ck_assert_str_eq(v, "SELECT 1 AS x, 2 AS y");
    free(v);
}
END_TEST

START_TEST(declared_types_are_normalized)
{
    const char *cases[][2] = {
        {"VARCHAR( 200 )", "varchar(200)"}, {"  Decimal (10 ,  2) ", "decimal(10,2)"},
        {"UNSIGNED\tBIG  INT", "unsigned big int"}, {"", ""}, {"INTEGER", "integer"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *t = borch_sqlite_normalize_type(cases[i][0]);
        ck_assert_str_eq(t, cases[i][1]);
        free(t);
    }
    char *t = borch_sqlite_normalize_type(NULL);
    ck_assert_str_eq(t, "");
    free(t);
}
END_TEST

Suite *suite_sqlite_driver(void)
{
    Suite *s = suite_create("sqlite_driver");
    TCase *tc = tcase_create("sqlite_driver");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, connect_creates_file_and_turns_on_foreign_keys);
    tcase_add_test(tc, connect_in_missing_folder_fails_with_econnect);
    tcase_add_test(tc, connect_to_a_file_that_is_not_a_database_fails);
    tcase_add_test(tc, memory_database_works);
    tcase_add_test(tc, quote_ident_and_placeholder);
    tcase_add_test(tc, script_runs_triggers_strings_and_comments_as_written);
    tcase_add_test(tc, script_of_only_comments_does_nothing);
    tcase_add_test(tc, failing_statement_reports_its_line_and_text_and_rolls_back);
    tcase_add_test(tc, statement_failing_while_running_reports_its_line);
    tcase_add_test(tc, syntax_error_in_a_later_statement_names_that_statement);
    tcase_add_test(tc, query_binds_text_params_and_nulls);
    tcase_add_test(tc, query_passes_column_names_and_stops_when_asked);
    tcase_add_test(tc, query_refuses_bad_sql_wrong_params_and_two_statements);
    tcase_add_test(tc, begin_immediate_blocks_a_second_connection_until_timeout);
    tcase_add_test(tc, migration_lock_is_exclusive_until_released_or_closed);
    tcase_add_test(tc, fk_names_take_the_parents_spelling);
    tcase_add_test(tc, rollback_without_an_open_transaction_is_harmless);
    tcase_add_test(tc, introspect_reads_a_realistic_schema_exactly);
    tcase_add_test(tc, introspect_gives_equal_models_for_equal_schemas);
    tcase_add_test(tc, introspect_leaves_out_bookkeeping_and_internal_tables);
    tcase_add_test(tc, introspect_marks_only_true_rowid_aliases_as_identity);
    tcase_add_test(tc, scratch_file_is_made_and_removed);
    tcase_add_test(tc, explain_scores_a_scan_above_an_index_search);
    tcase_add_test(tc, explain_indents_nested_plan_rows);
    suite_add_tcase(s, tc);
    TCase *scan = tcase_create("ddlscan");
    tcase_add_test(scan, scanner_finds_checks_past_quotes_comments_and_nesting);
    tcase_add_test(scan, scanner_finds_named_foreign_keys);
    tcase_add_test(scan, scanner_refuses_text_without_a_body);
    tcase_add_test(scan, scanner_splits_index_parts_and_predicate);
    tcase_add_test(scan, declared_types_are_normalized);
    suite_add_tcase(s, scan);
    return s;
}
