/*
 * test_workload_stats.c - the workload_stats and index_usage driver slots
 * against the real test servers (tests/support/servers.sh starts
 * PostgreSQL with pg_stat_statements preloaded and MariaDB with
 * performance_schema on). Each test works in a throwaway database, so the
 * statistics it reads are its own.
 *
 * Without BORCH_TEST_PG_URL / BORCH_TEST_MYSQL_URL the tests say so and
 * pass, except under CI=true, where a missing server is a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/workload.h"
#include "driver.h"
#include "util/buf.h"
#include "util/mem.h"

/* The URL in env, or NULL after a notice (a failure under CI=true). */
static const char *server_url(const char *env)
{
    const char *url = getenv(env);
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("no test server: set %s (tests/support/servers.sh start)", env);
    return NULL;
}

static borch_url *parse_url(const char *text)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(text, NULL, &u, &e) == 0, "bad URL: %s", e.message);
    return u;
}

static borch_conn *open_url(const char *url)
{
    borch_url *u = parse_url(url);
    borch_conn_opts opts = {.connect_timeout_s = 5};
    borch_conn *c = NULL;
    borch_error e = {0};
    int rc = borch_conn_open(u, &opts, &c, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    return c;
}

static void exec_ok(borch_conn *c, const char *sql)
{
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, NULL, 1, &e);
    ck_assert_msg(rc == 0, "exec failed: %s", e.message);
    borch_error_clear(&e);
}

/* A throwaway database on the server of env's URL; *out_url is malloc'd. */
static borch_conn *scratch_conn(const char *env, char **out_url)
{
    borch_url *server = parse_url(server_url(env));
    borch_error e = {0};
    int rc = borch_scratch_create(server, out_url, &e);
    borch_url_free(server);
    ck_assert_msg(rc == 0, "scratch: %s", e.message);
    return open_url(*out_url);
}

static void scratch_done(const char *env, borch_conn *c, char *url)
{
    borch_conn_close(c);
    borch_url *server = parse_url(server_url(env));
    borch_error e = {0};
    if (borch_scratch_drop(server, url, &e) != 0)
        fprintf(stderr, "scratch drop: %s\n", e.message);
    borch_error_clear(&e);
    borch_url_free(server);
    free(url);
}

/* The query whose fingerprint is fp, or NULL. */
static const borch_query *find_fp(const borch_workload *w, const char *fp)
{
    for (size_t i = 0; i < w->nqueries; i++)
        if (strcmp(w->queries[i].fingerprint, fp) == 0)
            return &w->queries[i];
    return NULL;
}

/* No query is bookkeeping, catalog or non-query text. */
static void assert_only_user_queries(const borch_workload *w)
{
    for (size_t i = 0; i < w->nqueries; i++) {
        const char *fp = w->queries[i].fingerprint;
        ck_assert_msg(strstr(fp, "borch_schema_history") == NULL, "bookkeeping kept: %s", fp);
        ck_assert_msg(strstr(fp, "pg_catalog") == NULL && strstr(fp, "pg_class") == NULL &&
                          strstr(fp, "information_schema") == NULL &&
                          strstr(fp, "performance_schema") == NULL,
                      "catalog query kept: %s", fp);
        ck_assert_msg(strncmp(fp, "insert", 6) != 0 && strncmp(fp, "create", 6) != 0 &&
                          strncmp(fp, "analyze", 7) != 0 && strncmp(fp, "set", 3) != 0,
                      "not a query: %s", fp);
    }
}

/* The usage entry of index, or NULL. */
static const borch_index_usage *find_index(const borch_index_usage *u, size_t n, const char *index)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(u[i].index, index) == 0)
            return &u[i];
    return NULL;
}

static const char schema_sql[] =
    "CREATE TABLE wl_orders (id INT PRIMARY KEY, customer_id INT NOT NULL,"
    " status VARCHAR(20) NOT NULL, note VARCHAR(100));"
    "CREATE INDEX wl_orders_customer ON wl_orders (customer_id);"
    "CREATE INDEX wl_orders_status ON wl_orders (status);"
    "CREATE TABLE borch_schema_history (version VARCHAR(50) PRIMARY KEY, note VARCHAR(50));"
    "CREATE INDEX borch_history_note ON borch_schema_history (note);";

