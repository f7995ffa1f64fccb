/*
 * test_yaml_model.c - the declarative YAML model: the neutral type map per
 * engine, reading the documented example for each engine, writing models
 * back (round trips, determinism), agreement with what each engine's
 * introspection reports for the same schema built by hand (SQLite always;
 * PostgreSQL and MariaDB when their test servers are up), and every way a
 * model is refused, with its file:line:column.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/url.h"
#include "core/yaml_model.h"
#include "driver.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

static const char *const engines[] = {"sqlite", "postgres", "mysql"};

/* Parses text for engine; fails the test with the message on error. */
static borch_schema *parse_ok(const char *text, const char *engine)
{
    borch_schema *s = NULL;
    borch_error err = {0};
    int rc = borch_yaml_model_parse(text, strlen(text), "model.yaml", engine, &s, &err);
    ck_assert_msg(rc == 0, "%s: line %d col %d: %s", engine, err.line, err.column, err.message);
    borch_error_clear(&err);
    return s;
}

/* Expects text to be refused as BORCH_EINPUT at line:col with msg in the message. */
static void refused(const char *text, const char *engine, int line, int col, const char *msg)
{
    borch_schema *s = (borch_schema *)1;
    borch_error err = {0};
    int rc = borch_yaml_model_parse(text, strlen(text), "bad.yaml", engine, &s, &err);
    ck_assert_msg(rc == BORCH_EINPUT, "expected a refusal for:\n%s\n(rc %d)", text, rc);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.file, "bad.yaml");
    ck_assert_msg(err.line == line && err.column == col, "at %d:%d, expected %d:%d: %s", err.line,
                  err.column, line, col, err.message);
    ck_assert_msg(strstr(err.message, msg), "message '%s' lacks '%s'", err.message, msg);
    borch_error_clear(&err);
}

static char *example_path(void)
{
    return borch_path_join(BORCH_SOURCE_DIR, "docs/examples/shop.yaml");
}

static borch_schema *read_example(const char *engine)
{
    char *path = example_path();
    borch_schema *s = NULL;
    borch_error err = {0};
    int rc = borch_yaml_model_read(path, engine, &s, &err);
    ck_assert_msg(rc == 0, "%s: %s:%d:%d: %s", engine, err.file, err.line, err.column, err.message);
    free(path);
    return s;
}

static const borch_column *col(const borch_schema *s, const char *table, const char *name)
{
    const borch_table *t = borch_schema_table(s, table);
    ck_assert_ptr_nonnull(t);
    const borch_column *c = borch_table_column(t, name);
    ck_assert_msg(c != NULL, "no column %s.%s", table, name);
    return c;
}

/* ---- the type map ---- */

START_TEST(neutral_types_map_to_each_engines_reported_text)
{
    static const struct {
        const char *neutral, *text[3]; /* sqlite, postgres, mysql */
    } map[] = {
        {"integer", {"integer", "integer", "int"}},
        {"bigint", {"bigint", "bigint", "bigint"}},
        {"smallint", {"smallint", "smallint", "smallint"}},
        {"boolean", {"boolean", "boolean", "tinyint(1)"}},
        {"string(200)", {"varchar(200)", "character varying(200)", "varchar(200)"}},
        {"text", {"text", "text", "text"}},
        {"decimal(10,2)", {"decimal(10,2)", "numeric(10,2)", "decimal(10,2)"}},
        {"decimal(12)", {"decimal(12,0)", "numeric(12,0)", "decimal(12,0)"}},
        {"decimal", {"decimal", "numeric", "decimal(10,0)"}},
        {"float", {"real", "real", "float"}},
        {"double", {"double", "double precision", "double"}},
        {"date", {"date", "date", "date"}},
        {"time", {"time", "time without time zone", "time"}},
        {"timestamp", {"timestamp", "timestamp without time zone", "datetime"}},
        {"timestamp(3)", {"timestamp(3)", "timestamp(3) without time zone", "datetime(3)"}},
        {"timestamptz", {"timestamptz", "timestamp with time zone", "timestamp"}},
        {"json", {"json", "json", "json"}},
        {"uuid", {"uuid", "uuid", "char(36)"}},
        {"binary", {"blob", "bytea", "blob"}},
        {" String ( 20 ) ", {"varchar(20)", "character varying(20)", "varchar(20)"}},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        for (int e = 0; e < 3; e++) {
            char *out = NULL;
            borch_error err = {0};
            ck_assert_msg(borch_yaml_model_type(map[i].neutral, engines[e], &out, &err) == 0,
                          "%s: %s", map[i].neutral, err.message);
            ck_assert_msg(!strcmp(out, map[i].text[e]), "%s on %s: '%s', expected '%s'",
                          map[i].neutral, engines[e], out, map[i].text[e]);
            free(out);
        }
    }
}
END_TEST

START_TEST(bad_types_are_refused_with_a_suggestion)
{
    static const struct {
        const char *type, *msg;
    } bad[] = {
        {"strng(20)", "did you mean 'string'"},
        {"string", "needs a length"},
        {"string(0)", "needs a length"},
        {"integer(11)", "takes no arguments"},
        {"decimal(70,2)", "precision of 1 to 65"},
        {"decimal(5,6)", "precision of 1 to 65"},
        {"timestamp(9)", "0 to 6"},
        {"hyperloglog", "unknown type 'hyperloglog'"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *out = NULL;
        borch_error err = {0};
        ck_assert_int_eq(borch_yaml_model_type(bad[i].type, "postgres", &out, &err), BORCH_EINPUT);
        ck_assert_ptr_null(out);
        ck_assert_msg(strstr(err.message, bad[i].msg), "%s: '%s'", bad[i].type, err.message);
    }
    char *out = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_yaml_model_type("text", "oracle", &out, &err), BORCH_EUSAGE);
}
END_TEST

/* ---- reading ---- */

