/*
 * test_sqlite_render.c - the SQLite dialect of change lists (drivers/sqlite/
 * render.c) against real database files.
 *
 * Two parts: change lists built by hand, whose DDL text is checked and then
 * run; and the corpus (tests/corpus/sqlite/<case>/{current,desired,seed}.sql):
 * current.sql and seed.sql go into database A, desired.sql into database B,
 * the DDL of diff(A -> B) runs on A, and then A must equal B, the seeded rows
 * must still be there, and the reverse diff must bring A back to current.
 * BORCH_SHOW_DDL=1 prints each corpus case's DDL to stderr.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/url.h"
#include "driver.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

extern const borch_driver borch_sqlite_driver;

static const borch_conn_opts create_opts = {.create = 1};
static char *tmp_dir;

static void setup(void)
{
    tmp_dir = make_temp_dir("sqlite_render");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
}

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
    ck_assert_msg(rc == 0, "exec failed: %s\n-- in --\n%s", err.message, sql);
    borch_error_clear(&err);
}

static borch_schema *introspect(borch_conn *conn)
{
    borch_schema *s = NULL;
    borch_error err = {0};
    int rc = borch_conn_introspect(conn, &s, &err);
    ck_assert_msg(rc == 0, "introspect: %s", err.message);
    borch_error_clear(&err);
    return s;
}

/* A new database file holding sql, and its model. */
static borch_schema *model_of(const char *name, const char *sql, borch_conn **out)
{
    borch_conn *conn = open_db(name);
    exec_ok(conn, sql);
    borch_schema *s = introspect(conn);
    if (out)
        *out = conn;
    else
        borch_conn_close(conn);
    return s;
}

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

/* ---- hand-built change lists ---- */

static borch_change *push(borch_changes *c, borch_change_kind kind, const borch_table *t)
{
    borch_grow((void **)&c->items, &c->cap, c->count + 1, sizeof(*c->items));
    borch_change *ch = &c->items[c->count++];
    memset(ch, 0, sizeof(*ch));
    ch->kind = kind;
    ch->table = t;
    return ch;
}

/* Hand-built lists own no warning strings: only the array goes. */
static void changes_free(borch_changes *c)
{
    free(c->items);
    memset(c, 0, sizeof(*c));
}

static char *render(const borch_schema *from, const borch_schema *to, const borch_changes *c)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_error err = {0};
    int rc = borch_sqlite_driver.render(from, to, c, &b, &err);
    ck_assert_msg(rc == 0, "render: %s", err.message);
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

