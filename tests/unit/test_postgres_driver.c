/*
 * test_postgres_driver.c - the PostgreSQL driver against a real server
 * (BORCH_TEST_PG_URL, started by tests/support/servers.sh). Each test works
 * in its own schema or throwaway database, so tests do not see each other.
 *
 * Without BORCH_TEST_PG_URL the tests say so and pass, except under CI=true,
 * where a missing server is a failure: CI must never go green untested.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "util/buf.h"
#include "util/mem.h"

#ifdef BORCH_WITH_POSTGRES

extern const borch_driver borch_postgres_driver;

#define NO_SERVER "no PostgreSQL test server: set BORCH_TEST_PG_URL (tests/support/servers.sh start)"

/* The test server's URL, or NULL after a notice (a failure under CI=true). */
static const char *server_url(void)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg(NO_SERVER);
    return NULL; /* the suite printed a notice once */
}

#define NEED_SERVER()                                                                              \
    do {                                                                                           \
        if (!server_url())                                                                         \
            return;                                                                                \
    } while (0)

static borch_url *parse(const char *text)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(text, NULL, &u, &e) == 0, "bad URL: %s", e.message);
    return u;
}

/* Connects to the test database with search_path = schema (may be NULL). */
static borch_conn *open_conn(const char *schema)
{
    borch_url *u = parse(server_url());
    borch_conn_opts opts = {.schema = schema, .connect_timeout_s = 5};
    borch_conn *c = NULL;
    borch_error e = {0};
    int rc = borch_postgres_driver.connect(u, &opts, &c, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    return c;
}

static void exec_ok(borch_conn *c, const char *sql)
{
    borch_error e = {0};
    int rc = borch_postgres_driver.exec_script(c, sql, NULL, 1, &e);
    ck_assert_msg(rc == 0, "exec failed: %s (line %d)", e.message, e.line);
    borch_error_clear(&e);
}

/* A per-test schema, made empty; the connection's search_path points at it. */
static borch_conn *fresh_schema(const char *name)
{
    borch_conn *admin = open_conn(NULL);
    char *q = borch_postgres_driver.quote_ident(name);
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s;", q, q);
    exec_ok(admin, b.data);
    borch_buf_release(&b);
    free(q);
    borch_postgres_driver.close(admin);
    return open_conn(name);
}

static void drop_schema(borch_conn *c)
{
    char *q = borch_postgres_driver.quote_ident(c->schema);
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "DROP SCHEMA %s CASCADE", q);
    exec_ok(c, b.data);
    borch_buf_release(&b);
    free(q);
    borch_postgres_driver.close(c);
}

static int keep_first(void *payload, int ncols, const char *const *names,
                      const char *const *values)
{
    (void)names;
    char **out = payload;
    if (!*out)
        *out = borch_xstrdup(ncols > 0 && values[0] ? values[0] : "NULL");
    return 0;
}

/* First column of the first row as a malloc'd string ("" none, "NULL" null). */
static char *scalar(borch_conn *c, const char *sql, int nparams, const char *const *params)
{
    char *out = NULL;
    borch_error e = {0};
    int rc = borch_postgres_driver.query(c, sql, nparams, params, keep_first, &out, &e);
    ck_assert_msg(rc == 0, "query failed: %s", e.message);
    return out ? out : borch_xstrdup("");
}

static void assert_scalar(borch_conn *c, const char *sql, const char *want)
{
    char *got = scalar(c, sql, 0, NULL);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql, got, want);
    free(got);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- scripts ------------------------------------------------------------ */

START_TEST(script_with_dollar_quoted_body_reports_failing_line)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_script");
    const char *sql = "-- a function whose body holds ';'\n"          /* 10 */
                      "CREATE FUNCTION add_one(i integer) RETURNS integer\n"
                      "LANGUAGE plpgsql AS $body$\n"
                      "BEGIN\n"
                      "  PERFORM 1; RETURN i + 1;\n"
                      "END $body$;\n"                                 /* 15 */
                      "CREATE TABLE \"semi;colon\" (id integer);\n"
                      "\n"
                      "/* the next statement fails;\n"
                      "   it is on line 20 */\n"
                      "INSERT INTO missing_table VALUES (1);\n"       /* 20 */
                      "CREATE TABLE never_made (id integer);\n";
    borch_error e = {0};
    int rc = borch_postgres_driver.exec_script(c, sql, "migrations/1_x.sql", 10, &e);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_int_eq(e.line, 20);
    ck_assert_str_eq(e.file, "migrations/1_x.sql");
    ck_assert_str_eq(e.sqlstate, "42P01");
    ck_assert_str_eq(e.message, "relation \"missing_table\" does not exist");
    ck_assert_ptr_nonnull(e.statement);
    ck_assert_str_eq(e.statement, "INSERT INTO missing_table VALUES (1)");
    borch_error_clear(&e);
    /* the statements before it ran (autocommit), the one after did not */
    assert_scalar(c, "SELECT add_one(41)", "42");
    assert_scalar(c, "SELECT count(*) FROM \"semi;colon\"", "0");
    assert_scalar(c, "SELECT to_regclass('never_made') IS NULL", "t");
    drop_schema(c);
}
END_TEST