START_TEST(example_reads_for_postgres)
{
    borch_schema *s = read_example("postgres");
    ck_assert_str_eq(s->engine, "postgres");
    ck_assert_uint_eq(s->ntables, 3);
    ck_assert_str_eq(s->tables[0].name, "orders"); /* sorted */
    const borch_column *c = col(s, "users", "email");
    ck_assert_str_eq(c->type, "character varying(200)");
    ck_assert_int_eq(c->nullable, 0);
    ck_assert_str_eq(col(s, "users", "data")->type, "jsonb");
    ck_assert_str_eq(col(s, "users", "name")->default_expr, "'anonymous'::text");
    ck_assert_str_eq(col(s, "users", "created_at")->type, "timestamp with time zone");
    ck_assert_str_eq(col(s, "orders", "status")->type, "order_status");
    ck_assert_str_eq(col(s, "orders", "status")->default_expr, "'new'::order_status");
    ck_assert_str_eq(col(s, "orders", "total")->type, "numeric(10,2)");
    c = col(s, "users", "id");
    ck_assert_int_eq(c->identity, 1);
    ck_assert_int_eq(c->nullable, 0);
    const borch_table *u = borch_schema_table(s, "users");
    ck_assert_str_eq(u->primary_key_name, "users_pkey");
    ck_assert_uint_eq(u->nforeign_keys, 1);
    ck_assert_str_eq(u->foreign_keys[0].name, "users_org_id_fkey");
    ck_assert_str_eq(u->foreign_keys[0].ref_table, "orgs");
    ck_assert_str_eq(u->foreign_keys[0].on_delete, "cascade");
    ck_assert_str_eq(u->foreign_keys[0].on_update, "no action");
    const borch_index *ix = borch_table_index(u, "users_lower_name_idx");
    ck_assert_ptr_nonnull(ix);
    ck_assert_int_eq(ix->expression, 1);
    ck_assert_str_eq(ix->where, "name IS NOT NULL");
    ix = borch_table_index(u, "users_email_key");
    ck_assert_int_eq(ix->unique, 1);
    ck_assert_int_eq(ix->constraint, 0);
    ck_assert_int_eq(borch_table_index(borch_schema_table(s, "orgs"), "orgs_name_key")->constraint,
                     1);
    const borch_table *o = borch_schema_table(s, "orders");
    ck_assert_str_eq(o->foreign_keys[0].ref_columns[0], "id"); /* "references: users" = its key */
    ck_assert_str_eq(o->foreign_keys[0].on_delete, "set null");
    ck_assert_uint_eq(s->nenums, 1);
    ck_assert_uint_eq(s->enums[0].nvalues, 4);
    ck_assert_uint_eq(s->nsequences, 3); /* one per identity column, as PostgreSQL lists them */
    ck_assert_str_eq(s->sequences[0].name, "orders_id_seq");
    ck_assert_str_eq(s->sequences[0].owned_by, "orders.id");
    ck_assert_uint_eq(s->nviews, 1);
    borch_schema_free(s);
}
END_TEST

START_TEST(example_reads_for_mysql)
{
    borch_schema *s = read_example("mysql");
    ck_assert_str_eq(col(s, "users", "email")->type, "varchar(200)");
    ck_assert_str_eq(col(s, "users", "data")->type, "json");
    ck_assert_str_eq(col(s, "users", "created_at")->type, "timestamp");
    ck_assert_str_eq(col(s, "users", "created_at")->default_expr, "current_timestamp()");
    ck_assert_str_eq(col(s, "users", "name")->default_expr, "'anonymous'");
    ck_assert_str_eq(col(s, "orders", "status")->type, "enum('new','paid','shipped','cancelled')");
    ck_assert_str_eq(col(s, "orders", "total")->type, "decimal(10,2)");
    const borch_table *u = borch_schema_table(s, "users");
    ck_assert_ptr_null(u->primary_key_name);
    ck_assert_str_eq(u->foreign_keys[0].name, "users_ibfk_1");
    const borch_index *ix = borch_table_index(u, "users_lower_name_idx");
    ck_assert_ptr_null(ix); /* the index is for postgres and sqlite only */
    ck_assert_int_eq(borch_table_index(u, "users_email_key")->constraint, 1);
    ck_assert_uint_eq(s->nenums, 0);
    ck_assert_uint_eq(s->nsequences, 0);
    borch_schema_free(s);
}
END_TEST

START_TEST(example_reads_for_sqlite)
{
    borch_schema *s = read_example("sqlite");
    const borch_column *c = col(s, "users", "id");
    ck_assert_str_eq(c->type, "integer"); /* an identity is the rowid alias */
    ck_assert_int_eq(c->identity, 1);
    ck_assert_str_eq(col(s, "users", "email")->type, "varchar(200)");
    ck_assert_str_eq(col(s, "users", "data")->type, "json");
    ck_assert_str_eq(col(s, "orders", "status")->type, "text");
    ck_assert_str_eq(col(s, "users", "name")->default_expr, "'anonymous'");
    const borch_table *u = borch_schema_table(s, "users");
    ck_assert_ptr_null(u->primary_key_name);
    ck_assert_ptr_null(u->foreign_keys[0].name);
    ck_assert_ptr_null(u->comment);
    ck_assert_uint_eq(s->nsequences, 0);
    borch_schema_free(s);
}
END_TEST

START_TEST(shorthands_and_defaults)
{
    const char *y = "tables:\n"
                    "  t:\n"
                    "    columns:\n"
                    "      a: integer\n"
                    "      b: { type: text, null: no }\n"
                    "      c: { type: boolean, default: true }\n"
                    "      d: { type: integer, default: -1 }\n"
                    "    primary_key: a\n"
                    "    indexes:\n"
                    "      t_b_idx: [b]\n"
                    "    checks:\n"
                    "      - \"d > -5\"\n"
                    "      - { expression: { postgres: \"b <> ''\" } }\n";
    borch_schema *pg = parse_ok(y, "postgres"), *my = parse_ok(y, "mysql"),
                 *lite = parse_ok(y, "sqlite");
    const borch_table *t = &pg->tables[0];
    ck_assert_int_eq(t->columns[0].nullable, 0); /* a key column */
    ck_assert_int_eq(t->columns[0].identity, 0);
    ck_assert_int_eq(t->columns[1].nullable, 0);
    ck_assert_int_eq(t->columns[2].nullable, 1);
    ck_assert_str_eq(t->columns[3].default_expr, "'-1'::integer");
    ck_assert_str_eq(t->primary_key[0], "a");
    ck_assert_uint_eq(t->nchecks, 2);
    ck_assert_str_eq(t->checks[0].name, "t_check");
    ck_assert_str_eq(t->checks[1].name, "t_check1");
    ck_assert_str_eq(my->tables[0].columns[2].default_expr, "1");
    ck_assert_uint_eq(my->tables[0].nchecks, 1); /* the second is for postgres only */
    ck_assert_str_eq(my->tables[0].checks[0].name, "t_chk_1");
    /* SQLite: an INTEGER PRIMARY KEY is the rowid alias, an identity */
    ck_assert_int_eq(lite->tables[0].columns[0].identity, 1);
    ck_assert_ptr_null(lite->tables[0].checks[0].name);
    borch_schema_free(pg);
    borch_schema_free(my);
    borch_schema_free(lite);
}
END_TEST

