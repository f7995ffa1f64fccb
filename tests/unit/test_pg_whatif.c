/*
 * test_pg_whatif.c - the PostgreSQL what-if session (HypoPG) against a
 * real server (BORCH_TEST_PG_URL, started by tests/support/servers.sh,
 * which installs hypopg into template1). The suite builds one throwaway
 * database with a schema "shop" of customers and orders (tens of thousands
 * of rows, analysed) and drops it at the end; the hypopg functions live in
 * "public", off the connection's search_path, as they would on a target
 * with its own schema.
 *
 * Without BORCH_TEST_PG_URL the tests say so and pass, except under
 * CI=true, where a missing server is a failure.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

#ifdef BORCH_WITH_POSTGRES

extern const borch_driver borch_postgres_driver;

#define NO_SERVER                                                                                  \
    "no PostgreSQL test server: set BORCH_TEST_PG_URL (tests/support/servers.sh start)"

static char *db_url; /* the suite's throwaway database, made by the fixture */

/* The test server's URL, or NULL (a failure under CI=true). */
static const char *server_url(void)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg(NO_SERVER);
    return NULL;
}

#define NEED_SERVER()                                                                              \
    do {                                                                                           \
        if (!server_url())                                                                         \
            return;                                                                                \
        ck_assert_msg(db_url != NULL, "the suite's database was not made");                        \
    } while (0)

static borch_url *parse(const char *text)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(text, NULL, &u, &e) == 0, "bad URL: %s", e.message);
    return u;
}

static borch_conn *connect_to(const char *url, const char *schema)
{
    borch_url *u = parse(url);
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

static int keep_first(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    char **out = payload;
    if (!*out)
        *out = borch_xstrdup(ncols > 0 && values[0] ? values[0] : "NULL");
    return 0;
}

/* First column of the first row, malloc'd ("" no row, "NULL" null). */
static char *scalar(borch_conn *c, const char *sql)
{
    char *out = NULL;
    borch_error e = {0};
    int rc = borch_postgres_driver.query(c, sql, 0, NULL, keep_first, &out, &e);
    ck_assert_msg(rc == 0, "query failed: %s", e.message);
    return out ? out : borch_xstrdup("");
}

static void assert_scalar(borch_conn *c, const char *sql, const char *want)
{
    char *got = scalar(c, sql);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql, got, want);
    free(got);
}

/* Makes the suite's database once (in Check's parent process). */
static void make_database(void)
{
    if (!getenv("BORCH_TEST_PG_URL") || !*getenv("BORCH_TEST_PG_URL"))
        return;
    borch_url *server = parse(getenv("BORCH_TEST_PG_URL"));
    borch_error e = {0};
    int rc = borch_scratch_create(server, &db_url, &e);
    borch_url_free(server);
    ck_assert_msg(rc == 0, "scratch: %s", e.message);
    borch_conn *c = connect_to(db_url, NULL);
    exec_ok(c, "CREATE SCHEMA shop; SET search_path = shop;"
               "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL,"
               " country text NOT NULL);"
               "CREATE TABLE orders (id bigint PRIMARY KEY,"
               " customer_id integer NOT NULL REFERENCES customers (id),"
               " status text NOT NULL, total numeric(10,2) NOT NULL,"
               " created_at timestamptz NOT NULL);"
               "CREATE DOMAIN shop.required_int AS integer NOT NULL;"
               "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || (g % 40)"
               " FROM generate_series(1, 5000) g;"
               "INSERT INTO orders SELECT g, 1 + (g * 7919) % 5000,"
               " (ARRAY['new','paid','shipped','done','returned'])[1 + g % 5],"
               " (g % 1000) / 10.0, timestamptz '2025-01-01' + g * interval '7 minutes'"
               " FROM generate_series(1, 60000) g;"
               "ANALYZE customers; ANALYZE orders;");
    borch_postgres_driver.close(c);
}