START_TEST(script_syntax_error_reports_its_line)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_syntax");
    borch_error e = {0};
    int rc = borch_postgres_driver.exec_script(
        c, "CREATE TABLE a (id integer);\n\nCREATE TABLE b (id integer;\n", NULL, 1, &e);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_int_eq(e.line, 3);
    ck_assert_str_eq(e.sqlstate, "42601");
    ck_assert_str_eq(e.statement, "CREATE TABLE b (id integer;");
    borch_error_clear(&e);
    assert_scalar(c, "SELECT to_regclass('a') IS NOT NULL", "t");
    drop_schema(c);
}
END_TEST

START_TEST(unterminated_quote_falls_back_to_server_position)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_unterminated");
    borch_error e = {0};
    int rc = borch_postgres_driver.exec_script(
        c, "SELECT 1;\nSELECT 2;\n\nSELECT 'never closed;\nSELECT 3;\n", "f.sql", 5, &e);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_int_eq(e.line, 8);
    ck_assert_str_eq(e.sqlstate, "42601");
    ck_assert_msg(strstr(e.message, "unterminated quoted string") != NULL, "%s", e.message);
    borch_error_clear(&e);
    drop_schema(c);
}
END_TEST

START_TEST(sql_standard_function_body_is_one_statement)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_atomic");
    exec_ok(c, "CREATE TABLE t (id integer);\n"
               "CREATE FUNCTION fill() RETURNS void LANGUAGE sql BEGIN ATOMIC\n"
               "  INSERT INTO t VALUES (1);\n"
               "  INSERT INTO t VALUES (2);\n"
               "END;\n"
               "SELECT fill();\n");
    assert_scalar(c, "SELECT sum(id) FROM t", "3");
    drop_schema(c);
}
END_TEST

START_TEST(copy_from_stdin_is_refused)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_copy");
    borch_error e = {0};
    int rc = borch_postgres_driver.exec_script(
        c, "CREATE TABLE t (id integer);\nCOPY t FROM STDIN;\n", NULL, 1, &e);
    ck_assert_int_eq(rc, BORCH_ESQL);
    ck_assert_int_eq(e.line, 2);
    ck_assert_msg(strstr(e.message, "COPY FROM STDIN is not supported") != NULL, "%s", e.message);
    borch_error_clear(&e);
    /* the connection is still usable */
    assert_scalar(c, "SELECT count(*) FROM t", "0");
    drop_schema(c);
}
END_TEST

/* ---- queries and transactions ------------------------------------------ */

struct rows {
    borch_buf text;
    int stop_after;
    int seen;
};

static int collect(void *payload, int ncols, const char *const *names, const char *const *values)
{
    struct rows *r = payload;
    for (int i = 0; i < ncols; i++)
        borch_buf_printf(&r->text, "%s%s=%s", i ? "," : "", names[i],
                         values[i] ? values[i] : "<null>");
    borch_buf_putc(&r->text, ';');
    return ++r->seen == r->stop_after;
}