START_TEST(overrides_are_normalized_to_the_engines_words)
{
    const char *y =
        "tables:\n"
        "  t:\n"
        "    columns:\n"
        "      a: { postgres: VARCHAR(20), mysql: 'INT(11) UNSIGNED', sqlite: 'Varchar ( 20 )' }\n"
        "      b: { postgres: timestamptz(3), mysql: bool, sqlite: text }\n"
        "      c: { postgres: 'int8[]', mysql: numeric(8), sqlite: text }\n";
    borch_schema *pg = parse_ok(y, "postgres"), *my = parse_ok(y, "mysql"),
                 *lite = parse_ok(y, "sqlite");
    ck_assert_str_eq(pg->tables[0].columns[0].type, "character varying(20)");
    ck_assert_str_eq(pg->tables[0].columns[1].type, "timestamp(3) with time zone");
    ck_assert_str_eq(pg->tables[0].columns[2].type, "bigint[]");
    ck_assert_str_eq(my->tables[0].columns[0].type, "int unsigned");
    ck_assert_str_eq(my->tables[0].columns[1].type, "tinyint(1)");
    ck_assert_str_eq(my->tables[0].columns[2].type, "decimal(8,0)");
    ck_assert_str_eq(lite->tables[0].columns[0].type, "varchar(20)");
    borch_schema_free(pg);
    borch_schema_free(my);
    borch_schema_free(lite);
}
END_TEST

START_TEST(empty_file_is_an_empty_schema)
{
    borch_schema *s = parse_ok("# nothing yet\n", "postgres");
    ck_assert_uint_eq(s->ntables, 0);
    borch_schema_free(s);
    s = parse_ok("{}\n", "sqlite");
    ck_assert_uint_eq(s->ntables, 0);
    borch_schema_free(s);
}
END_TEST

/* ---- writing ---- */

/* Renders s, reads the text back for s->engine, and expects the same model. */
static void assert_round_trip(const borch_schema *s)
{
    char *text = borch_yaml_model_render(s);
    ck_assert_ptr_nonnull(text);
    borch_schema *back = NULL;
    borch_error err = {0};
    int rc = borch_yaml_model_parse(text, strlen(text), "rendered.yaml", s->engine, &back, &err);
    ck_assert_msg(rc == 0, "%s:%d:%d: %s\n%s", s->engine, err.line, err.column, err.message, text);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(s, back, &diff);
    ck_assert_msg(n == 0, "%s round trip differs:\n%s\n%s", s->engine, diff.data, text);
    char *again = borch_yaml_model_render(back);
    ck_assert_str_eq(again, text); /* same model, same bytes */
    free(again);
    borch_buf_release(&diff);
    borch_schema_free(back);
    free(text);
}

START_TEST(example_round_trips_on_every_engine)
{
    for (int e = 0; e < 3; e++) {
        borch_schema *s = read_example(engines[e]);
        assert_round_trip(s);
        borch_schema_free(s);
    }
}
END_TEST