static void drop_database(void)
{
    if (!db_url)
        return;
    borch_url *server = parse(getenv("BORCH_TEST_PG_URL"));
    borch_error e = {0};
    ck_assert_msg(borch_scratch_drop(server, db_url, &e) == 0, "%s", e.message);
    borch_url_free(server);
    free(db_url);
    db_url = NULL;
}

static borch_conn *shop(void)
{
    return connect_to(db_url, "shop");
}

static borch_whatif *open_ok(borch_conn *c)
{
    borch_whatif *w = NULL;
    borch_error e = {0};
    int rc = borch_whatif_open(c, NULL, NULL, &w, &e);
    ck_assert_msg(rc == 0, "whatif_open: %s (%s)", e.message, e.hint);
    ck_assert_ptr_nonnull(w);
    return w;
}

static int add_ok(borch_conn *c, borch_whatif *w, const char *table, const char *col1,
                  const char *col2)
{
    const char *cols[2] = {col1, col2};
    int id = -1;
    borch_error e = {0};
    int rc = borch_whatif_add_index(c, w, table, cols, col2 ? 2 : 1, &id, &e);
    ck_assert_msg(rc == 0, "add_index: %s", e.message);
    ck_assert_int_ge(id, 0);
    return id;
}

static borch_whatif_plan plan_ok(borch_conn *c, borch_whatif *w, const char *sql,
                                 const char *const *param_columns, size_t nparams)
{
    borch_whatif_plan p;
    borch_error e = {0};
    int rc = borch_whatif_explain(c, w, sql, param_columns, nparams, &p, &e);
    ck_assert_msg(rc == 0, "explain %s: %s", sql, e.message);
    ck_assert_msg(p.cost > 0, "%s: cost %f", sql, p.cost);
    ck_assert_ptr_nonnull(p.text);
    return p;
}

static int uses(const borch_whatif_plan *p, int id)
{
    for (size_t i = 0; i < p->ncandidates_used; i++)
        if (p->candidates_used[i] == id)
            return 1;
    return 0;
}

static int uses_existing(const borch_whatif_plan *p, const char *name)
{
    for (size_t i = 0; i < p->nindexes_used; i++)
        if (strcmp(p->indexes_used[i], name) == 0)
            return 1;
    return 0;
}

/* ---- plans with and without candidates --------------------------------- */