/* ---- PostgreSQL ---------------------------------------------------------- */

#define PG_ENV "BORCH_TEST_PG_URL"

START_TEST(pg_workload_stats_finds_the_queries_run)
{
    if (!server_url(PG_ENV))
        return;
    char *url = NULL;
    borch_conn *c = scratch_conn(PG_ENV, &url);
    ck_assert_str_eq(c->driver->name, "postgres");
    exec_ok(c, schema_sql);
    exec_ok(c, "INSERT INTO wl_orders SELECT g, g % 500, CASE WHEN g % 7 = 0 THEN 'open' ELSE"
               " 'done' END, 'n' || g FROM generate_series(1, 5000) g; ANALYZE wl_orders");
    exec_ok(c, "SELECT * FROM wl_orders WHERE customer_id = 17");
    exec_ok(c, "SELECT * FROM wl_orders WHERE customer_id = 18");
    exec_ok(c, "select * from wl_orders where customer_id = 19");
    exec_ok(c, "UPDATE wl_orders SET note = 'x' WHERE id = 3");
    exec_ok(c, "SELECT count(*) FROM borch_schema_history WHERE version = 'v1'");
    /* what the advisor itself runs on the target */
    exec_ok(c, "SELECT * FROM hypopg_create_index('CREATE INDEX ON wl_orders (status)')");
    exec_ok(c, "SELECT hypopg_reset()");
    exec_ok(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace");

    borch_workload w = {0};
    borch_error e = {0};
    int rc = borch_conn_workload_stats(c, &w, &e);
    ck_assert_msg(rc == 0, "workload_stats: %s", e.message);
    ck_assert_str_eq(w.format, "pg_stat_statements");
    for (size_t i = 0; i < w.nqueries; i++)
        ck_assert_msg(strstr(w.queries[i].fingerprint, "hypopg") == NULL, "advisor call kept: %s",
                      w.queries[i].fingerprint);
    const borch_query *q = find_fp(&w, "select * from wl_orders where customer_id = ?");
    ck_assert_msg(q != NULL, "the customer query is missing (%zu queries)", w.nqueries);
    ck_assert(q->calls >= 3);
    ck_assert(q->total_ms > 0);
    ck_assert(q->weight == q->total_ms);
    ck_assert_ptr_null(q->file);
    ck_assert_ptr_nonnull(strstr(q->sql, "$1")); /* pg_stat_statements' own placeholders */
    ck_assert_ptr_nonnull(find_fp(&w, "update wl_orders set note = ? where id = ?"));
    assert_only_user_queries(&w);
    borch_workload_release(&w);
    scratch_done(PG_ENV, c, url);
}
END_TEST

START_TEST(pg_index_usage_counts_scans_since_reset)
{
    if (!server_url(PG_ENV))
        return;
    char *url = NULL;
    borch_conn *c = scratch_conn(PG_ENV, &url);
    exec_ok(c, schema_sql);
    exec_ok(c,
            "INSERT INTO wl_orders SELECT g, g % 500, 'done', 'n' FROM generate_series(1, 5000) g;"
            " ANALYZE wl_orders");
    exec_ok(c, "SET enable_seqscan = off; SET enable_bitmapscan = off;"
               " SELECT * FROM wl_orders WHERE customer_id = 17");

    /* the backend sends its counters when idle, at most once a second */
    borch_index_usage *u = NULL;
    size_t n = 0;
    char *since = NULL;
    const borch_index_usage *used = NULL;
    for (int tries = 0; tries < 40; tries++) {
        borch_index_usage_free(u, n);
        free(since);
        borch_error e = {0};
        int rc = borch_conn_index_usage(c, &u, &n, &since, &e);
        ck_assert_msg(rc == 0, "index_usage: %s", e.message);
        used = find_index(u, n, "wl_orders_customer");
        if (used && used->scans > 0)
            break;
        usleep(250 * 1000);
    }
    ck_assert_msg(used && used->scans > 0, "wl_orders_customer was scanned");
    ck_assert_str_eq(used->table, "wl_orders");
    const borch_index_usage *unused = find_index(u, n, "wl_orders_status");
    ck_assert_ptr_nonnull(unused);
    ck_assert(unused->scans == 0);
    ck_assert_ptr_null(find_index(u, n, "wl_orders_pkey"));     /* primary keys left out */
    ck_assert_ptr_null(find_index(u, n, "borch_history_note")); /* bookkeeping left out */
    ck_assert_ptr_nonnull(since);
    ck_assert_int_eq(strlen(since), 20); /* 2026-11-26T10:33:42Z */
    ck_assert_int_eq(since[10], 'T');
    borch_index_usage_free(u, n);
    free(since);
    scratch_done(PG_ENV, c, url);
}
END_TEST

START_TEST(pg_without_the_extension_is_unsupported_with_a_hint)
{
    if (!server_url(PG_ENV))
        return;
    /* template0 has no pg_stat_statements (template1 of the test server has) */
    borch_conn *admin = open_url(server_url(PG_ENV));
    exec_ok(admin, "DROP DATABASE IF EXISTS borch_wl_noext");
    exec_ok(admin, "CREATE DATABASE borch_wl_noext TEMPLATE template0");
    borch_url *u = parse_url(server_url(PG_ENV));
    free(u->database);
    u->database = borch_xstrdup("borch_wl_noext");
    borch_conn_opts opts = {.connect_timeout_s = 5};
    borch_conn *c = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_open(u, &opts, &c, &e), 0);
    borch_url_free(u);

    borch_workload w = {0};
    ck_assert_int_eq(borch_conn_workload_stats(c, &w, &e), BORCH_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(e.message, "pg_stat_statements"));
    ck_assert_ptr_nonnull(strstr(e.hint, "shared_preload_libraries = 'pg_stat_statements'"));
    ck_assert_ptr_nonnull(strstr(e.hint, "CREATE EXTENSION pg_stat_statements"));
    ck_assert_int_eq(w.nqueries, 0);
    borch_error_clear(&e);
    borch_workload_release(&w);
    borch_conn_close(c);
    exec_ok(admin, "DROP DATABASE borch_wl_noext");
    borch_conn_close(admin);
}
END_TEST