START_TEST(query_binds_text_params_and_nulls)
{
    NEED_SERVER();
    borch_conn *c = open_conn(NULL);
    char ph[8];
    borch_postgres_driver.placeholder(2, ph, sizeof(ph));
    ck_assert_str_eq(ph, "$2");
    const char *params[2] = {"it's", NULL};
    struct rows r = {.stop_after = 0};
    borch_buf_init(&r.text);
    borch_error e = {0};
    ck_assert_int_eq(borch_postgres_driver.query(c, "SELECT $1::text AS a, $2::text AS b", 2,
                                                 params, collect, &r, &e),
                     0);
    ck_assert_str_eq(r.text.data, "a=it's,b=<null>;");
    /* the callback stops the rows */
    borch_buf_clear(&r.text);
    r.stop_after = 2;
    r.seen = 0;
    ck_assert_int_eq(borch_postgres_driver.query(c, "SELECT g FROM generate_series(1, 5) g", 0,
                                                 NULL, collect, &r, &e),
                     0);
    ck_assert_str_eq(r.text.data, "g=1;g=2;");
    borch_buf_release(&r.text);
    /* two statements are refused: one statement per query */
    ck_assert_int_eq(borch_postgres_driver.query(c, "SELECT 1; SELECT 2", 0, NULL, NULL, NULL, &e),
                     BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42601");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_postgres_driver.query(c, "SELECT nope", 0, NULL, NULL, NULL, &e),
                     BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42703");
    ck_assert_str_eq(e.statement, "SELECT nope");
    borch_error_clear(&e);
    char *v = borch_postgres_driver.server_version(c);
    ck_assert_msg(strncmp(v, "15", 2) == 0 || atoi(v) >= 12, "version %s", v);
    free(v);
    assert_scalar(c, "SHOW application_name", "borch-db");
    assert_scalar(c, "SHOW client_min_messages", "warning");
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(rollback_undoes_ddl)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_tx");
    borch_error e = {0};
    ck_assert(borch_postgres_driver.caps & BORCH_CAP_TRANSACTIONAL_DDL);
    ck_assert_int_eq(borch_conn_begin(c, &e), 0);
    exec_ok(c, "CREATE TABLE gone (id integer); CREATE INDEX gone_idx ON gone (id);");
    assert_scalar(c, "SELECT to_regclass('gone') IS NOT NULL", "t");
    ck_assert_int_eq(borch_conn_rollback(c, &e), 0);
    assert_scalar(c, "SELECT to_regclass('gone') IS NULL", "t");

    ck_assert_int_eq(borch_conn_begin(c, &e), 0);
    exec_ok(c, "CREATE TABLE kept (id integer);");
    ck_assert_int_eq(borch_conn_commit(c, &e), 0);
    assert_scalar(c, "SELECT to_regclass('kept') IS NOT NULL", "t");

    /* a failed statement dooms the transaction: COMMIT reports it */
    ck_assert_int_eq(borch_conn_begin(c, &e), 0);
    exec_ok(c, "CREATE TABLE doomed (id integer);");
    ck_assert_int_eq(borch_postgres_driver.exec_script(c, "SELECT 1/0;", NULL, 1, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "22012");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_conn_commit(c, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "25P02");
    borch_error_clear(&e);
    assert_scalar(c, "SELECT to_regclass('doomed') IS NULL", "t");
    drop_schema(c);
}
END_TEST

/* ---- introspection ------------------------------------------------------ */

static const char realistic_schema[] =
    "CREATE TYPE status AS ENUM ('draft', 'published', 'archived');\n"
    "CREATE TABLE users (\n"
    "  id serial PRIMARY KEY,\n"
    "  email character varying(200) NOT NULL,\n"
    "  created_at timestamp with time zone NOT NULL DEFAULT now(),\n"
    "  CONSTRAINT users_email_key UNIQUE (email)\n"
    ");\n"
    "COMMENT ON TABLE users IS 'people who write';\n"
    "CREATE TABLE posts (\n"
    "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "  author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n"
    "  editor_id integer REFERENCES users (id) ON DELETE SET NULL ON UPDATE RESTRICT,\n"
    "  title text NOT NULL,\n"
    "  tags text[] NOT NULL DEFAULT '{}',\n"
    "  state status NOT NULL DEFAULT 'draft',\n"
    "  price numeric(10,2),\n"
    "  deleted_at timestamp with time zone,\n"
    "  CONSTRAINT posts_price_check CHECK (price >= 0)\n"
    ");\n"
    "CREATE TABLE post_tags (\n"
    "  post_id bigint NOT NULL,\n"
    "  tag character varying(40) NOT NULL,\n"
    "  CONSTRAINT post_tags_pkey PRIMARY KEY (tag, post_id),\n"
    "  CONSTRAINT post_tags_post_fk FOREIGN KEY (post_id) REFERENCES posts (id)\n"
    "    ON DELETE SET DEFAULT\n"
    ");\n"
    "CREATE INDEX posts_live_idx ON posts (author_id) WHERE deleted_at IS NULL;\n"
    "CREATE UNIQUE INDEX users_lower_email_idx ON users (lower(email));\n"
    "CREATE INDEX posts_tags_idx ON posts USING gin (tags);\n"
    "CREATE VIEW live_posts AS SELECT id, title FROM posts WHERE deleted_at IS NULL;\n"
    "CREATE SEQUENCE invoice_numbers;\n"
    "CREATE TABLE borch_schema_history (version text);\n"
    "CREATE TABLE borch_audit (seq bigserial);\n";

static void assert_column(const borch_table *t, const char *name, const char *type, int nullable,
                          const char *def, int identity)
{
    borch_column *c = borch_table_column(t, name);
    ck_assert_msg(c != NULL, "no column %s.%s", t->name, name);
    ck_assert_str_eq(c->type, type);
    ck_assert_int_eq(c->nullable, nullable);
    if (def)
        ck_assert_msg(c->default_expr && strcmp(c->default_expr, def) == 0,
                      "%s.%s default '%s', want '%s'", t->name, name,
                      c->default_expr ? c->default_expr : "(null)", def);
    else
        ck_assert_msg(c->default_expr == NULL, "%s.%s default '%s', want none", t->name, name,
                      c->default_expr);
    ck_assert_int_eq(c->identity, identity);
}

static void assert_fk(const borch_foreign_key *fk, const char *name, const char *column,
                      const char *ref_table, const char *ref_column, const char *on_delete,
                      const char *on_update)
{
    ck_assert_str_eq(fk->name, name);
    ck_assert_uint_eq(fk->ncolumns, 1);
    ck_assert_str_eq(fk->columns[0], column);
    ck_assert_str_eq(fk->ref_table, ref_table);
    ck_assert_uint_eq(fk->nref_columns, 1);
    ck_assert_str_eq(fk->ref_columns[0], ref_column);
    ck_assert_str_eq(fk->on_delete, on_delete);
    ck_assert_str_eq(fk->on_update, on_update);
}

START_TEST(introspect_realistic_schema)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_introspect");
    exec_ok(c, realistic_schema);
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_conn_introspect(c, &s, &e) == 0, "introspect: %s", e.message);
    ck_assert_str_eq(s->engine, "postgres");

    /* borch_* tables and their sequences are left out */
    ck_assert_uint_eq(s->ntables, 3);
    ck_assert_str_eq(s->tables[0].name, "post_tags");
    ck_assert_str_eq(s->tables[1].name, "posts");
    ck_assert_str_eq(s->tables[2].name, "users");

    borch_table *users = borch_schema_table(s, "users");
    ck_assert_uint_eq(users->ncolumns, 3);
    ck_assert_str_eq(users->columns[0].name, "id");
    assert_column(users, "id", "integer", 0, NULL, 1); /* serial */
    assert_column(users, "email", "character varying(200)", 0, NULL, 0);
    assert_column(users, "created_at", "timestamp with time zone", 0, "now()", 0);
    ck_assert_uint_eq(users->nprimary_key, 1);
    ck_assert_str_eq(users->primary_key[0], "id");
    ck_assert_str_eq(users->primary_key_name, "users_pkey");
    ck_assert_str_eq(users->comment, "people who write");
    ck_assert_uint_eq(users->nindexes, 2);
    borch_index *ix = borch_table_index(users, "users_email_key");
    ck_assert_ptr_nonnull(ix);
    ck_assert_int_eq(ix->unique, 1);
    ck_assert_int_eq(ix->constraint, 1);
    ck_assert_int_eq(ix->expression, 0);
    ck_assert_uint_eq(ix->ncolumns, 1);
    ck_assert_str_eq(ix->columns[0], "email");
    ix = borch_table_index(users, "users_lower_email_idx");
    ck_assert_ptr_nonnull(ix);
    ck_assert_int_eq(ix->unique, 1);
    ck_assert_int_eq(ix->constraint, 0);
    ck_assert_int_eq(ix->expression, 1);
    ck_assert_uint_eq(ix->ncolumns, 1);
    ck_assert_str_eq(ix->columns[0], "lower(email::text)");
    ck_assert_ptr_null(ix->where);
    ck_assert_ptr_null(ix->method);

    borch_table *posts = borch_schema_table(s, "posts");
    ck_assert_uint_eq(posts->ncolumns, 8);
    assert_column(posts, "id", "bigint", 0, NULL, 1); /* identity */
    assert_column(posts, "author_id", "integer", 0, NULL, 0);
    assert_column(posts, "editor_id", "integer", 1, NULL, 0);
    assert_column(posts, "tags", "text[]", 0, "'{}'::text[]", 0);
    assert_column(posts, "state", "status", 0, "'draft'::status", 0);
    assert_column(posts, "price", "numeric(10,2)", 1, NULL, 0);
    ck_assert_str_eq(posts->columns[7].name, "deleted_at");
    ck_assert_uint_eq(posts->nchecks, 1);
    ck_assert_str_eq(posts->checks[0].name, "posts_price_check");
    ck_assert_str_eq(posts->checks[0].expression, "price >= 0::numeric");
    ck_assert_uint_eq(posts->nforeign_keys, 2);
    assert_fk(&posts->foreign_keys[0], "posts_author_id_fkey", "author_id", "users", "id",
              "cascade", "no action");
    assert_fk(&posts->foreign_keys[1], "posts_editor_id_fkey", "editor_id", "users", "id",
              "set null", "restrict");
    ck_assert_uint_eq(posts->nindexes, 2); /* the primary key's index is not one */
    ix = borch_table_index(posts, "posts_live_idx");
    ck_assert_ptr_nonnull(ix);
    ck_assert_int_eq(ix->unique, 0);
    ck_assert_str_eq(ix->columns[0], "author_id");
    ck_assert_str_eq(ix->where, "deleted_at IS NULL");
    ck_assert_ptr_null(ix->method);
    ix = borch_table_index(posts, "posts_tags_idx");
    ck_assert_ptr_nonnull(ix);
    ck_assert_str_eq(ix->method, "gin");
    ck_assert_str_eq(ix->columns[0], "tags");
    ck_assert_int_eq(ix->expression, 0);

    borch_table *pt = borch_schema_table(s, "post_tags");
    assert_column(pt, "tag", "character varying(40)", 0, NULL, 0);
    ck_assert_uint_eq(pt->nprimary_key, 2); /* key order, not column order */
    ck_assert_str_eq(pt->primary_key[0], "tag");
    ck_assert_str_eq(pt->primary_key[1], "post_id");
    ck_assert_uint_eq(pt->nindexes, 0);
    ck_assert_uint_eq(pt->nforeign_keys, 1);
    assert_fk(&pt->foreign_keys[0], "post_tags_post_fk", "post_id", "posts", "id", "set default",
              "no action");

    ck_assert_uint_eq(s->nviews, 1);
    ck_assert_str_eq(s->views[0].name, "live_posts");
    ck_assert_str_eq(s->views[0].definition, "SELECT posts.id,\n    posts.title\n   FROM posts\n"
                                             "  WHERE posts.deleted_at IS NULL");
    ck_assert_uint_eq(s->nenums, 1);
    ck_assert_str_eq(s->enums[0].name, "status");
    ck_assert_uint_eq(s->enums[0].nvalues, 3);
    ck_assert_str_eq(s->enums[0].values[0], "draft");
    ck_assert_str_eq(s->enums[0].values[2], "archived");
    ck_assert_uint_eq(s->nsequences, 3);
    ck_assert_str_eq(s->sequences[0].name, "invoice_numbers");
    ck_assert_ptr_null(s->sequences[0].owned_by);
    ck_assert_str_eq(s->sequences[1].name, "posts_id_seq");
    ck_assert_str_eq(s->sequences[1].owned_by, "posts.id");
    ck_assert_str_eq(s->sequences[2].name, "users_id_seq");
    ck_assert_str_eq(s->sequences[2].owned_by, "users.id");

    /* serial and identity spell the same model */
    exec_ok(c, "CREATE TABLE a_serial (id serial); CREATE TABLE b_ident (id integer NOT NULL "
               "GENERATED BY DEFAULT AS IDENTITY);");
    borch_schema *s2 = NULL;
    ck_assert_int_eq(borch_conn_introspect(c, &s2, &e), 0);
    borch_column *a = borch_table_column(borch_schema_table(s2, "a_serial"), "id");
    borch_column *b = borch_table_column(borch_schema_table(s2, "b_ident"), "id");
    ck_assert_str_eq(a->type, b->type);
    ck_assert_int_eq(a->nullable, b->nullable);
    ck_assert_ptr_null(a->default_expr);
    ck_assert_ptr_null(b->default_expr);
    ck_assert_int_eq(a->identity, 1);
    ck_assert_int_eq(b->identity, 1);
    borch_schema_free(s2);

    /* introspection inside an open transaction sees its uncommitted DDL */
    ck_assert_int_eq(borch_conn_begin(c, &e), 0);
    exec_ok(c, "CREATE TABLE in_tx (id integer);");
    ck_assert_int_eq(borch_conn_introspect(c, &s2, &e), 0);
    ck_assert_ptr_nonnull(borch_schema_table(s2, "in_tx"));
    borch_schema_free(s2);
    ck_assert_int_eq(borch_conn_rollback(c, &e), 0);

    borch_schema_free(s);
    drop_schema(c);
}
END_TEST