START_TEST(render_uses_neutral_types_and_leaves_out_what_is_implied)
{
    borch_schema *s = read_example("postgres");
    char *text = borch_yaml_model_render(s);
    ck_assert_ptr_nonnull(strstr(text, "      email: {type: string(200), null: false}\n"));
    ck_assert_ptr_nonnull(strstr(text, "      data: {postgres: jsonb}\n"));
    ck_assert_ptr_nonnull(strstr(text, "      user_id: bigint\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "      name: {type: text, default: \"'anonymous'::text\"}\n"));
    ck_assert_ptr_nonnull(strstr(text, "    primary_key: [id]\n"));
    ck_assert_ptr_nonnull(strstr(text, "  order_status: [new, paid, shipped, cancelled]\n"));
    ck_assert_ptr_null(strstr(text, "users_pkey"));        /* the default key name */
    ck_assert_ptr_null(strstr(text, "users_org_id_fkey")); /* the default foreign key name */
    ck_assert_ptr_null(strstr(text, "sequences"));         /* identity sequences */
    ck_assert_int_eq(strncmp(text, "# borch-db schema model (postgres)", 34), 0);
    free(text);
    borch_schema_free(s);
}
END_TEST

/* A model shaped like a PostgreSQL introspection, with what the neutral types do not cover. */
START_TEST(introspected_shapes_round_trip)
{
    borch_schema *s = borch_schema_new("postgres");
    borch_table *t = borch_schema_add_table(s, "events");
    borch_table_add_column(t, "id", "bigint", 0, NULL)->identity = 1;
    borch_table_add_column(t, "tags", "text[]", 1, "'{}'::text[]");
    borch_table_add_column(t, "at", "timestamp(3) with time zone", 0, "now()");
    borch_table_add_column(t, "kind", "character(4)", 1, NULL);
    borch_table_add_column(t, "on", "boolean", 1, "false");
    borch_table_add_column(t, "weird \"name\"", "integer", 1, NULL);
    borch_table_add_pk_column(t, "id");
    t->primary_key_name = strdup("events_primary");
    t->comment = strdup("what: happened");
    borch_index *ix = borch_table_add_index(t, "events_tags_gin", 0);
    borch_index_add_column(ix, "tags");
    ix->method = strdup("gin");
    ix = borch_table_add_index(t, "events_kind_key", 1);
    borch_index_add_column(ix, "kind");
    ix->constraint = 1;
    borch_table_add_check(t, "events_kind_check", "kind = ANY (ARRAY['a'::bpchar, 'b'::bpchar])");
    borch_schema_add_view(
        s, "recent",
        "SELECT events.id\n   FROM events\n  WHERE events.at > (now() - '1 day'::interval)");
    borch_schema_add_sequence(s, "events_id_seq", "events.id");
    borch_schema_add_sequence(s, "invoice_numbers", NULL);
    borch_schema_sort(s);
    assert_round_trip(s);
    borch_schema_free(s);

    s = borch_schema_new("mysql");
    t = borch_schema_add_table(s, "m");
    borch_table_add_column(t, "id", "int unsigned", 0, NULL)->identity = 1;
    borch_table_add_column(t, "flag", "tinyint(1)", 0, "0");
    borch_table_add_column(t, "state", "enum('On','off')", 1, NULL);
    borch_table_add_column(t, "body", "mediumtext", 1, NULL);
    borch_table_add_pk_column(t, "id");
    ix = borch_table_add_index(t, "m_body_prefix", 0);
    borch_index_add_column(ix, "body(10)");
    ix = borch_table_add_index(t, "m_ft", 0);
    borch_index_add_column(ix, "body");
    ix->method = strdup("fulltext");
    borch_foreign_key *fk = borch_table_add_foreign_key(t, "m_self", "m");
    borch_fk_add_pair(fk, "id", "id");
    free(fk->on_delete);
    fk->on_delete = strdup("restrict");
    borch_schema_sort(s);
    assert_round_trip(s);
    borch_schema_free(s);
}
END_TEST

START_TEST(write_goes_to_a_file)
{
    char *dir = make_temp_dir("yaml");
    char *path = borch_path_join(dir, "out/schema.yaml");
    borch_schema *s = read_example("sqlite");
    borch_error err = {0};
    ck_assert_int_eq(borch_yaml_model_write(s, path, &err), 0);
    borch_schema *back = NULL;
    ck_assert_int_eq(borch_yaml_model_read(path, "sqlite", &back, &err), 0);
    ck_assert_uint_eq(borch_schema_compare(s, back, NULL), 0);
    borch_schema_free(back);
    borch_schema_free(s);
    char *missing = borch_path_join(dir, "none.yaml");
    ck_assert_int_eq(borch_yaml_model_read(missing, "sqlite", &back, &err),
                     BORCH_EINPUT); /* no such file */
    ck_assert_ptr_nonnull(strstr(err.message, "none.yaml"));
    ck_assert_ptr_null(back);
    borch_error_clear(&err);
    free(missing);
    free(path);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(text_yaml_cannot_carry_is_refused_on_writing)
{
    borch_schema *s = borch_schema_new("sqlite");
    borch_table *t = borch_schema_add_table(s, "t");
    borch_table_add_column(t, "bad\xff\xfename", "text", 1, NULL);
    ck_assert_ptr_null(borch_yaml_model_render(s));
    borch_error err = {0};
    ck_assert_int_eq(borch_yaml_model_write(s, "/nonexistent/never.yaml", &err), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "invalid UTF-8"));
    borch_schema_free(s);
    /* UTF-8 itself is fine, and kept as is */
    s = borch_schema_new("postgres");
    t = borch_schema_add_table(s, "caf\xc3\xa9");
    borch_table_add_column(t, "n\xc3\xa4me", "text", 1, NULL);
    char *text = borch_yaml_model_render(s);
    ck_assert_ptr_nonnull(strstr(text, "  caf\xc3\xa9:\n"));
    free(text);
    assert_round_trip(s);
    borch_schema_free(s);
}
END_TEST

/* ---- agreement with the engines' own introspection ---- */

/* The example, written by hand in each dialect, as a user of that engine would. */
static const char *const example_ddl[3] = {
    /* sqlite */
    "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name VARCHAR(120) NOT NULL,"
    " CONSTRAINT orgs_name_key UNIQUE (name));\n"
    "CREATE TABLE users (id INTEGER PRIMARY KEY, org_id BIGINT NOT NULL REFERENCES orgs (id) ON "
    "DELETE CASCADE,"
    " email VARCHAR(200) NOT NULL, name TEXT DEFAULT 'anonymous', data JSON,"
    " created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " CONSTRAINT users_email_check CHECK (email <> ''));\n"
    "CREATE UNIQUE INDEX users_email_key ON users (email);\n"
    "CREATE INDEX users_org_id_idx ON users (org_id);\n"
    "CREATE INDEX users_lower_name_idx ON users (lower(name)) WHERE name IS NOT NULL;\n"
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id BIGINT, status TEXT NOT NULL DEFAULT "
    "'new',"
    " total DECIMAL(10,2) NOT NULL DEFAULT 0,"
    " CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,"
    " CONSTRAINT orders_total_check CHECK (total >= 0));\n"
    "CREATE VIEW active_users AS SELECT id, email FROM users WHERE name <> 'anonymous';\n",
    /* postgres */
    "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');\n"
    "CREATE TABLE orgs (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " name varchar(120) NOT NULL, CONSTRAINT orgs_name_key UNIQUE (name));\n"
    "CREATE TABLE users (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,"
    " email varchar(200) NOT NULL, name text DEFAULT 'anonymous', data jsonb,"
    " created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " CONSTRAINT users_email_check CHECK (email <> ''));\n"
    "CREATE UNIQUE INDEX users_email_key ON users (email);\n"
    "CREATE INDEX users_org_id_idx ON users (org_id);\n"
    "CREATE INDEX users_lower_name_idx ON users (lower(name)) WHERE name IS NOT NULL;\n"
    "CREATE TABLE orders (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, user_id bigint,"
    " status order_status NOT NULL DEFAULT 'new', total numeric(10,2) NOT NULL DEFAULT 0,"
    " CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,"
    " CONSTRAINT orders_total_check CHECK (total >= 0));\n"
    "CREATE VIEW active_users AS SELECT id, email FROM users WHERE name <> 'anonymous';\n",
    /* mysql */
    "CREATE TABLE orgs (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(120) NOT NULL,"
    " CONSTRAINT orgs_name_key UNIQUE (name));\n"
    "CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, org_id BIGINT NOT NULL,"
    " email VARCHAR(200) NOT NULL, name TEXT DEFAULT 'anonymous', data JSON,"
    " created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " CONSTRAINT users_ibfk_1 FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,"
    " CONSTRAINT users_email_check CHECK (email <> ''));\n"
    "CREATE UNIQUE INDEX users_email_key ON users (email);\n"
    "CREATE INDEX users_org_id_idx ON users (org_id);\n"
    "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT,"
    " status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',"
    " total DECIMAL(10,2) NOT NULL DEFAULT 0,"
    " CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,"
    " CONSTRAINT orders_total_check CHECK (total >= 0));\n"
    "CREATE VIEW active_users AS SELECT id, email FROM users WHERE name <> 'anonymous';\n",
};

/*
 * Builds the example by hand on url's engine, introspects it and compares
 * tables, columns, keys and indexes with the YAML model (views and check
 * texts are the engine's deparse, compared by name only).
 */