/* ---- MariaDB / MySQL ----------------------------------------------------- */

#define MY_ENV "BORCH_TEST_MYSQL_URL"

START_TEST(mysql_workload_stats_finds_the_digests)
{
    if (!server_url(MY_ENV))
        return;
    char *url = NULL;
    borch_conn *c = scratch_conn(MY_ENV, &url);
    ck_assert_str_eq(c->driver->name, "mysql");
    /* The server's digest table holds a few thousand statements; earlier
     * suites may have filled it, and a full one counts nothing new. */
    exec_ok(c, "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest");
    exec_ok(c, schema_sql);
    exec_ok(c, "INSERT INTO wl_orders VALUES (1, 17, 'open', 'a'), (2, 18, 'done', 'b'),"
               " (3, 19, 'done', 'c')");
    exec_ok(c, "SELECT * FROM wl_orders WHERE customer_id = 17");
    exec_ok(c, "SELECT * FROM wl_orders WHERE customer_id = 18");
    exec_ok(c, "select * from wl_orders where customer_id = 19");
    exec_ok(c, "SELECT id, note FROM wl_orders WHERE customer_id IN (1, 2, 3) ORDER BY 1, 2");
    exec_ok(c, "SELECT count(*) FROM borch_schema_history WHERE version = 'v1'");
    /* a digest longer than performance_schema_max_digest_length is cut */
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_puts(&b, "SELECT note AS x0");
    for (int i = 1; i < 300; i++)
        borch_buf_printf(&b, ", note AS x%d", i);
    borch_buf_puts(&b, " FROM wl_orders WHERE id = 1");
    exec_ok(c, b.data);
    borch_buf_release(&b);

    borch_workload w = {0};
    borch_error e = {0};
    int rc = borch_conn_workload_stats(c, &w, &e);
    ck_assert_msg(rc == 0, "workload_stats: %s", e.message);
    ck_assert_str_eq(w.format, "performance_schema");
    const borch_query *q = find_fp(&w, "select * from `wl_orders` where `customer_id` = ?");
    ck_assert_msg(q != NULL, "the customer query is missing (%zu queries)", w.nqueries);
    ck_assert(q->calls >= 3);
    ck_assert(q->total_ms > 0);
    ck_assert(q->weight == q->total_ms);
    /* folded lists are planable again */
    const borch_query *in =
        find_fp(&w, "select id, `note` from `wl_orders` where `customer_id` in (?) order by ?");
    ck_assert_msg(in != NULL, "the IN query is missing");
    ck_assert_ptr_null(strstr(in->sql, "..."));
    assert_only_user_queries(&w);
    for (size_t i = 0; i < w.nqueries; i++)
        ck_assert_msg(strstr(w.queries[i].sql, "`x0`") == NULL, "a cut digest was kept");
    ck_assert_int_eq(w.warnings.count, 1);
    ck_assert_ptr_nonnull(strstr(w.warnings.items[0], "performance_schema_max_digest_length"));
    borch_workload_release(&w);
    scratch_done(MY_ENV, c, url);
}
END_TEST