START_TEST(introspect_empty_and_other_schema)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_empty");
    borch_conn *other = fresh_schema("pgt_other");
    exec_ok(other, "CREATE TABLE elsewhere (id integer PRIMARY KEY);");
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    ck_assert_uint_eq(s->ntables, 0);
    ck_assert_uint_eq(s->nviews, 0);
    ck_assert_uint_eq(s->nsequences, 0);
    borch_schema_free(s);
    drop_schema(other);
    drop_schema(c);

    /* without a schema: current_schema(); extension members (hypopg's views) are left out */
    c = open_conn(NULL);
    char *hypo = scalar(c, "SELECT count(*) FROM pg_views WHERE viewname = 'hypopg_list_indexes'"
                           " AND schemaname = current_schema()", 0, NULL);
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    if (strcmp(hypo, "1") == 0)
        ck_assert_ptr_null(borch_schema_view(s, "hypopg_list_indexes"));
    else
        fprintf(stderr, "postgres_driver: hypopg not installed in the test database\n");
    for (size_t i = 0; i < s->ntables; i++)
        ck_assert_msg(strncmp(s->tables[i].name, "borch_", 6) != 0, "%s", s->tables[i].name);
    free(hypo);
    borch_schema_free(s);
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(hostile_identifiers_are_quoted)
{
    NEED_SERVER();
    char *q = borch_postgres_driver.quote_ident("we\"ird tbl");
    ck_assert_str_eq(q, "\"we\"\"ird tbl\"");
    char *qc = borch_postgres_driver.quote_ident("Col; DROP TABLE x");
    ck_assert_str_eq(qc, "\"Col; DROP TABLE x\"");
    borch_conn *c = fresh_schema("pgt \"hostile\" schema");
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "CREATE TABLE %s (%s integer PRIMARY KEY);\n", q, qc);
    borch_buf_printf(&b, "INSERT INTO %s VALUES (7);\n", q);
    exec_ok(c, b.data);
    borch_buf_clear(&b);
    borch_buf_printf(&b, "SELECT %s FROM %s", qc, q);
    assert_scalar(c, b.data, "7");
    borch_buf_release(&b);
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    ck_assert_uint_eq(s->ntables, 1);
    ck_assert_str_eq(s->tables[0].name, "we\"ird tbl");
    ck_assert_str_eq(s->tables[0].columns[0].name, "Col; DROP TABLE x");
    ck_assert_str_eq(s->tables[0].primary_key[0], "Col; DROP TABLE x");
    borch_schema_free(s);
    free(q);
    free(qc);
    drop_schema(c);
}
END_TEST