START_TEST(equality_candidate_cuts_cost_and_drop_restores_it)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *sql = "SELECT * FROM orders WHERE customer_id = 42";
    borch_whatif_plan before = plan_ok(c, w, sql, NULL, 0);
    ck_assert_int_eq(before.full_scans, 1);
    ck_assert_uint_eq(before.ncandidates_used, 0);
    ck_assert_msg(strstr(before.text, "Seq Scan on orders") != NULL, "%s", before.text);

    int id = add_ok(c, w, "orders", "customer_id", NULL);
    borch_whatif_plan after = plan_ok(c, w, sql, NULL, 0);
    ck_assert_msg(after.cost * 10 < before.cost, "after %f, before %f", after.cost, before.cost);
    ck_assert_uint_eq(after.ncandidates_used, 1);
    ck_assert(uses(&after, id));
    ck_assert_uint_eq(after.nindexes_used, 0);
    ck_assert_int_eq(after.full_scans, 0);
    ck_assert_msg(strstr(after.text, "Bitmap Heap Scan on orders") != NULL, "%s", after.text);
    ck_assert_msg(strstr(after.text, "\n  Bitmap Index Scan using <") != NULL, "%s", after.text);
    ck_assert_msg(strstr(after.text, ">btree_shop_orders_customer_id  (cost=") != NULL, "%s",
                  after.text);

    borch_error e = {0};
    ck_assert_int_eq(borch_whatif_drop_index(c, w, id, &e), 0);
    borch_whatif_plan again = plan_ok(c, w, sql, NULL, 0);
    ck_assert_msg(fabs(again.cost - before.cost) < 0.01, "%f vs %f", again.cost, before.cost);
    ck_assert_uint_eq(again.ncandidates_used, 0);
    ck_assert_int_eq(again.full_scans, 1);
    /* a dropped id is gone; ids are never reused */
    ck_assert_int_eq(borch_whatif_drop_index(c, w, id, &e), BORCH_EINPUT);
    ck_assert_msg(strstr(e.message, "no candidate index with id") != NULL, "%s", e.message);
    int id2 = add_ok(c, w, "orders", "customer_id", NULL);
    ck_assert_int_ne(id2, id);

    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_plan_release(&again);
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(parameter_queries_are_planned_generically)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *cols[1] = {"orders.customer_id"};
    const char *dollar = "SELECT * FROM orders WHERE customer_id = $1";
    /* '?' inside strings, comments and jsonb operators is no placeholder */
    const char *question = "SELECT * FROM orders /* ? */ WHERE status <> '?' -- ?\n"
                           " AND customer_id = ? AND NOT ('{}'::jsonb ?| ARRAY['x'])"
                           " AND $$?$$ <> E'\\'?'";
    borch_whatif_plan b1 = plan_ok(c, w, dollar, cols, 1);
    borch_whatif_plan b2 = plan_ok(c, w, question, cols, 1);
    ck_assert_int_eq(b1.full_scans, 1);
    ck_assert_int_eq(b2.full_scans, 1);

    int id = add_ok(c, w, "orders", "customer_id", NULL);
    borch_whatif_plan a1 = plan_ok(c, w, dollar, cols, 1);
    borch_whatif_plan a2 = plan_ok(c, w, question, cols, 1);
    ck_assert_msg(a1.cost * 10 < b1.cost, "after %f, before %f", a1.cost, b1.cost);
    ck_assert_msg(a2.cost * 10 < b2.cost, "after %f, before %f", a2.cost, b2.cost);
    ck_assert(uses(&a1, id));
    ck_assert(uses(&a2, id));
    /* nparams 0 with $n in the text; parameters the server cannot type become text */
    borch_whatif_plan a3 = plan_ok(
        c, w,
        "SELECT $2 FROM orders WHERE customer_id = $1 AND ($3 IS NULL OR $4 IS NULL) LIMIT $5",
        NULL, 0);
    ck_assert(uses(&a3, id));
    /* one parameter used twice, listed twice by the caller */
    const char *twice[2] = {"orders.customer_id", "orders.customer_id"};
    borch_whatif_plan a5 = plan_ok(
        c, w, "SELECT * FROM orders WHERE customer_id = $1 OR customer_id = $1 + 0", twice, 2);
    ck_assert(uses(&a5, id));
    borch_whatif_plan_release(&a5);
    /* a workload statement may keep its final ';' */
    borch_whatif_plan a4 =
        plan_ok(c, w, "SELECT * FROM orders WHERE customer_id = $1 ;\n", cols, 1);
    ck_assert(uses(&a4, id));
    borch_whatif_plan_release(&a4);
    a4 = plan_ok(c, w, "SELECT * FROM orders WHERE customer_id = 5;", NULL, 0);
    ck_assert(uses(&a4, id));
    borch_whatif_plan_release(&a4);
    /* nothing left prepared, and the session's settings in force */
    assert_scalar(c, "SELECT count(*) FROM pg_prepared_statements", "0");
    assert_scalar(c, "SHOW plan_cache_mode", "force_generic_plan");
    assert_scalar(c, "SHOW default_transaction_read_only", "on");

    borch_whatif_plan_release(&b1);
    borch_whatif_plan_release(&b2);
    borch_whatif_plan_release(&a1);
    borch_whatif_plan_release(&a2);
    borch_whatif_plan_release(&a3);
    borch_whatif_close(c, w);
    assert_scalar(c, "SHOW plan_cache_mode", "auto");
    assert_scalar(c, "SHOW default_transaction_read_only", "off");
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(untyped_parameter_takes_its_column_type_from_the_model)
{
    NEED_SERVER();
    borch_schema *model = borch_schema_new("postgres");
    borch_table *t = borch_schema_add_table(model, "orders");
    borch_table_add_column(t, "customer_id", "integer", 0, NULL);
    borch_table_add_column(t, "created_at", "timestamp with time zone", 0, NULL);
    borch_conn *c = shop();
    borch_whatif *w = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_whatif_open(c, NULL, model, &w, &e) == 0, "%s", e.message);
    int id = add_ok(c, w, "orders", "customer_id", NULL);
    const char *cols[2] = {"orders.customer_id", "orders.created_at"};
    const char *sql = "SELECT * FROM orders WHERE customer_id = $1 AND $2 IS NULL";
    borch_whatif_plan p = plan_ok(c, w, sql, cols, 2);
    ck_assert(uses(&p, id));
    borch_whatif_plan_release(&p);
    /* the type really comes from the model: a wrong one is the server's error */
    borch_column *col = borch_table_column(t, "created_at");
    free(col->type);
    col->type = borch_xstrdup("no_such_type");
    ck_assert_int_eq(borch_whatif_explain(c, w, sql, cols, 2, &p, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42704");
    ck_assert_str_eq(e.statement, sql);
    borch_error_clear(&e);
    /* a type that is no type name is not pasted into the PREPARE: text instead */
    free(col->type);
    col->type = borch_xstrdup("integer) AS SELECT 1; DROP TABLE orders; --");
    p = plan_ok(c, w, sql, cols, 2);
    ck_assert(uses(&p, id));
    borch_whatif_plan_release(&p);
    assert_scalar(c, "SELECT to_regclass('shop.orders') IS NOT NULL", "t");
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
    borch_schema_free(model);
}
END_TEST

START_TEST(two_equalities_prefer_the_two_column_candidate)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *sql = "SELECT id, total FROM orders WHERE customer_id = 42 AND status = 'paid'";
    int one = add_ok(c, w, "orders", "customer_id", NULL);
    borch_whatif_plan p1 = plan_ok(c, w, sql, NULL, 0);
    ck_assert(uses(&p1, one));
    int two = add_ok(c, w, "orders", "customer_id", "status");
    borch_whatif_plan p2 = plan_ok(c, w, sql, NULL, 0);
    ck_assert_msg(uses(&p2, two) && !uses(&p2, one), "%s", p2.text);
    ck_assert_uint_eq(p2.ncandidates_used, 1);
    ck_assert_msg(p2.cost < p1.cost, "%f vs %f", p2.cost, p1.cost);
    borch_whatif_plan_release(&p1);
    borch_whatif_plan_release(&p2);
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(order_by_limit_uses_the_candidate_instead_of_a_sort)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *sql = "SELECT * FROM orders ORDER BY created_at DESC LIMIT 10";
    borch_whatif_plan before = plan_ok(c, w, sql, NULL, 0);
    ck_assert_int_eq(before.sorts, 1);
    ck_assert_int_eq(before.full_scans, 1);
    int id = add_ok(c, w, "orders", "created_at", NULL);
    borch_whatif_plan after = plan_ok(c, w, sql, NULL, 0);
    ck_assert(uses(&after, id));
    ck_assert_int_eq(after.sorts, 0);
    ck_assert_int_eq(after.full_scans, 0);
    ck_assert_msg(after.cost * 10 < before.cost, "after %f, before %f", after.cost, before.cost);
    ck_assert_msg(strncmp(after.text, "Limit", 5) == 0, "%s", after.text);
    ck_assert_msg(strstr(after.text, "\n  Index Scan Backward using <") != NULL, "%s", after.text);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(join_uses_candidates_on_both_sides_and_existing_indexes)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *sql = "SELECT c.name, o.total FROM customers c JOIN orders o"
                      " ON o.customer_id = c.id WHERE c.name = 'customer 42'";
    borch_whatif_plan before = plan_ok(c, w, sql, NULL, 0);
    ck_assert_int_eq(before.full_scans, 2);
    int by_name = add_ok(c, w, "customers", "name", NULL);
    int by_customer = add_ok(c, w, "orders", "customer_id", NULL);
    borch_whatif_plan after = plan_ok(c, w, sql, NULL, 0);
    ck_assert_msg(uses(&after, by_name) && uses(&after, by_customer), "%s", after.text);
    ck_assert_int_eq(after.full_scans, 0);
    ck_assert_msg(after.cost * 10 < before.cost, "after %f, before %f", after.cost, before.cost);
    ck_assert_msg(strstr(after.text, "\n  ") != NULL, "children are indented: %s", after.text);
    borch_whatif_plan_release(&after);
    /* an existing index (the primary key) is named as such, not as a candidate */
    borch_whatif_plan pk = plan_ok(c, w,
                                   "SELECT * FROM orders o JOIN customers c"
                                   " ON c.id = o.customer_id WHERE o.id = 7",
                                   NULL, 0);
    ck_assert_msg(uses_existing(&pk, "orders_pkey"), "%s", pk.text);
    ck_assert_msg(uses_existing(&pk, "customers_pkey"), "%s", pk.text);
    ck_assert_uint_eq(pk.ncandidates_used, 0);
    borch_whatif_plan_release(&pk);
    borch_whatif_plan_release(&before);
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
}
END_TEST