START_TEST(mysql_index_usage_counts_since_server_start)
{
    if (!server_url(MY_ENV))
        return;
    char *url = NULL;
    borch_conn *c = scratch_conn(MY_ENV, &url);
    exec_ok(c, schema_sql);
    exec_ok(c, "INSERT INTO wl_orders VALUES (1, 17, 'open', 'a'), (2, 18, 'done', 'b')");
    exec_ok(c, "SELECT * FROM wl_orders FORCE INDEX (wl_orders_customer) WHERE customer_id = 17");

    borch_index_usage *u = NULL;
    size_t n = 0;
    char *since = NULL;
    borch_error e = {0};
    int rc = borch_conn_index_usage(c, &u, &n, &since, &e);
    ck_assert_msg(rc == 0, "index_usage: %s", e.message);
    const borch_index_usage *used = find_index(u, n, "wl_orders_customer");
    ck_assert_ptr_nonnull(used);
    ck_assert_str_eq(used->table, "wl_orders");
    ck_assert(used->scans > 0);
    const borch_index_usage *unused = find_index(u, n, "wl_orders_status");
    ck_assert_ptr_nonnull(unused);
    ck_assert(unused->scans == 0);
    ck_assert_ptr_null(find_index(u, n, "PRIMARY"));
    ck_assert_ptr_null(find_index(u, n, "borch_history_note"));
    ck_assert_int_eq(n, 2);
    ck_assert_ptr_nonnull(since);
    ck_assert_int_eq(strlen(since), 20);
    ck_assert_int_eq(since[10], 'T');
    borch_index_usage_free(u, n);
    free(since);
    scratch_done(MY_ENV, c, url);
}
END_TEST

Suite *suite_workload_stats(void)
{
    Suite *s = suite_create("workload_stats");
    TCase *tc = tcase_create("servers");
    tcase_set_timeout(tc, 60);
    const char *ci = getenv("CI");
    int under_ci = ci && strcmp(ci, "true") == 0;
#ifdef BORCH_WITH_POSTGRES
    if (!getenv(PG_ENV) && !under_ci)
        fprintf(stderr, "workload_stats: PostgreSQL tests skipped, set %s\n", PG_ENV);
    tcase_add_test(tc, pg_workload_stats_finds_the_queries_run);
    tcase_add_test(tc, pg_index_usage_counts_scans_since_reset);
    tcase_add_test(tc, pg_without_the_extension_is_unsupported_with_a_hint);
#endif
#ifdef BORCH_WITH_MYSQL
    if (!getenv(MY_ENV) && !under_ci)
        fprintf(stderr, "workload_stats: MariaDB tests skipped, set %s\n", MY_ENV);
    tcase_add_test(tc, mysql_workload_stats_finds_the_digests);
    tcase_add_test(tc, mysql_index_usage_counts_since_server_start);
#endif
    (void)under_ci;
    suite_add_tcase(s, tc);
    return s;
}