static void compare_with_engine(const char *url_text, int engine)
{
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(url_text, NULL, &url, &err), 0);
    borch_conn_opts opts = {.create = 1, .connect_timeout_s = 5};
    borch_conn *conn = NULL;
    int rc = borch_conn_open(url, &opts, &conn, &err);
    ck_assert_msg(rc == 0, "open: %s", err.message);
    rc = borch_conn_exec(conn, example_ddl[engine], NULL, 1, &err);
    ck_assert_msg(rc == 0, "ddl: %s (line %d)", err.message, err.line);
    borch_schema *live = NULL;
    rc = borch_conn_introspect(conn, &live, &err);
    ck_assert_msg(rc == 0, "introspect: %s", err.message);
    borch_conn_close(conn);
    borch_url_free(url);
    borch_schema *want = read_example(engines[engine]);
    /* views and check expressions come back in the engine's own words */
    for (size_t i = 0; i < live->nviews && i < want->nviews; i++) {
        free(live->views[i].definition);
        live->views[i].definition = borch_xstrdup(want->views[i].definition);
    }
    for (size_t i = 0; i < live->ntables && i < want->ntables; i++)
        for (size_t j = 0; j < live->tables[i].nchecks && j < want->tables[i].nchecks; j++) {
            free(live->tables[i].checks[j].expression);
            live->tables[i].checks[j].expression =
                borch_xstrdup(want->tables[i].checks[j].expression);
        }
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(live, want, &diff);
    ck_assert_msg(n == 0, "%s: the YAML model and the live schema differ:\n%s", engines[engine],
                  diff.data);
    /* and what inspect would write reads back to the live model */
    assert_round_trip(live);
    borch_buf_release(&diff);
    borch_schema_free(live);
    borch_schema_free(want);
}

/* Every neutral type, as one table. */
static const char all_types_yaml[] = "tables:\n"
                                     "  every_type:\n"
                                     "    columns:\n"
                                     "      c_integer: integer\n"
                                     "      c_bigint: bigint\n"
                                     "      c_smallint: smallint\n"
                                     "      c_boolean: boolean\n"
                                     "      c_string: string(200)\n"
                                     "      c_text: text\n"
                                     "      c_decimal: decimal(10,2)\n"
                                     "      c_decimal_p: decimal(12)\n"
                                     "      c_float: float\n"
                                     "      c_double: double\n"
                                     "      c_date: date\n"
                                     "      c_time: time\n"
                                     "      c_timestamp: timestamp\n"
                                     "      c_timestamp3: timestamp(3)\n"
                                     "      c_timestamptz: { type: timestamptz, null: true }\n"
                                     "      c_json: json\n"
                                     "      c_uuid: uuid\n"
                                     "      c_binary: binary\n";

/*
 * Creates the all-types table on url's engine from the model's own type
 * texts, and expects introspection to report exactly those texts.
 */
static void types_on_engine(const char *url_text, int engine)
{
    borch_schema *want = parse_ok(all_types_yaml, engines[engine]);
    const borch_table *t = &want->tables[0];
    borch_buf ddl;
    borch_buf_init(&ddl);
    borch_buf_printf(&ddl, "CREATE TABLE %s (", t->name);
    for (size_t i = 0; i < t->ncolumns; i++)
        borch_buf_printf(&ddl, "%s%s %s%s", i ? ", " : "", t->columns[i].name, t->columns[i].type,
                         /* MariaDB's first TIMESTAMP column is NOT NULL unless told */
                         engine == 2 && !strcmp(t->columns[i].type, "timestamp") ? " NULL" : "");
    borch_buf_puts(&ddl, ")");
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(url_text, NULL, &url, &err), 0);
    borch_conn_opts opts = {.create = 1, .connect_timeout_s = 5};
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &opts, &conn, &err), 0);
    int rc = borch_conn_exec(conn, ddl.data, NULL, 1, &err);
    ck_assert_msg(rc == 0, "%s: %s", ddl.data, err.message);
    borch_schema *live = NULL;
    ck_assert_int_eq(borch_conn_introspect(conn, &live, &err), 0);
    borch_conn_close(conn);
    borch_url_free(url);
    borch_buf diff;
    borch_buf_init(&diff);
    size_t n = borch_schema_compare(live, want, &diff);
    ck_assert_msg(n == 0, "%s types differ:\n%s", engines[engine], diff.data);
    assert_round_trip(live);
    borch_buf_release(&diff);
    borch_buf_release(&ddl);
    borch_schema_free(live);
    borch_schema_free(want);
}

START_TEST(every_neutral_type_is_what_each_engine_reports)
{
    char *dir = make_temp_dir("yaml-types");
    char url[1024];
    snprintf(url, sizeof(url), "sqlite://%s/types.db", dir);
    types_on_engine(url, 0);
    rm_rf(dir);
    free(dir);
    static const char *const envs[] = {NULL, "BORCH_TEST_PG_URL", "BORCH_TEST_MYSQL_URL"};
    for (int e = 1; e < 3; e++) {
        const char *server_text = getenv(envs[e]);
        if (!server_text || !*server_text) {
            fprintf(stderr, "yaml_model: %s not set, skipping the %s type check\n", envs[e],
                    engines[e]);
            continue;
        }
        borch_url *server = NULL;
        borch_error err = {0};
        ck_assert_int_eq(borch_url_parse(server_text, NULL, &server, &err), 0);
        char *scratch = NULL;
        ck_assert_int_eq(borch_scratch_create(server, &scratch, &err), 0);
        types_on_engine(scratch, e);
        ck_assert_int_eq(borch_scratch_drop(server, scratch, &err), 0);
        free(scratch);
        borch_url_free(server);
    }
}
END_TEST

START_TEST(model_matches_sqlite_introspection)
{
    char *dir = make_temp_dir("yaml-sqlite");
    char url[1024];
    snprintf(url, sizeof(url), "sqlite://%s/shop.db", dir);
    compare_with_engine(url, 0);
    rm_rf(dir);
    free(dir);
}
END_TEST

/* The same against a scratch database of a server named by env, when it is set. */
static void compare_on_server(const char *env, int engine)
{
    const char *server_text = getenv(env);
    if (!server_text || !*server_text) {
        fprintf(stderr, "yaml_model: %s not set, skipping the %s introspection check\n", env,
                engines[engine]);
        return;
    }
    borch_url *server = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(server_text, NULL, &server, &err), 0);
    char *scratch = NULL;
    int rc = borch_scratch_create(server, &scratch, &err);
    ck_assert_msg(rc == 0, "scratch: %s", err.message);
    compare_with_engine(scratch, engine);
    ck_assert_int_eq(borch_scratch_drop(server, scratch, &err), 0);
    free(scratch);
    borch_url_free(server);
}