/* ---- connecting --------------------------------------------------------- */

/* The test URL with another password (or port when port > 0). */
static char *url_with(const char *password, int port, const char *extra_query)
{
    borch_url *u = parse(server_url());
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "postgres://%s:%s@%s:%d/%s?sslmode=disable%s", u->user, password,
                     u->host, port > 0 ? port : u->port, u->database, extra_query);
    borch_url_free(u);
    return b.data;
}

START_TEST(wrong_password_is_connect_error_without_password)
{
    NEED_SERVER();
    char *text = url_with("Wr0ng-s3cret", 0, "");
    borch_url *u = parse(text);
    borch_conn *c = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_postgres_driver.connect(u, NULL, &c, &e), BORCH_ECONNECT);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(e.message, "Wr0ng-s3cret") == NULL, "password leaked: %s", e.message);
    ck_assert_msg(strstr(e.message, "password authentication failed") != NULL, "%s", e.message);
    ck_assert_msg(strstr(e.message, ":***@") != NULL, "no masked URL: %s", e.message);
    ck_assert_msg(strchr(e.message, '\n') == NULL, "multi-line: %s", e.message);
    ck_assert_int_eq(borch_error_exit_code(e.code), 3);
    borch_url_free(u);
    free(text);

    /* a password given as a libpq parameter is masked as well */
    borch_url *real = parse(server_url());
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "postgres://%s@%s:%d/%s?sslmode=disable&password=Wr0ng-param-pw",
                     real->user, real->host, real->port, real->database);
    borch_url_free(real);
    u = parse(b.data);
    borch_buf_release(&b);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_postgres_driver.connect(u, NULL, &c, &e), BORCH_ECONNECT);
    ck_assert_msg(strstr(e.message, "Wr0ng-param-pw") == NULL, "password leaked: %s", e.message);
    ck_assert_msg(strstr(e.message, "password=***") != NULL, "%s", e.message);
    borch_url_free(u);
}
END_TEST