/* Runs ddl on conn in a transaction and requires the result to equal want. */
static void apply_and_compare(borch_conn *conn, const char *ddl, const borch_schema *want)
{
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
    exec_ok(conn, ddl);
    ck_assert_int_eq(borch_conn_commit(conn, &err), 0);
    borch_schema *got = introspect(conn);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(got, want, &diff);
    ck_assert_msg(n == 0, "schema differs after:\n%s\n-- differences --\n%s", ddl, diff.data);
    borch_buf_release(&diff);
    borch_schema_free(got);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

START_TEST(nullable_column_is_added_directly)
{
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db",
                                  "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);"
                                  "INSERT INTO t (name) VALUES ('x');",
                                  &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT,"
                                " qty INTEGER NOT NULL DEFAULT -1)",
                                NULL);
    borch_changes c = {0};
    const borch_table *tt = borch_schema_table(to, "t");
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "note");
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "qty");
    char *ddl = render(from, to, &c);
    ck_assert_str_eq(ddl, "ALTER TABLE t ADD COLUMN note text;\n"
                          "ALTER TABLE t ADD COLUMN qty integer NOT NULL DEFAULT -1;\n");
    apply_and_compare(a, ddl, to);
    char *rows = rows_of(a, "SELECT id, name, note, qty FROM t");
    ck_assert_str_eq(rows, "1|x|<null>|-1\n");
    free(rows);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(not_null_column_without_default_rebuilds)
{
    borch_schema *from = model_of("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL);
    borch_schema *to =
        model_of("b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", NULL);
    borch_changes c = {0};
    const borch_table *tt = borch_schema_table(to, "t");
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "v");
    char *ddl = render(from, to, &c);
    ck_assert_ptr_null(strstr(ddl, "ADD COLUMN"));
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE TABLE new_t (\n    id integer,\n"
                                      "    v text NOT NULL,\n    PRIMARY KEY (id)\n);\n"));
    ck_assert_ptr_nonnull(strstr(ddl, "INSERT INTO new_t (id) SELECT id FROM t;\n"
                                      "DROP TABLE t;\nALTER TABLE new_t RENAME TO t;\n"));
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(column_with_expression_default_rebuilds)
{
    borch_schema *from = model_of("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL);
    borch_schema *to = model_of(
        "b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT DEFAULT (datetime('now')))", NULL);
    borch_changes c = {0};
    const borch_table *tt = borch_schema_table(to, "t");
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "at");
    char *ddl = render(from, to, &c);
    ck_assert_ptr_null(strstr(ddl, "ADD COLUMN"));
    ck_assert_ptr_nonnull(strstr(ddl, "    at text DEFAULT (datetime('now')),\n"));
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(columns_added_out_of_order_rebuild)
{
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db",
                                  "CREATE TABLE t (id INTEGER PRIMARY KEY);"
                                  "INSERT INTO t VALUES (7);",
                                  &a);
    borch_schema *to =
        model_of("b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, y TEXT)", NULL);
    const borch_table *tt = borch_schema_table(to, "t");
    borch_changes c = {0};
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "y");
    push(&c, BORCH_CH_ADD_COLUMN, tt)->column = borch_table_column(tt, "x");
    char *ddl = render(from, to, &c);
    /* ADD COLUMN y, then x would give (id, y, x) */
    ck_assert_ptr_null(strstr(ddl, "ADD COLUMN"));
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE TABLE new_t"));
    apply_and_compare(a, ddl, to);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(plain_column_is_dropped_directly_and_indexed_one_by_rebuild)
{
    borch_conn *a = NULL;
    const char *cur = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT);"
                      "CREATE INDEX t_b_idx ON t (b);"
                      "INSERT INTO t (a, b, c) VALUES ('1', '2', '3');";
    borch_schema *from = model_of("a.db", cur, &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT);"
                                "CREATE INDEX t_b_idx ON t (b);",
                                NULL);
    const borch_table *ft = borch_schema_table(from, "t");
    borch_changes c = {0};
    borch_change *ch = push(&c, BORCH_CH_DROP_COLUMN, ft);
    ch->column = borch_table_column(ft, "a");
    ch->destructive = 1;
    ch->warning = "drop column t.a loses its data";
    ch = push(&c, BORCH_CH_DROP_COLUMN, ft);
    ch->column = borch_table_column(ft, "c");
    ch->destructive = 1;
    char *ddl = render(from, to, &c);
    ck_assert_str_eq(ddl, "-- warning: drop column t.a loses its data\n"
                          "ALTER TABLE t DROP COLUMN a;\n"
                          "-- warning: destructive change to table 't'\n"
                          "ALTER TABLE t DROP COLUMN c;\n");
    apply_and_compare(a, ddl, to);
    free(ddl);
    changes_free(&c);

    /* b is indexed: dropping it takes a rebuild, which recreates no index
     * twice even when the list also adds one to the table */
    borch_schema *to2 = model_of("c.db",
                                 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, c TEXT);"
                                 "CREATE INDEX t_a_idx ON t (a);",
                                 NULL);
    const borch_table *tt2 = borch_schema_table(to2, "t");
    ch = push(&c, BORCH_CH_DROP_INDEX, ft);
    ch->index = borch_table_index(ft, "t_b_idx");
    ch = push(&c, BORCH_CH_DROP_COLUMN, ft);
    ch->column = borch_table_column(ft, "b");
    ch = push(&c, BORCH_CH_ADD_INDEX, tt2);
    ch->index = borch_table_index(tt2, "t_a_idx");
    ddl = render(from, to2, &c);
    ck_assert_ptr_nonnull(strstr(ddl, "DROP INDEX t_b_idx;\n"));
    ck_assert_ptr_nonnull(strstr(ddl, "ALTER TABLE t DROP COLUMN b;\n")); /* index gone first */
    ck_assert_uint_eq(count_of(ddl, "CREATE INDEX t_a_idx"), 1);
    free(ddl);
    changes_free(&c);

    /* without the index drop, the column is still indexed: rebuild */
    ch = push(&c, BORCH_CH_DROP_COLUMN, ft);
    ch->column = borch_table_column(ft, "b");
    ch = push(&c, BORCH_CH_ADD_INDEX, tt2);
    ch->index = borch_table_index(tt2, "t_a_idx");
    ddl = render(from, to2, &c);
    ck_assert_ptr_null(strstr(ddl, "DROP COLUMN"));
    ck_assert_ptr_nonnull(strstr(ddl, "INSERT INTO new_t (id, a, c) SELECT id, a, c FROM t;\n"));
    ck_assert_uint_eq(count_of(ddl, "CREATE INDEX t_a_idx ON t (a);\n"), 1);
    ck_assert_ptr_nonnull(strstr(ddl, "PRAGMA foreign_key_check(t);\n"));
    ck_assert_ptr_nonnull(strstr(ddl, "-- warning: table 't' is rebuilt"));
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_schema_free(to2);
    borch_conn_close(a);
}
END_TEST