START_TEST(model_matches_postgres_introspection)
{
    compare_on_server("BORCH_TEST_PG_URL", 1);
}
END_TEST

START_TEST(model_matches_mysql_introspection)
{
    compare_on_server("BORCH_TEST_MYSQL_URL", 2);
}
END_TEST

/*
 * Takes the engine's deparse of checks and views from live into want (by
 * name): the one thing the reader leaves to the engine (see
 * borch_yaml_model_apply).
 */
static void take_engine_texts(borch_schema *want, const borch_schema *live)
{
    for (size_t i = 0; i < want->nviews; i++) {
        const borch_view *v = borch_schema_view(live, want->views[i].name);
        if (v) {
            free(want->views[i].definition);
            want->views[i].definition = borch_xstrdup(v->definition);
        }
    }
    for (size_t i = 0; i < want->ntables; i++) {
        borch_table *t = &want->tables[i];
        const borch_table *lt = borch_schema_table(live, t->name);
        for (size_t j = 0; lt && j < t->nchecks; j++)
            for (size_t k = 0; k < lt->nchecks; k++)
                if (t->checks[j].name && lt->checks[k].name &&
                    !strcmp(t->checks[j].name, lt->checks[k].name)) {
                    free(t->checks[j].expression);
                    t->checks[j].expression = borch_xstrdup(lt->checks[k].expression);
                }
    }
}

/*
 * The path `diff --to model.yaml` takes: the example built in an empty
 * database by borch_yaml_model_apply (diffed, rendered by the engine's
 * driver, run); the database then introspects as the model, and a second
 * diff finds nothing to do.
 */
static void apply_model(const char *url_text, int engine)
{
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(url_text, NULL, &url, &err), 0);
    borch_conn_opts opts = {.create = 1, .connect_timeout_s = 5};
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &opts, &conn, &err), 0);
    borch_schema *want = read_example(engines[engine]);
    int rc = borch_yaml_model_apply(conn, want, &err);
    if (rc == BORCH_EUNSUPPORTED) {
        fprintf(stderr, "yaml_model: %s, skipping its apply check\n", err.message);
    } else {
        ck_assert_msg(rc == 0, "%s: apply: %s\n%s", engines[engine], err.message,
                      err.statement ? err.statement : "");
        borch_schema *live = NULL;
        ck_assert_int_eq(borch_conn_introspect(conn, &live, &err), 0);
        if (engine != 0) /* SQLite keeps the text as written */
            take_engine_texts(want, live);
        borch_changes again = {0};
        ck_assert_int_eq(borch_diff(live, want, &again, &err), 0);
        borch_buf left;
        borch_buf_init(&left);
        for (size_t i = 0; i < again.count; i++) {
            char *d = borch_change_describe(&again.items[i]);
            borch_buf_printf(&left, "%s\n", d);
            free(d);
        }
        ck_assert_msg(again.count == 0, "%s: after applying, still to do:\n%s", engines[engine],
                      left.data);
        /* applying the same model again has nothing to do */
        ck_assert_int_eq(borch_yaml_model_apply(conn, live, &err), 0);
        borch_buf_release(&left);
        borch_changes_release(&again);
        borch_schema_free(live);
    }
    borch_error_clear(&err);
    borch_schema_free(want);
    borch_conn_close(conn);
    borch_url_free(url);
}

START_TEST(a_model_the_engine_refuses_is_bad_input)
{
    char *dir = make_temp_dir("yaml-refused");
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s/refused.db", dir);
    borch_url *url = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_url_parse(text, NULL, &url, &err), 0);
    borch_conn_opts opts = {.create = 1};
    borch_conn *conn = NULL;
    ck_assert_int_eq(borch_conn_open(url, &opts, &conn, &err), 0);
    borch_schema *s = parse_ok("tables:\n  t:\n    columns: { a: text }\n"
                               "    checks: [ \"a <>\" ]\n",
                               "sqlite");
    ck_assert_int_eq(borch_yaml_model_apply(conn, s, &err), BORCH_EINPUT);
    ck_assert_ptr_nonnull(err.statement);
    ck_assert_ptr_nonnull(strstr(err.statement, "a <>"));
    borch_error_clear(&err);
    borch_schema_free(s);
    borch_conn_close(conn);
    borch_url_free(url);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(applied_model_introspects_as_the_model)
{
    char *dir = make_temp_dir("yaml-apply");
    char url[1024];
    snprintf(url, sizeof(url), "sqlite://%s/applied.db", dir);
    apply_model(url, 0);
    rm_rf(dir);
    free(dir);
    static const char *const envs[] = {NULL, "BORCH_TEST_PG_URL", "BORCH_TEST_MYSQL_URL"};
    for (int e = 1; e < 3; e++) {
        const char *server_text = getenv(envs[e]);
        if (!server_text || !*server_text) {
            fprintf(stderr, "yaml_model: %s not set, skipping the %s apply check\n", envs[e],
                    engines[e]);
            continue;
        }
        borch_url *server = NULL;
        borch_error err = {0};
        ck_assert_int_eq(borch_url_parse(server_text, NULL, &server, &err), 0);
        char *scratch = NULL;
        ck_assert_int_eq(borch_scratch_create(server, &scratch, &err), 0);
        apply_model(scratch, e);
        ck_assert_int_eq(borch_scratch_drop(server, scratch, &err), 0);
        free(scratch);
        borch_url_free(server);
    }
}
END_TEST

/* ---- refusals, each with its position ---- */

START_TEST(unknown_type_is_refused_with_its_position)
{
    refused("tables:\n  t:\n    columns:\n      a: { type: strng(20) }\n", "postgres", 4, 18,
            "unknown type 'strng(20)' for column 't.a', did you mean 'string'?");
    /* checked whatever the target engine */
    refused("tables:\n  t:\n    columns:\n      a: { type: jsonx, postgres: jsonb }\n", "postgres",
            4, 18, "unknown type 'jsonx'");
    refused("tables:\n  t:\n    columns:\n      a: varchar(20)\n", "sqlite", 4, 10,
            "give the engine's own type under");
    refused("tables:\n  t:\n    columns:\n      a: { type: string }\n", "mysql", 4, 18,
            "needs a length");
    refused("tables:\n  t:\n    columns:\n      a: { type: decimal(10,2) }\n", "mysql", 4, 29,
            "quote a type such as \"decimal(10,2)\"");
    refused("tables:\n  t:\n    columns:\n      a: { postgres: jsonb }\n", "mysql", 4, 7,
            "column 't.a' has no type for mysql: give 'type' (a neutral type) or 'mysql'");
}
END_TEST