/* ---- the target is never changed ---------------------------------------- */

#define INDEXES_SQL                                                                                \
    "SELECT count(*) || ':' || coalesce(string_agg(indexname, ',' ORDER BY indexname), '')"        \
    " FROM pg_indexes WHERE schemaname = 'shop'"

START_TEST(target_catalog_and_other_sessions_see_nothing)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_conn *other = shop();
    char *indexes = scalar(c, INDEXES_SQL);
    char *relations = scalar(c, "SELECT count(*) FROM pg_class");
    borch_whatif *w = open_ok(c);
    add_ok(c, w, "orders", "customer_id", NULL);
    add_ok(c, w, "orders", "status", "created_at");
    add_ok(c, w, "customers", "country", NULL);
    assert_scalar(c, "SELECT count(*) FROM public.hypopg()", "3");
    /* the other session sees no hypothetical index and no new catalog row */
    assert_scalar(other, "SELECT count(*) FROM public.hypopg()", "0");
    assert_scalar(other, INDEXES_SQL, indexes);
    assert_scalar(other, "SELECT count(*) FROM pg_class", relations);
    assert_scalar(c, INDEXES_SQL, indexes);
    /* UPDATE and DELETE are planned, never run */
    borch_whatif_plan p = plan_ok(c, w, "DELETE FROM orders WHERE customer_id = 42", NULL, 0);
    borch_whatif_plan_release(&p);
    p = plan_ok(c, w, "UPDATE orders SET status = 'x' WHERE customer_id = $1", NULL, 1);
    ck_assert_msg(strncmp(p.text, "Update on orders", 16) == 0, "%s", p.text);
    borch_whatif_plan_release(&p);
    /* the session is read-only: a write on its connection is refused */
    borch_error e = {0};
    ck_assert_int_eq(
        borch_postgres_driver.exec_script(c, "CREATE TABLE shop.x (a int)", NULL, 1, &e),
        BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "25006");
    borch_error_clear(&e);
    borch_whatif_close(c, w);

    assert_scalar(c, "SELECT count(*) FROM public.hypopg()", "0");
    assert_scalar(c, INDEXES_SQL, indexes);
    assert_scalar(other, INDEXES_SQL, indexes);
    assert_scalar(c, "SELECT count(*) FROM shop.orders WHERE status = 'x'", "0");
    assert_scalar(c, "SELECT count(*) FROM shop.orders", "60000");
    free(indexes);
    free(relations);
    borch_postgres_driver.close(other);
    borch_postgres_driver.close(c);
}
END_TEST