START_TEST(unreachable_server_is_connect_error)
{
    NEED_SERVER();
    char *text = url_with("s3cret-pw", 1, "");
    borch_url *u = parse(text);
    borch_conn *c = NULL;
    borch_error e = {0};
    borch_conn_opts opts = {.connect_timeout_s = 2};
    ck_assert_int_eq(borch_postgres_driver.connect(u, &opts, &c, &e), BORCH_ECONNECT);
    ck_assert_msg(strstr(e.message, "s3cret-pw") == NULL, "password leaked: %s", e.message);
    ck_assert_msg(strstr(e.message, "could not connect to 'postgres://") != NULL, "%s", e.message);
    borch_url_free(u);
    free(text);
}
END_TEST

START_TEST(url_parameters_are_libpq_keywords)
{
    NEED_SERVER();
    char *text = url_with("x", 0, "&no_such_keyword=1");
    borch_url *u = parse(text);
    borch_conn *c = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_postgres_driver.connect(u, NULL, &c, &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "'no_such_keyword'") != NULL, "%s", e.message);
    ck_assert_msg(strstr(e.message, ":x@") == NULL, "password leaked: %s", e.message);
    borch_url_free(u);
    free(text);

    /* a real keyword reaches the server */
    borch_url *good = parse(server_url());
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "%s&application_name=from-url", good->raw);
    borch_url_free(good);
    u = parse(b.data);
    borch_buf_release(&b);
    ck_assert_int_eq(borch_postgres_driver.connect(u, NULL, &c, &e), 0);
    assert_scalar(c, "SHOW application_name", "from-url");
    borch_postgres_driver.close(c);
    borch_url_free(u);
}
END_TEST

/* ---- the migration lock ------------------------------------------------- */