START_TEST(foreign_key_to_missing_table_or_column_is_refused)
{
    const char *head = "tables:\n"
                       "  orgs:\n"
                       "    columns: { id: bigint }\n"
                       "    primary_key: [id]\n"
                       "  users:\n"
                       "    columns: { id: bigint, org_id: bigint }\n"
                       "    foreign_keys:\n";
    char buf[2048];
    snprintf(buf, sizeof(buf), "%s      - { columns: [org_id], references: org(id) }\n", head);
    refused(buf, "postgres", 8, 42,
            "references table 'org', which the model does not have; did you mean 'orgs'?");
    snprintf(buf, sizeof(buf), "%s      - { columns: [org_id], references: orgs(uid) }\n", head);
    refused(buf, "postgres", 8, 42,
            "references column 'orgs.uid', which does not exist; did you mean 'id'?");
    snprintf(buf, sizeof(buf), "%s      - { columns: [orgid], references: orgs(id) }\n", head);
    refused(buf, "sqlite", 8, 21,
            "names column 'orgid', which table 'users' does not have; did you mean 'org_id'?");
    snprintf(buf, sizeof(buf), "%s      - { columns: [id, org_id], references: orgs(id) }\n", head);
    refused(buf, "mysql", 8, 46, "has 2 column(s) but references 1");
    snprintf(buf, sizeof(buf),
             "%s      - { columns: [org_id], references: orgs, on_delete: cascde }\n", head);
    refused(buf, "postgres", 8, 59,
            "'on_delete' 'cascde' is not an action; did you mean 'cascade'?");
    snprintf(buf, sizeof(buf),
             "%s      - { columns: [org_id], references: { table: orgs, column: [id] } }\n", head);
    refused(buf, "postgres", 8, 57, "unknown key 'column'");
    snprintf(buf, sizeof(buf), "%s      - { columns: [org_id] }\n", head);
    refused(buf, "postgres", 8, 9, "needs 'columns' and 'references'");
    refused("tables:\n  a:\n    columns: { x: bigint }\n  b:\n    columns: { y: bigint }\n"
            "    foreign_keys: [{ columns: [y], references: a }]\n",
            "postgres", 6, 48, "references table 'a', which has no primary key; name the columns");
}
END_TEST

START_TEST(keys_naming_missing_columns_are_refused)
{
    refused("tables:\n  t:\n    columns: { id: bigint }\n    primary_key: [idd]\n", "postgres", 4,
            19,
            "the primary key of table 't' names column 'idd', which table 't' does not have; did "
            "you mean 'id'?");
    refused("tables:\n  t:\n    columns: { id: bigint, id2: bigint }\n    primary_key: [id, id]\n",
            "sqlite", 4, 23, "names column 'id' twice");
    refused("tables:\n  t:\n    columns: { email: text }\n    indexes:\n      t_i: { columns: "
            "[emial] }\n",
            "postgres", 5, 24, "index 't_i' of table 't' names column 'emial'");
    /* also when the index is for other engines only */
    refused("tables:\n  t:\n    columns: { email: text }\n    indexes:\n"
            "      t_i: { columns: [emial], engines: [postgres] }\n",
            "mysql", 5, 24, "names column 'emial'");
    refused("tables:\n  t:\n    columns: { email: text }\n    indexes:\n"
            "      t_i: { columns: [email], engines: [postgers] }\n",
            "mysql", 5, 42, "names unknown engine 'postgers', did you mean 'postgres'?");
    /* an expression is not a typo */
    borch_schema *s = parse_ok("tables:\n  t:\n    columns: { email: text }\n    indexes:\n"
                               "      t_i: { columns: [\"lower(email)\"] }\n",
                               "postgres");
    ck_assert_int_eq(s->tables[0].indexes[0].expression, 1);
    borch_schema_free(s);
}
END_TEST

START_TEST(unknown_keys_are_refused_with_the_closest_key)
{
    refused("tabels:\n  t: {}\n", "postgres", 1, 1,
            "unknown key 'tabels' in bad.yaml, did you mean 'tables'?");
    refused("tables:\n  t:\n    columns: { id: bigint }\n    primary_keys: [id]\n", "postgres", 4,
            5, "unknown key 'primary_keys' in table 't', did you mean 'primary_key'?");
    refused("tables:\n  t:\n    columns:\n      id: { type: bigint, nul: false }\n", "mysql", 4, 27,
            "unknown key 'nul' in column 't.id', did you mean 'null'?");
    refused("tables:\n  t:\n    columns: { id: bigint }\n    indexes:\n      i: { columns: [id], "
            "uniq: true }\n",
            "sqlite", 5, 27, "did you mean 'unique'?");
    refused("views:\n  v: { postgers: 'SELECT 1' }\n", "postgres", 2, 8,
            "did you mean 'postgres'?");
    refused("tables:\n  t:\n    columns: { id: bigint }\n    zzzzzzzz: 1\n", "postgres", 4, 5,
            "(known: columns, primary_key, indexes, foreign_keys, checks, comment)");
}
END_TEST

START_TEST(duplicate_names_are_refused)
{
    refused("tables:\n  t:\n    columns: { a: text }\n  t:\n    columns: { b: text }\n", "postgres",
            4, 3, "duplicate name 't' under 'tables' (first at line 2)");
    refused("tables:\n  t:\n    columns:\n      a: text\n      a: integer\n", "sqlite", 5, 7,
            "duplicate name 'a' under 'columns' of table 't'");
    /* PostgreSQL and SQLite index names are schema-wide */
    const char *two = "tables:\n  a:\n    columns: { x: text }\n    indexes: { ix: [x] }\n"
                      "  b:\n    columns: { y: text }\n    indexes: { ix: [y] }\n";
    refused(two, "postgres", 7, 16, "index name 'ix' is already used by index 'ix' (line 4)");
    refused(two, "sqlite", 7, 16, "already used by index");
    borch_schema *s = parse_ok(two, "mysql"); /* MySQL's are per table */
    borch_schema_free(s);
    refused("tables:\n  v:\n    columns: { x: text }\nviews:\n  v: SELECT 1\n", "postgres", 5, 3,
            "view name 'v' is already used by table 'v' (line 2)");
    refused("tables:\n  t:\n    columns: { x: text }\n    checks:\n      - { name: c, expression: "
            "x <> '' }\n"
            "      - { name: c, expression: x <> 'a' }\n",
            "mysql", 6, 17, "duplicate constraint name 'c' in table 't'");
    refused("enums:\n  e: [a, b, a]\n", "postgres", 2, 13, "duplicate value 'a' in enum 'e'");
}
END_TEST