START_TEST(missing_hypopg_is_unsupported_with_install_hint)
{
    NEED_SERVER();
    borch_conn *admin = connect_to(db_url, NULL);
    exec_ok(admin, "DROP DATABASE IF EXISTS borch_whatif_nohypopg;"
                   "CREATE DATABASE borch_whatif_nohypopg TEMPLATE template0");
    borch_url *u = parse(db_url);
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "postgres://%s:%s@%s:%d/borch_whatif_nohypopg?sslmode=disable", u->user,
                     u->password, u->host, u->port);
    borch_conn *c = connect_to(b.data, NULL);
    char *major = scalar(c, "SELECT current_setting('server_version_num')::int / 10000");
    borch_whatif *w = (borch_whatif *)1;
    borch_error e = {0};
    ck_assert_int_eq(borch_whatif_open(c, NULL, NULL, &w, &e), BORCH_EUNSUPPORTED);
    ck_assert_ptr_null(w);
    ck_assert_str_eq(e.message,
                     "the HypoPG extension is not installed in database 'borch_whatif_nohypopg'");
    char want[128];
    snprintf(want, sizeof(want), "apt-get install postgresql-%s-hypopg", major);
    ck_assert_msg(strstr(e.hint, want) != NULL, "%s", e.hint);
    ck_assert_msg(strstr(e.hint, "CREATE EXTENSION hypopg;") != NULL, "%s", e.hint);
    ck_assert_msg(strstr(e.hint, "github.com/HypoPG/hypopg") != NULL, "%s", e.hint);
    borch_error_clear(&e);
    /* nothing was installed or changed */
    assert_scalar(c, "SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'", "0");
    assert_scalar(c, "SHOW default_transaction_read_only", "off");
    borch_postgres_driver.close(c);
    exec_ok(admin, "DROP DATABASE borch_whatif_nohypopg");
    borch_postgres_driver.close(admin);
    free(major);
    borch_buf_release(&b);
    borch_url_free(u);
}
END_TEST