START_TEST(second_connection_lock_times_out)
{
    NEED_SERVER();
    borch_conn *a = open_conn("pgt_lock");
    borch_conn *b = open_conn("pgt_lock");
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_lock(a, "borch_migrate", 1000, &e), 0);
    long long t0 = now_ms();
    ck_assert_int_eq(borch_conn_lock(b, "borch_migrate", 300, &e), BORCH_ELOCK);
    long long took = now_ms() - t0;
    ck_assert_msg(took >= 280 && took < 2000, "waited %lld ms", took);
    ck_assert_msg(strstr(e.message, "could not take the migration lock within 0.3 s") != NULL,
                  "%s", e.message);
    ck_assert_msg(strstr(e.message, "borch-test-pw") == NULL, "password leaked: %s", e.message);
    ck_assert_msg(strstr(e.hint, "held by server process") != NULL, "%s", e.hint);
    ck_assert_int_eq(borch_error_exit_code(e.code), 3);
    borch_error_clear(&e);
    /* another name is another lock; the same name in another schema too */
    ck_assert_int_eq(borch_conn_lock(b, "other", 0, &e), 0);
    ck_assert_int_eq(borch_conn_unlock(b, "other", &e), 0);
    borch_conn *elsewhere = open_conn("pgt_lock_other");
    ck_assert_int_eq(borch_conn_lock(elsewhere, "borch_migrate", 0, &e), 0);
    borch_postgres_driver.close(elsewhere);
    /* the lock survives a commit on its session */
    ck_assert_int_eq(borch_conn_begin(a, &e), 0);
    ck_assert_int_eq(borch_conn_commit(a, &e), 0);
    ck_assert_int_eq(borch_conn_lock(b, "borch_migrate", 0, &e), BORCH_ELOCK);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_conn_unlock(a, "borch_migrate", &e), 0);
    ck_assert_int_eq(borch_conn_lock(b, "borch_migrate", 300, &e), 0);
    /* unlocking what one does not hold is reported */
    ck_assert_int_eq(borch_conn_unlock(a, "borch_migrate", &e), BORCH_EFAIL);
    borch_error_clear(&e);
    /* closing the session releases the lock */
    borch_postgres_driver.close(b);
    ck_assert_int_eq(borch_conn_lock(a, "borch_migrate", 1000, &e), 0);
    ck_assert_int_eq(borch_conn_unlock(a, "borch_migrate", &e), 0);
    /* the lock is never taken inside a transaction */
    ck_assert_int_eq(borch_conn_begin(a, &e), 0);
    ck_assert_int_eq(borch_conn_lock(a, "borch_migrate", 100, &e), BORCH_EFAIL);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_conn_rollback(a, &e), 0);
    borch_postgres_driver.close(a);
}
END_TEST

struct waiter {
    int rc;
    long long took;
};

/* A second borch-db waiting for the lock while the first one migrates. */
static void *wait_for_lock(void *arg)
{
    struct waiter *w = arg;
    borch_conn *b = open_conn("pgt_cic");
    borch_error e = {0};
    long long t0 = now_ms();
    w->rc = borch_conn_lock(b, "borch_migrate", 2500, &e);
    w->took = now_ms() - t0;
    borch_error_clear(&e);
    borch_postgres_driver.close(b);
    return NULL;
}

START_TEST(notx_concurrent_index_under_lock_does_not_deadlock)
{
    NEED_SERVER();
    borch_conn *a = fresh_schema("pgt_cic");
    exec_ok(a, "CREATE TABLE big (id integer, v integer);"
               "INSERT INTO big SELECT g, g % 97 FROM generate_series(1, 20000) g;");
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_lock(a, "borch_migrate", 1000, &e), 0);
    struct waiter w = {0};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, wait_for_lock, &w), 0);
    usleep(300 * 1000); /* the waiter is polling now */
    long long t0 = now_ms();
    exec_ok(a, "CREATE INDEX CONCURRENTLY big_v_idx ON big (v);");
    long long took = now_ms() - t0;
    pthread_join(th, NULL);
    /* the build did not wait for the waiter to give up */
    ck_assert_msg(took < 2000, "CREATE INDEX CONCURRENTLY took %lld ms", took);
    ck_assert_int_eq(w.rc, BORCH_ELOCK);
    assert_scalar(a, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_v_idx'::regclass",
                  "t");
    ck_assert_int_eq(borch_conn_unlock(a, "borch_migrate", &e), 0);
    drop_schema(a);
}
END_TEST

/* ---- throwaway databases and plans ------------------------------------- */

START_TEST(scratch_database_is_created_and_dropped)
{
    NEED_SERVER();
    borch_url *server = parse(server_url());
    char *url = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_scratch_create(server, &url, &e) == 0, "%s", e.message);
    borch_url *su = parse(url);
    ck_assert_msg(strncmp(su->database, "borch_scratch_", 14) == 0, "%s", su->database);
    ck_assert_str_eq(borch_url_param(su, "sslmode"), "disable");
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_postgres_driver.connect(su, NULL, &c, &e), 0);
    exec_ok(c, "CREATE TABLE t (id integer);");
    assert_scalar(c, "SELECT current_database() LIKE 'borch\\_scratch\\_%'", "t");
    /* an open session does not stop the drop (WITH (FORCE)) */
    ck_assert_msg(borch_scratch_drop(server, url, &e) == 0, "%s", e.message);
    borch_postgres_driver.close(c);

    borch_conn *check = open_conn(NULL);
    const char *params[1] = {su->database};
    char *n = scalar(check, "SELECT count(*) FROM pg_database WHERE datname = $1", 1, params);
    ck_assert_str_eq(n, "0");
    free(n);
    borch_postgres_driver.close(check);
    /* dropping again is fine; dropping a real database is refused */
    ck_assert_int_eq(borch_scratch_drop(server, url, &e), 0);
    ck_assert_int_eq(borch_scratch_drop(server, server_url(), &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "not a borch-db throwaway database") != NULL, "%s", e.message);
    ck_assert_msg(strstr(e.message, "borch-test-pw") == NULL, "password leaked: %s", e.message);
    borch_url_free(su);
    free(url);
    borch_url_free(server);
}
END_TEST