START_TEST(changes_to_one_table_share_one_rebuild)
{
    borch_conn *a = NULL;
    borch_schema *from =
        model_of("a.db",
                 "CREATE TABLE p (id INTEGER PRIMARY KEY);"
                 "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, p_id INTEGER);"
                 "CREATE INDEX t_v_idx ON t (v);"
                 "INSERT INTO p VALUES (1);"
                 "INSERT INTO t VALUES (1, 5, 1), (2, NULL, NULL);",
                 &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE p (id INTEGER PRIMARY KEY);"
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'z',"
                                " p_id INTEGER REFERENCES p (id) ON DELETE CASCADE,"
                                " CHECK (v <> ''));"
                                "CREATE INDEX t_v_idx ON t (v);",
                                NULL);
    const borch_table *ft = borch_schema_table(from, "t");
    const borch_table *tt = borch_schema_table(to, "t");
    borch_changes c = {0};
    borch_change *ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = ft;
    ch->column = borch_table_column(tt, "v");
    ch->old_column = borch_table_column(ft, "v");
    ch->alter = BORCH_ALTER_TYPE | BORCH_ALTER_DEFAULT;
    ch->destructive = 1;
    ch->warning = "column t.v changes type";
    push(&c, BORCH_CH_ADD_CHECK, tt)->check = &tt->checks[0];
    push(&c, BORCH_CH_ADD_FOREIGN_KEY, tt)->foreign_key = &tt->foreign_keys[0];
    char *ddl = render(from, to, &c);
    ck_assert_uint_eq(count_of(ddl, "CREATE TABLE new_t"), 1);
    ck_assert_uint_eq(count_of(ddl, "CREATE INDEX t_v_idx"), 1);
    ck_assert_ptr_nonnull(strstr(ddl, "-- warning: column t.v changes type\n"));
    ck_assert_ptr_nonnull(
        strstr(ddl, "    FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE\n"));
    ck_assert_ptr_nonnull(strstr(ddl, "    CHECK (v <> '')"));
    ck_assert_ptr_nonnull(strstr(ddl, "PRAGMA foreign_keys=OFF;\nPRAGMA defer_foreign_keys=ON;\n"));
    ck_assert(strstr(ddl, "PRAGMA foreign_keys=ON;\n") ==
              ddl + strlen(ddl) - strlen("PRAGMA foreign_keys=ON;\n"));
    /* t is referenced by nothing: no advice about transactions */
    ck_assert_ptr_null(strstr(ddl, "outside a transaction"));
    apply_and_compare(a, ddl, to);
    char *rows = rows_of(a, "SELECT id, v, p_id FROM t ORDER BY id");
    ck_assert_str_eq(rows, "1|5|1\n2|<null>|<null>\n");
    free(rows);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(rebuilding_a_referenced_table_asks_for_no_transaction)
{
    const char *sql = "CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT);"
                      "CREATE TABLE c (id INTEGER PRIMARY KEY,"
                      " p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);";
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db", sql, &a);
    exec_ok(a, "INSERT INTO p VALUES (1, 'x'); INSERT INTO c VALUES (1, 1);");
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT NOT NULL);"
                                "CREATE TABLE c (id INTEGER PRIMARY KEY,"
                                " p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "p");
    borch_changes c = {0};
    borch_change *ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = borch_schema_table(from, "p");
    ch->column = borch_table_column(tt, "n");
    ch->old_column = borch_table_column(ch->old_table, "n");
    ch->alter = BORCH_ALTER_NULLABLE;
    char *ddl = render(from, to, &c);
    ck_assert_ptr_nonnull(strstr(ddl, "-- warning: foreign keys point at 'p': run this outside a "
                                      "transaction (notx)"));
    /* in a transaction the pragma does nothing, and the old table's implicit
     * DELETE would cascade: the guard stops the script and nothing changes */
    ck_assert_ptr_nonnull(strstr(ddl, "INSERT INTO borch_rebuild_guard SELECT foreign_keys FROM "
                                      "pragma_foreign_keys;\n"));
    borch_error err = {0};
    ck_assert_int_eq(borch_conn_begin(a, &err), 0);
    ck_assert_int_eq(borch_conn_exec(a, ddl, NULL, 1, &err), BORCH_ESQL);
    ck_assert_msg(strstr(err.message, "CHECK constraint failed: PRAGMA foreign_keys=OFF did not "
                                      "take effect (inside a transaction?)"),
                  "%s", err.message);
    borch_error_clear(&err);
    ck_assert_int_eq(borch_conn_rollback(a, &err), 0);
    char *rows = rows_of(a, "SELECT count(*) FROM c");
    ck_assert_str_eq(rows, "1\n");
    free(rows);
    borch_schema *same = introspect(a);
    ck_assert_uint_eq(borch_schema_compare(same, from, NULL), 0);
    borch_schema_free(same);

    /* run as a notx section would: the pragma takes effect, the child rows stay */
    exec_ok(a, ddl);
    same = introspect(a);
    ck_assert_uint_eq(borch_schema_compare(same, to, NULL), 0);
    borch_schema_free(same);
    rows = rows_of(a, "SELECT count(*) FROM c");
    ck_assert_str_eq(rows, "1\n");
    free(rows);
    rows = rows_of(a, "PRAGMA foreign_keys");
    ck_assert_str_eq(rows, "1\n"); /* turned back on at the end */
    free(rows);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(new_table_referencing_a_rebuilt_table_needs_no_guard)
{
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db",
                                  "CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT NOT NULL);"
                                  "INSERT INTO p VALUES (1, 'x');",
                                  &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT);"
                                "CREATE TABLE k (id INTEGER PRIMARY KEY,"
                                " p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "p");
    borch_changes c = {0};
    push(&c, BORCH_CH_CREATE_TABLE, borch_schema_table(to, "k"));
    borch_change *ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = borch_schema_table(from, "p");
    ch->column = borch_table_column(tt, "n");
    ch->old_column = borch_table_column(ch->old_table, "n");
    ch->alter = BORCH_ALTER_NULLABLE;
    char *ddl = render(from, to, &c);
    /* k is created empty before the rebuild: no row of it can cascade */
    ck_assert_ptr_null(strstr(ddl, "borch_rebuild_guard"));
    ck_assert_ptr_null(strstr(ddl, "outside a transaction"));
    apply_and_compare(a, ddl, to);
    char *rows = rows_of(a, "SELECT id, n FROM p");
    ck_assert_str_eq(rows, "1|x\n");
    free(rows);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(names_are_quoted_only_when_needed)
{
    borch_schema *from = model_of("a.db", "SELECT 1", NULL);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE \"order\" (id INTEGER PRIMARY KEY,"
                                " \"my col\" TEXT, \"a\"\"b\" TEXT, _ok2 TEXT, \"9x\" TEXT);"
                                "CREATE INDEX \"order_idx\" ON \"order\" (\"my col\");",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "order");
    borch_changes c = {0};
    push(&c, BORCH_CH_CREATE_TABLE, tt);
    push(&c, BORCH_CH_ADD_INDEX, tt)->index = &tt->indexes[0];
    char *ddl = render(from, to, &c);
    ck_assert_str_eq(ddl, "CREATE TABLE \"order\" (\n"
                          "    id integer,\n"
                          "    \"my col\" text,\n"
                          "    \"a\"\"b\" text,\n"
                          "    _ok2 text,\n"
                          "    \"9x\" text,\n"
                          "    PRIMARY KEY (id)\n"
                          ");\n"
                          "CREATE INDEX order_idx ON \"order\" (\"my col\");\n");
    borch_conn *a = open_db("a.db");
    apply_and_compare(a, ddl, to);
    borch_conn_close(a);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(created_table_carries_its_foreign_keys_and_unique_inline)
{
    borch_schema *from = model_of("a.db", "CREATE TABLE u (id INTEGER PRIMARY KEY)", NULL);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE u (id INTEGER PRIMARY KEY);"
                                "CREATE TABLE v (id INTEGER PRIMARY KEY, u_id INTEGER NOT NULL,"
                                " code TEXT UNIQUE,"
                                " CONSTRAINT v_u_fk FOREIGN KEY (u_id) REFERENCES u (id)"
                                " ON DELETE SET NULL);",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "v");
    borch_changes c = {0};
    push(&c, BORCH_CH_CREATE_TABLE, tt);
    push(&c, BORCH_CH_ADD_INDEX, tt)->index = &tt->indexes[0];
    push(&c, BORCH_CH_ADD_FOREIGN_KEY, tt)->foreign_key = &tt->foreign_keys[0];
    char *ddl = render(from, to, &c);
    ck_assert_str_eq(ddl, "CREATE TABLE v (\n"
                          "    id integer,\n"
                          "    u_id integer NOT NULL,\n"
                          "    code text,\n"
                          "    PRIMARY KEY (id),\n"
                          "    UNIQUE (code),\n"
                          "    CONSTRAINT v_u_fk FOREIGN KEY (u_id) REFERENCES u (id) ON DELETE "
                          "SET NULL\n"
                          ");\n");
    borch_conn *a = open_db("a.db");
    apply_and_compare(a, ddl, to);
    borch_conn_close(a);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
}
END_TEST