START_TEST(engine_rules_are_checked_before_any_database)
{
    refused("tables:\n  t:\n    columns:\n      a: { type: text, identity: true }\n", "postgres", 4,
            34, "identity needs an integer type, and column 't.a' is 'text'");
    refused(
        "tables:\n  t:\n    columns:\n      a: { type: bigint, identity: true }\n      b: bigint\n"
        "    primary_key: [a, b]\n",
        "sqlite", 4, 7, "must be the whole primary key on sqlite");
    refused("tables:\n  t:\n    columns:\n      a: { type: bigint, identity: true }\n", "mysql", 4,
            7, "must come first in a key on mysql");
    refused("tables:\n  t:\n    columns:\n      a: { type: bigint, null: true }\n    primary_key: "
            "[a]\n",
            "postgres", 4, 7, "primary key column 't.a' cannot allow NULL on postgres");
    refused("tables:\n  t:\n    columns: { a: text }\n    indexes:\n      i: { columns: [a], "
            "where: a <> '' }\n",
            "mysql", 5, 33, "which mysql does not support");
    char y[512];
    snprintf(y, sizeof(y), "tables:\n  %s:\n    columns: { a: text }\n",
             "a_table_name_that_is_much_longer_than_sixty_three_bytes_allows_it");
    refused(y, "postgres", 2, 3, "longer than postgres's limit of 63 bytes");
    borch_schema *s = parse_ok(y, "sqlite");
    borch_schema_free(s);
    borch_error err = {0};
    s = (borch_schema *)1;
    ck_assert_int_eq(borch_yaml_model_parse("{}", 2, "m.yaml", "oracle", &s, &err), BORCH_EUSAGE);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.message, "unknown engine 'oracle' (known: sqlite, postgres, mysql)");
}
END_TEST

START_TEST(malformed_documents_are_refused)
{
    refused("tables:\n  t: [\n", "postgres", 3, 1, "malformed YAML");
    refused("- a\n- b\n", "postgres", 1, 1,
            "must be a mapping (tables, views, enums, sequences), not a list");
    refused("tables:\n  t:\n    columns: {}\n", "postgres", 3, 14, "table 't' has no columns");
    refused("tables:\n  t:\n", "postgres", 2, 3, "table 't' has no columns");
    refused("tables: {}\n---\ntables: {}\n", "postgres", 3, 1, "more than one YAML document");
    refused("tables:\n  t:\n    columns: { a: { type: text, null: maybe } }\n", "postgres", 3, 39,
            "'null' must be true or false");
    refused("sequences:\n  s: { owned_by: t.x }\n", "postgres", 2, 18,
            "must name an existing table.column");
}
END_TEST

/*
 * No input crashes, leaks or is refused without a position: every prefix of
 * the example, and the example with each structural character changed.
 */
START_TEST(mangled_examples_never_crash)
{
    char *path = example_path(), *text = NULL;
    size_t len = 0;
    borch_error err = {0};
    ck_assert_int_eq(borch_read_file(path, &text, &len, &err), 0);
    size_t accepted = 0, refused_n = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        borch_schema *s = NULL;
        int rc = borch_yaml_model_parse(text, cut, "cut.yaml", engines[cut % 3], &s, &err);
        ck_assert_msg(rc == 0 || (rc == BORCH_EINPUT && err.line > 0), "cut %zu: rc %d, %s", cut,
                      rc, err.message);
        rc == 0 ? accepted++ : refused_n++;
        borch_schema_free(s);
        borch_error_clear(&err);
    }
    static const char swaps[] = ":{}[],-'\"#|";
    for (size_t i = 0; i < len; i++) {
        if (!strchr(swaps, text[i]))
            continue;
        char keep = text[i];
        text[i] = swaps[(i + 3) % (sizeof(swaps) - 1)];
        borch_schema *s = NULL;
        int rc = borch_yaml_model_parse(text, len, "swap.yaml", engines[i % 3], &s, &err);
        ck_assert_msg(rc == 0 || (rc == BORCH_EINPUT && err.line > 0), "swap at %zu: rc %d, %s", i,
                      rc, err.message);
        borch_schema_free(s);
        borch_error_clear(&err);
        text[i] = keep;
    }
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_gt(refused_n, 0);
    free(text);
    free(path);
}
END_TEST

Suite *suite_yaml_model(void)
{
    Suite *s = suite_create("yaml_model");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, neutral_types_map_to_each_engines_reported_text);
    tcase_add_test(tc, bad_types_are_refused_with_a_suggestion);
    tcase_add_test(tc, example_reads_for_postgres);
    tcase_add_test(tc, example_reads_for_mysql);
    tcase_add_test(tc, example_reads_for_sqlite);
    tcase_add_test(tc, shorthands_and_defaults);
    tcase_add_test(tc, overrides_are_normalized_to_the_engines_words);
    tcase_add_test(tc, empty_file_is_an_empty_schema);
    tcase_add_test(tc, example_round_trips_on_every_engine);
    tcase_add_test(tc, render_uses_neutral_types_and_leaves_out_what_is_implied);
    tcase_add_test(tc, introspected_shapes_round_trip);
    tcase_add_test(tc, write_goes_to_a_file);
    tcase_add_test(tc, text_yaml_cannot_carry_is_refused_on_writing);
    tcase_add_test(tc, every_neutral_type_is_what_each_engine_reports);
    tcase_add_test(tc, model_matches_sqlite_introspection);
    tcase_add_test(tc, model_matches_postgres_introspection);
    tcase_add_test(tc, model_matches_mysql_introspection);
    tcase_add_test(tc, applied_model_introspects_as_the_model);
    tcase_add_test(tc, a_model_the_engine_refuses_is_bad_input);
    tcase_add_test(tc, unknown_type_is_refused_with_its_position);
    tcase_add_test(tc, foreign_key_to_missing_table_or_column_is_refused);
    tcase_add_test(tc, keys_naming_missing_columns_are_refused);
    tcase_add_test(tc, unknown_keys_are_refused_with_the_closest_key);
    tcase_add_test(tc, duplicate_names_are_refused);
    tcase_add_test(tc, engine_rules_are_checked_before_any_database);
    tcase_add_test(tc, malformed_documents_are_refused);
    tcase_add_test(tc, mangled_examples_never_crash);
    suite_add_tcase(s, tc);
    return s;
}