START_TEST(scratch_falls_back_to_postgres_database)
{
    NEED_SERVER();
    borch_url *real = parse(server_url());
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "postgres://%s:%s@%s:%d/no_such_db?sslmode=disable", real->user,
                     real->password, real->host, real->port);
    borch_url *server = parse(b.data);
    borch_buf_release(&b);
    char *url = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_scratch_create(server, &url, &e) == 0, "%s", e.message);
    ck_assert_int_eq(borch_scratch_drop(server, url, &e), 0);
    free(url);
    borch_url_free(server);
    borch_url_free(real);
}
END_TEST

START_TEST(explain_reports_total_cost_without_running)
{
    NEED_SERVER();
    borch_conn *c = fresh_schema("pgt_explain");
    exec_ok(c, "CREATE TABLE t (id integer, v integer);"
               "INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g; ANALYZE t;");
    borch_plan p = {0};
    borch_error e = {0};
    ck_assert_msg(borch_conn_explain(c, "SELECT * FROM t WHERE v = 5", &p, &e) == 0, "%s",
                  e.message);
    ck_assert(p.total_cost > 0);
    ck_assert_msg(strstr(p.json, "\"Seq Scan\"") != NULL, "%s", p.json);
    ck_assert_msg(strstr(p.text, "Seq Scan on t") != NULL, "%s", p.text);
    double seq = p.total_cost;
    borch_plan_release(&p);
    exec_ok(c, "CREATE INDEX t_v_idx ON t (v); ANALYZE t;");
    ck_assert_int_eq(borch_conn_explain(c, "SELECT * FROM t WHERE v = 5", &p, &e), 0);
    ck_assert_msg(p.total_cost < seq, "index plan %f vs %f", p.total_cost, seq);
    borch_plan_release(&p);
    /* not run: a DELETE is only planned */
    ck_assert_int_eq(borch_conn_explain(c, "DELETE FROM t", &p, &e), 0);
    borch_plan_release(&p);
    assert_scalar(c, "SELECT count(*) FROM t", "1000");
    /* one statement only, and errors name the user's statement */
    ck_assert_int_eq(borch_conn_explain(c, "SELECT 1; DROP TABLE t", &p, &e), BORCH_ESQL);
    borch_error_clear(&e);
    assert_scalar(c, "SELECT to_regclass('t') IS NOT NULL", "t");
    ck_assert_int_eq(borch_conn_explain(c, "SELECT * FROM nope", &p, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42P01");
    ck_assert_str_eq(e.statement, "SELECT * FROM nope");
    borch_error_clear(&e);
    drop_schema(c);
}
END_TEST

#endif /* BORCH_WITH_POSTGRES */

Suite *suite_postgres_driver(void)
{
    Suite *s = suite_create("postgres_driver");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 60);
#ifdef BORCH_WITH_POSTGRES
    const char *url = getenv("BORCH_TEST_PG_URL"), *ci = getenv("CI");
    if ((!url || !*url) && !(ci && strcmp(ci, "true") == 0))
        fprintf(stderr, "postgres_driver: tests skipped, %s\n", NO_SERVER);
    tcase_add_test(tc, script_with_dollar_quoted_body_reports_failing_line);
    tcase_add_test(tc, script_syntax_error_reports_its_line);
    tcase_add_test(tc, unterminated_quote_falls_back_to_server_position);
    tcase_add_test(tc, sql_standard_function_body_is_one_statement);
    tcase_add_test(tc, copy_from_stdin_is_refused);
    tcase_add_test(tc, query_binds_text_params_and_nulls);
    tcase_add_test(tc, rollback_undoes_ddl);
    tcase_add_test(tc, introspect_realistic_schema);
    tcase_add_test(tc, introspect_empty_and_other_schema);
    tcase_add_test(tc, hostile_identifiers_are_quoted);
    tcase_add_test(tc, wrong_password_is_connect_error_without_password);
    tcase_add_test(tc, unreachable_server_is_connect_error);
    tcase_add_test(tc, url_parameters_are_libpq_keywords);
    tcase_add_test(tc, second_connection_lock_times_out);
    tcase_add_test(tc, notx_concurrent_index_under_lock_does_not_deadlock);
    tcase_add_test(tc, scratch_database_is_created_and_dropped);
    tcase_add_test(tc, scratch_falls_back_to_postgres_database);
    tcase_add_test(tc, explain_reports_total_cost_without_running);
#endif
    suite_add_tcase(s, tc);
    return s;
}