/* ---- bad input ----------------------------------------------------------- */

START_TEST(bad_candidates_and_statements_are_errors_and_the_session_goes_on)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_error e = {0};
    borch_whatif *w = NULL;
    /* not inside a transaction */
    ck_assert_int_eq(borch_postgres_driver.begin(c, &e), 0);
    ck_assert_int_eq(borch_whatif_open(c, NULL, NULL, &w, &e), BORCH_ESTATE);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_postgres_driver.rollback(c, &e), 0);
    w = open_ok(c);

    const char *none[1] = {"customer_id"};
    const char *empty[1] = {""};
    int id = 7;
    ck_assert_int_eq(borch_whatif_add_index(c, w, "orders", none, 0, &id, &e), BORCH_EINPUT);
    ck_assert_int_eq(id, -1);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_add_index(c, w, "orders", empty, 1, &id, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_add_index(c, w, "ordrs", none, 1, &id, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42P01");
    ck_assert_msg(strstr(e.statement, "CREATE INDEX ON \"shop\".\"ordrs\"") != NULL, "%s",
                  e.statement);
    borch_error_clear(&e);
    const char *bad_col[1] = {"customerid"};
    ck_assert_int_eq(borch_whatif_add_index(c, w, "orders", bad_col, 1, &id, &e), BORCH_ESQL);
    ck_assert_msg(strstr(e.message, "column \"customerid\" does not exist") != NULL, "%s",
                  e.message);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_drop_index(c, w, 99, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_drop_index(c, w, -1, &e), BORCH_EINPUT);
    borch_error_clear(&e);

    borch_whatif_plan p;
    ck_assert_int_eq(borch_whatif_explain(c, w, "SELECT * FROM nope", NULL, 0, &p, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42P01");
    ck_assert_str_eq(e.statement, "SELECT * FROM nope");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_explain(c, w, "SELECT * FROM nope WHERE a = $1", NULL, 1, &p, &e),
                     BORCH_ESQL);
    ck_assert_str_eq(e.statement, "SELECT * FROM nope WHERE a = $1");
    borch_error_clear(&e);
    /* a second statement is refused, never run */
    ck_assert_int_eq(borch_whatif_explain(c, w, "SELECT 1; DROP TABLE orders", NULL, 0, &p, &e),
                     BORCH_ESQL);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_explain(c, w, "SELECT $1; DROP TABLE orders", NULL, 0, &p, &e),
                     BORCH_ESQL);
    borch_error_clear(&e);
    assert_scalar(c, "SELECT to_regclass('shop.orders') IS NOT NULL", "t");
    /* EXECUTE fails after PREPARE worked (NULL for a NOT NULL domain): still deallocated */
    ck_assert_int_eq(
        borch_whatif_explain(c, w, "SELECT * FROM orders WHERE customer_id = $1::required_int",
                             NULL, 1, &p, &e),
        BORCH_ESQL);
    ck_assert_msg(strstr(e.message, "does not allow null values") != NULL, "%s", e.message);
    borch_error_clear(&e);
    assert_scalar(c, "SELECT count(*) FROM pg_prepared_statements", "0");

    /* the session still works */
    id = add_ok(c, w, "orders", "customer_id", NULL);
    p = plan_ok(c, w, "SELECT * FROM orders WHERE customer_id = $1", NULL, 1);
    ck_assert(uses(&p, id));
    borch_whatif_plan_release(&p);
    borch_whatif_close(c, w);
    borch_whatif_close(c, NULL);
    borch_postgres_driver.close(c);
}
END_TEST

/* ---- speed ----------------------------------------------------------------- */

START_TEST(thousand_plans_and_hundred_candidates_are_quick)
{
    NEED_SERVER();
    borch_conn *c = shop();
    borch_whatif *w = open_ok(c);
    const char *cols[1] = {"orders.customer_id"};
    long long t0 = borch_clock_ms();
    for (int i = 0; i < 1000; i++) {
        borch_whatif_plan p;
        if (i % 2)
            p = plan_ok(c, w, "SELECT * FROM orders WHERE customer_id = $1", cols, 1);
        else
            p = plan_ok(c, w,
                        "SELECT c.name, o.total FROM customers c JOIN orders o"
                        " ON o.customer_id = c.id WHERE c.country = 'c7'"
                        " ORDER BY o.created_at LIMIT 10",
                        NULL, 0);
        borch_whatif_plan_release(&p);
    }
    long long t1 = borch_clock_ms();
    borch_error e = {0};
    for (int i = 0; i < 100; i++) {
        int id = add_ok(c, w, "orders", i % 2 ? "status" : "customer_id", "created_at");
        ck_assert_int_eq(borch_whatif_drop_index(c, w, id, &e), 0);
    }
    long long t2 = borch_clock_ms();
    fprintf(stderr, "pg_whatif: 1000 whatif_explain calls %lld ms, 100 add/drop pairs %lld ms\n",
            t1 - t0, t2 - t1);
    ck_assert_msg(t1 - t0 < 20000, "1000 plans took %lld ms", t1 - t0);
    borch_whatif_close(c, w);
    borch_postgres_driver.close(c);
}
END_TEST

#endif /* BORCH_WITH_POSTGRES */

Suite *suite_pg_whatif(void)
{
    Suite *s = suite_create("pg_whatif");
#ifdef BORCH_WITH_POSTGRES
    TCase *tc = tcase_create("hypopg");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, make_database, drop_database);
    const char *url = getenv("BORCH_TEST_PG_URL"), *ci = getenv("CI");
    if ((!url || !*url) && !(ci && strcmp(ci, "true") == 0))
        fprintf(stderr, "pg_whatif: tests skipped, %s\n", NO_SERVER);
    tcase_add_test(tc, equality_candidate_cuts_cost_and_drop_restores_it);
    tcase_add_test(tc, parameter_queries_are_planned_generically);
    tcase_add_test(tc, untyped_parameter_takes_its_column_type_from_the_model);
    tcase_add_test(tc, two_equalities_prefer_the_two_column_candidate);
    tcase_add_test(tc, order_by_limit_uses_the_candidate_instead_of_a_sort);
    tcase_add_test(tc, join_uses_candidates_on_both_sides_and_existing_indexes);
    tcase_add_test(tc, target_catalog_and_other_sessions_see_nothing);
    tcase_add_test(tc, missing_hypopg_is_unsupported_with_install_hint);
    tcase_add_test(tc, bad_candidates_and_statements_are_errors_and_the_session_goes_on);
    tcase_add_test(tc, thousand_plans_and_hundred_candidates_are_quick);
    suite_add_tcase(s, tc);
#endif
    return s;
}