START_TEST(views_and_tables_drop_and_create_in_dependency_order)
{
    borch_conn *a = NULL;
    borch_schema *from = model_of(
        "a.db",
        "CREATE TABLE old (id INTEGER PRIMARY KEY);"
        "CREATE TABLE lone (id INTEGER PRIMARY KEY);"
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER,"
        " old_id INTEGER REFERENCES old (id) ON DELETE CASCADE);"
        "CREATE VIEW tv AS SELECT id FROM t;"
        "INSERT INTO old VALUES (1); INSERT INTO lone VALUES (1); INSERT INTO t VALUES (1, 5, 1);",
        &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, old_id INTEGER);"
                                "CREATE VIEW tv AS SELECT id, x FROM t;",
                                NULL);
    const borch_table *ft = borch_schema_table(from, "t");
    const borch_table *tt = borch_schema_table(to, "t");
    borch_changes c = {0};
    push(&c, BORCH_CH_DROP_VIEW, NULL)->view = borch_schema_view(from, "tv");
    push(&c, BORCH_CH_DROP_FOREIGN_KEY, ft)->foreign_key = &ft->foreign_keys[0];
    borch_change *ch = push(&c, BORCH_CH_DROP_TABLE, borch_schema_table(from, "old"));
    ch->destructive = 1;
    ch->warning = "drop table old";
    push(&c, BORCH_CH_DROP_TABLE, borch_schema_table(from, "lone"))->destructive = 1;
    ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = ft;
    ch->column = borch_table_column(tt, "x");
    ch->old_column = borch_table_column(ft, "x");
    ch->alter = BORCH_ALTER_TYPE;
    push(&c, BORCH_CH_CREATE_VIEW, NULL)->view = borch_schema_view(to, "tv");
    char *ddl = render(from, to, &c);
    const char *drop_view = strstr(ddl, "DROP VIEW tv;\n");
    const char *drop_lone = strstr(ddl, "DROP TABLE lone;\n");
    const char *rebuild = strstr(ddl, "ALTER TABLE new_t RENAME TO t;\n");
    const char *drop_old = strstr(ddl, "-- warning: drop table old\nDROP TABLE old;\n");
    const char *create_view = strstr(ddl, "CREATE VIEW tv AS SELECT id, x FROM t;\n");
    ck_assert_msg(drop_view && drop_lone && rebuild && drop_old && create_view, "%s", ddl);
    /* lone goes first; old only once t no longer references it */
    ck_assert_msg(drop_view < drop_lone && drop_lone < rebuild && rebuild < drop_old &&
                      drop_old < create_view,
                  "%s", ddl);
    ck_assert_ptr_null(strstr(ddl, "outside a transaction"));
    apply_and_compare(a, ddl, to); /* in a transaction: the row of t must not cascade away */
    char *rows = rows_of(a, "SELECT id, x, old_id FROM t");
    ck_assert_str_eq(rows, "1|5|1\n");
    free(rows);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(temp_table_name_avoids_names_in_use)
{
    const char *sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);"
                      "CREATE TABLE new_t (id INTEGER PRIMARY KEY);"
                      "CREATE INDEX new_t_ ON new_t (id);";
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db", sql, &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                                "CREATE TABLE new_t (id INTEGER PRIMARY KEY);"
                                "CREATE INDEX new_t_ ON new_t (id);",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "t");
    borch_changes c = {0};
    borch_change *ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = borch_schema_table(from, "t");
    ch->column = borch_table_column(tt, "v");
    ch->old_column = borch_table_column(ch->old_table, "v");
    ch->alter = BORCH_ALTER_TYPE;
    char *ddl = render(from, to, &c);
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE TABLE new_t__ (\n"));
    ck_assert_ptr_nonnull(strstr(ddl, "ALTER TABLE new_t__ RENAME TO t;\n"));
    apply_and_compare(a, ddl, to);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(temp_table_name_avoids_names_in_use_in_any_case)
{
    /* SQLite names ignore ASCII case: new_T would be the table NEW_T */
    const char *sql = "CREATE TABLE T (id INTEGER PRIMARY KEY, v INTEGER);"
                      "CREATE TABLE NEW_T (id INTEGER PRIMARY KEY);"
                      "CREATE VIEW New_T_ AS SELECT id FROM NEW_T;";
    borch_conn *a = NULL;
    borch_schema *from = model_of("a.db", sql, &a);
    borch_schema *to = model_of("b.db",
                                "CREATE TABLE T (id INTEGER PRIMARY KEY, v TEXT);"
                                "CREATE TABLE NEW_T (id INTEGER PRIMARY KEY);"
                                "CREATE VIEW New_T_ AS SELECT id FROM NEW_T;",
                                NULL);
    const borch_table *tt = borch_schema_table(to, "T");
    borch_changes c = {0};
    borch_change *ch = push(&c, BORCH_CH_ALTER_COLUMN, tt);
    ch->old_table = borch_schema_table(from, "T");
    ch->column = borch_table_column(tt, "v");
    ch->old_column = borch_table_column(ch->old_table, "v");
    ch->alter = BORCH_ALTER_TYPE;
    char *ddl = render(from, to, &c);
    ck_assert_msg(strstr(ddl, "CREATE TABLE new_T__ (\n"), "%s", ddl);
    ck_assert_ptr_nonnull(strstr(ddl, "ALTER TABLE new_T__ RENAME TO T;\n"));
    apply_and_compare(a, ddl, to);
    free(ddl);
    changes_free(&c);
    borch_schema_free(from);
    borch_schema_free(to);
    borch_conn_close(a);
}
END_TEST

START_TEST(bad_change_lists_are_refused)
{
    borch_schema *s = model_of("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL);
    borch_enum e = {.name = "mood"};
    borch_changes c = {0};
    borch_buf b;
    borch_buf_init(&b);
    borch_error err = {0};

    push(&c, BORCH_CH_CREATE_ENUM, NULL)->enum_type = &e;
    ck_assert_int_eq(borch_sqlite_driver.render(s, s, &c, &b, &err), BORCH_EUNSUPPORTED);
    ck_assert_str_eq(err.message, "enum types are not supported by the sqlite driver");
    changes_free(&c);
    borch_error_clear(&err);

    push(&c, BORCH_CH_ADD_COLUMN, NULL);
    ck_assert_int_eq(borch_sqlite_driver.render(s, s, &c, &b, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "change 1 names no table");
    changes_free(&c);
    borch_error_clear(&err);

    push(&c, BORCH_CH_DROP_VIEW, NULL);
    ck_assert_int_eq(borch_sqlite_driver.render(s, s, &c, &b, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "change 1 names no view");
    changes_free(&c);
    borch_error_clear(&err);

    push(&c, BORCH_CH_ADD_INDEX, &s->tables[0]);
    ck_assert_int_eq(borch_sqlite_driver.render(s, s, &c, &b, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "change 1 names no index");
    changes_free(&c);
    borch_error_clear(&err);

    push(&c, BORCH_CH_DROP_COLUMN, &s->tables[0]);
    ck_assert_int_eq(borch_sqlite_driver.render(s, s, &c, &b, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "change 1 names no column");
    changes_free(&c);
    borch_error_clear(&err);

    ck_assert_uint_eq(b.len, 0); /* nothing written on failure */
    borch_buf_release(&b);
    borch_schema_free(s);
}
END_TEST

START_TEST(empty_change_list_renders_nothing)
{
    borch_schema *s = model_of("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)", NULL);
    borch_changes c = {0};
    char *ddl = render(s, s, &c);
    ck_assert_str_eq(ddl, "");
    free(ddl);
    borch_schema_free(s);
}
END_TEST

/* ---- the corpus ---- */

static const char *const corpus_cases[] = {
    "add_column",
    "add_column_direct",
    "add_column_expression_default",
    "add_unique_column",
    "bulk_rows_rebuild",
    "check_add_drop",
    "check_changed",
    "column_order",
    "column_replaced",
    "composite_fk",
    "composite_key_retyped",
    "composite_pk",
    "composite_pk_added",
    "composite_pk_reorder",
    "create_table",
    "default_change",
    "default_current_timestamp",
    "default_expression_changed",
    "defaults_dropped",
    "drop_column",
    "drop_column_used_by_view",
    "drop_indexed_column",
    "drop_parent_keep_child",
    "drop_primary_key",
    "drop_referenced_column",
    "drop_referenced_tables",
    "drop_table",
    "expression_index_changed",
    "fk_action_change",
    "fk_actions_restrict_to_set_default",
    "fk_cascade_add",
    "fk_dropped",
    "fk_to_composite_key",
    "fk_to_new_table",
    "fk_to_new_unique_index",
    "fk_to_unique_column",
    "index_column_order",
    "index_on_retyped_column",
    "inner_view_redefined",
    "literal_defaults",
    "many_columns",
    "mixed_case_names",
    "mutual_references",
    "names_with_spaces",
    "no_rowid_alias",
    "not_null_to_nullable",
    "not_null_with_backfill_default",
    "nullability_both_ways",
    "nullable_to_not_null",
    "partial_expression_index",
    "partial_index_changed",
    "quoted_names",
    "rebuild_referenced_by_many",
    "rebuild_temp_name_case_clash",
    "referenced_key_retyped",
    "reserved_word_identifiers",
    "rowid_alias_introduced",
    "rowid_alias_kept",
    "self_reference",
    "self_reference_added",
    "several_tables_at_once",
    "table_check_multi_column",
    "table_replaced_by_new_name",
    "table_without_key",
    "three_table_cycle",
    "tricky_sql_text",
    "type_change",
    "type_change_with_data",
    "type_names_with_spaces",
    "unique_constraint_change",
    "unique_constraint_to_index",
    "unique_index",
    "unique_nonunique_swap",
    "view_joining_changed_tables",
    "view_on_changed_table",
    "view_on_dropped_column",
    "view_only_change",
    "view_over_view",
    "view_select_star",
    "views_with_qualified_names",
};

static char *corpus_text(const char *name, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/tests/corpus/sqlite/%s/%s", BORCH_SOURCE_DIR, name, file);
    char *text = NULL;
    size_t len = 0;
    borch_error err = {0};
    int rc = borch_read_file(path, &text, &len, &err);
    ck_assert_msg(rc == 0, "%s: %s", path, err.message);
    return text;
}

static borch_conn *load(const char *db, const char *name, const char *file, const char *seed)
{
    borch_conn *conn = open_db(db);
    char *sql = corpus_text(name, file);
    exec_ok(conn, sql);
    free(sql);
    if (seed) {
        sql = corpus_text(name, seed);
        exec_ok(conn, sql);
        free(sql);
    }
    return conn;
}

/*
 * The rows of every table both a and b keep, over the columns both keep with
 * the same type, as text in a stable order: what a change between a and b
 * must not lose. (A retyped column's values may change form: 3 becomes 3.0.)
 */
static char *kept_rows(borch_conn *conn, const borch_schema *a, const borch_schema *b)
{
    borch_buf all;
    borch_buf_init(&all);
    for (size_t i = 0; i < a->ntables; i++) {
        const borch_table *ta = &a->tables[i];
        const borch_table *tb = borch_schema_table(b, ta->name);
        if (!tb)
            continue;
        borch_buf q;
        borch_buf_init(&q);
        borch_buf_puts(&q, "SELECT ");
        size_t n = 0;
        for (size_t k = 0; k < ta->ncolumns; k++) {
            const borch_column *cb = borch_table_column(tb, ta->columns[k].name);
            if (!cb || strcmp(cb->type, ta->columns[k].type) != 0) /* 3 becomes 3.0 */
                continue;
            borch_buf_printf(&q, "%s\"%s\"", n++ ? ", " : "", ta->columns[k].name);
        }
        if (n == 0)
            borch_buf_puts(&q, "count(*)");
        borch_buf_printf(&q, " FROM \"%s\"", ta->name);
        for (size_t k = 1; k <= n; k++)
            borch_buf_printf(&q, "%s%zu", k > 1 ? ", " : " ORDER BY ", k);
        char *rows = rows_of(conn, q.data);
        borch_buf_printf(&all, "-- %s\n%s", ta->name, rows);
        free(rows);
        borch_buf_release(&q);
    }
    char *s = borch_buf_detach(&all);
    borch_buf_release(&all);
    return s;
}

/*
 * Diffs from -> to, renders, runs the DDL on conn (in a transaction, or as a
 * notx section when the DDL says it must run outside one), and requires the
 * result to equal to and a second diff to find nothing.
 */
static void migrate(borch_conn *conn, const char *name, const borch_schema *from,
                    const borch_schema *to)
{
    borch_changes ch = {0};
    borch_error err = {0};
    int rc = borch_diff(from, to, &ch, &err);
    ck_assert_msg(rc == 0, "%s: diff: %s", name, err.message);
    ck_assert_msg(ch.count > 0, "%s: diff found nothing", name);
    char *ddl = render(from, to, &ch);
    borch_changes_release(&ch);
    if (getenv("BORCH_SHOW_DDL"))
        fprintf(stderr, "==== %s\n%s", name, ddl);
    if (strstr(ddl, "outside a transaction")) {
        /* in a transaction the guard refuses, and the rollback keeps all */
        char *rows = rows_of(conn, "SELECT count(*) FROM sqlite_master");
        ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
        ck_assert_int_eq(borch_conn_exec(conn, ddl, NULL, 1, &err), BORCH_ESQL);
        ck_assert_msg(strstr(err.message, "did not take effect"), "%s: %s", name, err.message);
        borch_error_clear(&err);
        ck_assert_int_eq(borch_conn_rollback(conn, &err), 0);
        borch_schema *same = introspect(conn);
        ck_assert_uint_eq(borch_schema_compare(same, from, NULL), 0);
        borch_schema_free(same);
        char *again = rows_of(conn, "SELECT count(*) FROM sqlite_master");
        ck_assert_str_eq(rows, again);
        free(rows);
        free(again);
        exec_ok(conn, ddl); /* as a notx section runs */
    } else {
        ck_assert_int_eq(borch_conn_begin(conn, &err), 0);
        rc = borch_conn_exec(conn, ddl, NULL, 1, &err);
        ck_assert_msg(rc == 0, "%s: %s\n-- in --\n%s", name, err.message, ddl);
        ck_assert_int_eq(borch_conn_commit(conn, &err), 0);
    }
    borch_schema *got = introspect(conn);
    borch_buf d;
    borch_buf_init(&d);
    size_t n = borch_schema_compare(got, to, &d);
    ck_assert_msg(n == 0, "%s: schema differs after\n%s-- differences --\n%s", name, ddl, d.data);
    borch_buf_release(&d);
    ck_assert_int_eq(borch_diff(got, to, &ch, &err), 0);
    ck_assert_msg(ch.count == 0, "%s: a second diff finds %zu changes", name, ch.count);
    borch_changes_release(&ch);
    borch_schema_free(got);
    free(ddl);
}

START_TEST(corpus_case_migrates_both_ways_keeping_rows)
{
    const char *name = corpus_cases[_i];
    borch_conn *a = load("a.db", name, "current.sql", "seed.sql");
    borch_conn *b = load("b.db", name, "desired.sql", NULL);
    borch_schema *current = introspect(a);
    borch_schema *desired = introspect(b);
    char *rows_before = kept_rows(a, current, desired);

    migrate(a, name, current, desired);
    char *rows_after = kept_rows(a, current, desired);
    ck_assert_msg(strcmp(rows_before, rows_after) == 0, "%s: rows changed:\n%s---\n%s", name,
                  rows_before, rows_after);
    free(rows_after);

    borch_schema *now = introspect(a);
    migrate(a, name, now, current);
    rows_after = kept_rows(a, current, desired);
    ck_assert_msg(strcmp(rows_before, rows_after) == 0,
                  "%s: rows changed on the way back:\n%s---\n%s", name, rows_before, rows_after);
    free(rows_after);

    free(rows_before);
    borch_schema_free(now);
    borch_schema_free(current);
    borch_schema_free(desired);
    borch_conn_close(a);
    borch_conn_close(b);
}
END_TEST

Suite *suite_sqlite_render(void)
{
    Suite *s = suite_create("sqlite_render");
    TCase *tc = tcase_create("hand_built");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, nullable_column_is_added_directly);
    tcase_add_test(tc, not_null_column_without_default_rebuilds);
    tcase_add_test(tc, column_with_expression_default_rebuilds);
    tcase_add_test(tc, columns_added_out_of_order_rebuild);
    tcase_add_test(tc, plain_column_is_dropped_directly_and_indexed_one_by_rebuild);
    tcase_add_test(tc, changes_to_one_table_share_one_rebuild);
    tcase_add_test(tc, rebuilding_a_referenced_table_asks_for_no_transaction);
    tcase_add_test(tc, new_table_referencing_a_rebuilt_table_needs_no_guard);
    tcase_add_test(tc, names_are_quoted_only_when_needed);
    tcase_add_test(tc, created_table_carries_its_foreign_keys_and_unique_inline);
    tcase_add_test(tc, views_and_tables_drop_and_create_in_dependency_order);
    tcase_add_test(tc, temp_table_name_avoids_names_in_use);
    tcase_add_test(tc, temp_table_name_avoids_names_in_use_in_any_case);
    tcase_add_test(tc, bad_change_lists_are_refused);
    tcase_add_test(tc, empty_change_list_renders_nothing);
    suite_add_tcase(s, tc);
    tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, corpus_case_migrates_both_ways_keeping_rows, 0,
                        (int)(sizeof(corpus_cases) / sizeof(corpus_cases[0])));
    suite_add_tcase(s, tc);
    return s;
}
