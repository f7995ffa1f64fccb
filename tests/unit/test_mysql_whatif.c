/*
 * test_mysql_whatif.c - what-if sessions of the MySQL/MariaDB driver (the
 * index advisor's evaluation): reading plans on their own, and against the
 * real server named by BORCH_TEST_MYSQL_URL a target database of customers
 * and orders (tens of thousands of rows) copied into a scratch database,
 * where candidates must change plans and costs the way real indexes do,
 * while the target keeps its indexes and rows.
 *
 * Without BORCH_TEST_MYSQL_URL the server tests are skipped with a notice,
 * except under CI=true, where that is a failure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef BORCH_WITH_MYSQL

#include "driver.h"
#include "mysql/mysql_int.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

/* ---- reading plans, no server ---- */

/*
 * Reads json as a plan of a session whose copy has the indexes PRIMARY and
 * idx_city and the candidate indexes borch_whatif_0 .. _3: the first three
 * those of candidates 0 .. 2, the last one candidate 7's, and
 * borch_whatif_4, hidden, no candidate's.
 */
static borch_whatif_plan read_plan(const char *json)
{
    borch_whatif w;
    memset(&w, 0, sizeof(w));
    borch_strv_push(&w.index_names, "PRIMARY");
    borch_strv_push(&w.index_names, "idx_city");
    borch_mysql_wi_index idx[5];
    for (int i = 0; i < 5; i++)
        idx[i] = (borch_mysql_wi_index){.owner = i < 3 ? i : i == 3 ? 7 : -1, .built = 1};
    w.indexes = idx;
    w.nindexes = 5;
    borch_whatif_plan p;
    ck_assert_int_eq(borch_mysql_wi_read_plan(&w, json, &p), 0);
    borch_strv_release(&w.index_names);
    return p;
}

START_TEST(mariadb_plan_counts_scans_sorts_and_keys)
{
    borch_whatif_plan p = read_plan(
        "{\"query_block\": {\"select_id\": 1, \"read_sorted_file\": {\"filesort\": {"
        "\"sort_key\": \"o.created_at desc\", \"temporary_table\": {\"nested_loop\": ["
        "{\"table\": {\"table_name\": \"c\", \"access_type\": \"ref\", \"key\": \"idx_city\","
        " \"rows\": 100, \"filtered\": 100}},"
        "{\"table\": {\"table_name\": \"o\", \"access_type\": \"ref\", \"key\": "
        "\"borch_whatif_3\", \"rows\": 10, \"filtered\": 50, \"using_index\": true}},"
        "{\"table\": {\"table_name\": \"x\", \"access_type\": \"ALL\", \"rows\": 4,"
        " \"filtered\": 100}},"
        "{\"table\": {\"table_name\": \"<subquery2>\", \"access_type\": \"eq_ref\","
        " \"key\": \"distinct_key\", \"rows\": 1, \"filtered\": 100}}]}}}}}");
    ck_assert_int_eq(p.full_scans, 1);
    ck_assert_int_eq(p.sorts, 1);
    ck_assert_uint_eq(p.ncandidates_used, 1);
    ck_assert_int_eq(p.candidates_used[0], 7); /* the index's candidate, by id */
    ck_assert_uint_eq(p.nindexes_used, 1);     /* distinct_key is the engine's own */
    ck_assert_str_eq(p.indexes_used[0], "idx_city");
    /* c 100; o 100 x 10 = 1000; x 500 x 4 = 2000; subquery 2000 x 1; sorted 2000 rows */
    ck_assert_double_eq_tol(p.cost, 100 + 1000 + 2000 + 2000 + 2000, 1e-6);
    ck_assert_str_eq(p.text, "c: ref key=idx_city rows=100 filtered=100\n"
                             "o: ref key=borch_whatif_7 covering rows=10 filtered=50\n"
                             "x: ALL rows=4 filtered=100\n"
                             "<subquery2>: eq_ref key=distinct_key rows=1 filtered=100\n"
                             "sort: o.created_at desc");
    borch_whatif_plan_release(&p);
}
END_TEST

START_TEST(engine_cost_wins_when_the_plan_has_one)
{
    /* MySQL 8: cost_info.query_cost, and using_filesort instead of a filesort node. */
    borch_whatif_plan p = read_plan(
        "{\"query_block\": {\"select_id\": 1, \"cost_info\": {\"query_cost\": \"5012.50\"},"
        " \"ordering_operation\": {\"using_filesort\": true, \"table\": {\"table_name\": "
        "\"orders\", \"access_type\": \"ALL\", \"rows_examined_per_scan\": 50000,"
        " \"filtered\": \"10.00\"}}}}");
    ck_assert_double_eq_tol(p.cost, 5012.5, 1e-9);
    ck_assert_int_eq(p.sorts, 1);
    ck_assert_int_eq(p.full_scans, 1);
    ck_assert_uint_eq(p.ncandidates_used, 0);
    borch_whatif_plan_release(&p);
    /* MariaDB 11: query_block.cost; the same candidate twice is listed once. */
    p = read_plan("{\"query_block\": {\"select_id\": 1, \"cost\": 0.25, \"nested_loop\": ["
                  "{\"table\": {\"table_name\": \"a\", \"access_type\": \"ref\", \"key\": "
                  "\"borch_whatif_0\", \"rows\": 1}},"
                  "{\"table\": {\"table_name\": \"b\", \"access_type\": \"ref\", \"key\": "
                  "\"borch_whatif_0\", \"rows\": 1}}]}}");
    ck_assert_double_eq_tol(p.cost, 0.25, 1e-9);
    ck_assert_uint_eq(p.ncandidates_used, 1);
    ck_assert_int_eq(p.candidates_used[0], 0);
    ck_assert_int_eq(p.sorts, 0);
    borch_whatif_plan_release(&p);
    /* An index no candidate has (hidden, the server should not name it) is no candidate. */
    p = read_plan("{\"query_block\": {\"select_id\": 1, \"table\": {\"table_name\": \"a\","
                  " \"access_type\": \"ref\", \"key\": \"borch_whatif_4\", \"rows\": 1}}}");
    ck_assert_uint_eq(p.ncandidates_used, 0);
    ck_assert_uint_eq(p.nindexes_used, 0);
    ck_assert_str_eq(p.text, "a: ref key=borch_whatif_4 rows=1 filtered=100");
    borch_whatif_plan_release(&p);
    /* A plan that reads nothing says why. */
    p = read_plan("{\"query_block\": {\"select_id\": 1, \"table\": {\"message\": "
                  "\"Impossible WHERE noticed after reading const tables\"}}}");
    ck_assert_double_eq(p.cost, 0);
    ck_assert_str_eq(p.text, "Impossible WHERE noticed after reading const tables");
    borch_whatif_plan_release(&p);
    borch_whatif w;
    memset(&w, 0, sizeof(w));
    ck_assert_int_eq(borch_mysql_wi_read_plan(&w, "{not json", &p), -1);
}
END_TEST

START_TEST(text_and_blob_types_need_a_prefix)
{
    ck_assert(borch_mysql_wi_needs_prefix("text"));
    ck_assert(borch_mysql_wi_needs_prefix("mediumblob"));
    ck_assert(!borch_mysql_wi_needs_prefix("varchar"));
    ck_assert(!borch_mysql_wi_needs_prefix("int"));
    ck_assert(borch_mysql_driver.caps & BORCH_CAP_WHATIF_SCRATCH);
    ck_assert_ptr_nonnull(borch_mysql_driver.whatif_open);
    ck_assert_ptr_nonnull(borch_mysql_driver.whatif_close);
}
END_TEST

/* ---- with a server ---- */

static borch_url *server; /* BORCH_TEST_MYSQL_URL */
static char *target_url;  /* the target database, made once for the test case */

/* The target: customers, orders (with a TEXT, a binary and a generated column), items with a FK. */
static const char target_sql[] =
    "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
    " city VARCHAR(50) NOT NULL, created_at DATETIME NOT NULL, loc POINT);\n"
    "CREATE TABLE orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL,"
    " status VARCHAR(20) NOT NULL, total DECIMAL(10,2) NOT NULL, created_at DATETIME NOT NULL,"
    " note TEXT, tag VARBINARY(8), total_cents BIGINT AS (total * 100) VIRTUAL,"
    " KEY orders_status (status));\n"
    "CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, order_id BIGINT NOT NULL,"
    " sku VARCHAR(20) NOT NULL, CONSTRAINT items_order FOREIGN KEY (order_id)"
    " REFERENCES orders (id));\n"
    "CREATE VIEW paid_orders AS SELECT id, customer_id, total FROM orders"
    " WHERE status = 'paid';\n"
    "INSERT INTO customers SELECT seq, CONCAT('customer ', seq), CONCAT('city', seq % 50),"
    " '2024-01-01' + INTERVAL seq MINUTE, IF(seq % 2, POINT(seq % 90, seq % 180), NULL)"
    " FROM seq_1_to_5000;\n"
    "INSERT INTO orders (id, customer_id, status, total, created_at, note, tag)"
    " SELECT seq, 1 + (seq * 7919) % 5000, ELT(1 + seq % 4, 'new', 'paid', 'shipped',"
    " 'cancelled'), (seq % 1000) / 10, '2024-01-01' + INTERVAL seq MINUTE,"
    " IF(seq % 3 = 0, NULL, CONCAT('note ', seq % 300)), UNHEX(LPAD(HEX(seq), 8, '0'))"
    " FROM seq_1_to_40000;\n"
    "INSERT INTO items (order_id, sku) SELECT 1 + seq % 40000, CONCAT('sku', seq % 700)"
    " FROM seq_1_to_20000;\n"
    "ANALYZE TABLE customers PERSISTENT FOR ALL;\n"
    "ANALYZE TABLE orders, items;\n";

/* Makes the target database once, in the parent process, for every test. */
static void target_setup(void)
{
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &server, &e), 0);
    int rc = borch_mysql_driver.scratch_create(server, &target_url, &e);
    ck_assert_msg(rc == 0, "scratch_create: %s", e.message);
    borch_url *u = NULL;
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_url_parse(target_url, NULL, &u, &e), 0);
    ck_assert_int_eq(borch_conn_open(u, NULL, &c, &e), 0);
    rc = borch_conn_exec(c, target_sql, "target.sql", 1, &e);
    ck_assert_msg(rc == 0, "target: %s (line %d)", e.message, e.line);
    borch_conn_close(c);
    borch_url_free(u);
}

static void target_teardown(void)
{
    borch_error e = {0};
    if (target_url && borch_mysql_driver.scratch_drop(server, target_url, &e) != 0)
        fprintf(stderr, "mysql_whatif: cannot drop the target database: %s\n", e.message);
    borch_error_clear(&e);
    free(target_url);
    borch_url_free(server);
    target_url = NULL;
    server = NULL;
}

/* A target connection, an empty scratch database and its connection. */
typedef struct fixture {
    borch_conn *target;
    char *scratch_url;
    borch_conn *scratch;
    borch_schema *model;
    borch_whatif *w;
} fixture;

/* Opens a connection to url (text). */
static borch_conn *connect_to(const char *url)
{
    borch_error e = {0};
    borch_url *u = NULL;
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_url_parse(url, NULL, &u, &e), 0);
    int rc = borch_conn_open(u, NULL, &c, &e);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    borch_url_free(u);
    return c;
}

/* Connects, makes the scratch database and opens a session with opts (NULL: defaults). */
static void fx_open(fixture *f, const borch_mysql_whatif_opts *opts)
{
    borch_error e = {0};
    memset(f, 0, sizeof(*f));
    f->target = connect_to(target_url);
    int rc = borch_mysql_driver.scratch_create(server, &f->scratch_url, &e);
    ck_assert_msg(rc == 0, "scratch_create: %s", e.message);
    f->scratch = connect_to(f->scratch_url);
    ck_assert_int_eq(borch_conn_introspect(f->target, &f->model, &e), 0);
    rc = opts ? borch_mysql_whatif_open_with(f->target, f->scratch, f->model, opts, &f->w, &e)
              : borch_whatif_open(f->target, f->scratch, f->model, &f->w, &e);
    ck_assert_msg(rc == 0, "whatif_open: %s", e.message);
}

static void fx_close(fixture *f)
{
    borch_error e = {0};
    borch_whatif_close(f->target, f->w);
    borch_conn_close(f->scratch);
    int rc = borch_mysql_driver.scratch_drop(server, f->scratch_url, &e);
    ck_assert_msg(rc == 0, "scratch_drop: %s", e.message);
    free(f->scratch_url);
    borch_schema_free(f->model);
    borch_conn_close(f->target);
}

/* Plans sql with one parameter per entry of cols (NULL-terminated, may be NULL). */
static borch_whatif_plan plan(fixture *f, const char *sql, const char *const *cols)
{
    size_t n = 0;
    while (cols && cols[n])
        n++;
    borch_error e = {0};
    borch_whatif_plan p;
    int rc = borch_whatif_explain(f->target, f->w, sql, cols, n, &p, &e);
    ck_assert_msg(rc == 0, "whatif_explain: %s", e.message);
    return p;
}

/* Adds a candidate and returns its id. */
static int add(fixture *f, const char *table, const char *c1, const char *c2)
{
    const char *cols[] = {c1, c2};
    borch_error e = {0};
    int id = -1;
    int rc = borch_whatif_add_index(f->target, f->w, table, cols, c2 ? 2 : 1, &id, &e);
    ck_assert_msg(rc == 0, "whatif_add_index: %s", e.message);
    ck_assert_int_ge(id, 0);
    return id;
}

static void drop(fixture *f, int id)
{
    borch_error e = {0};
    int rc = borch_whatif_drop_index(f->target, f->w, id, &e);
    ck_assert_msg(rc == 0, "whatif_drop_index: %s", e.message);
}

/* 1 when the plan uses candidate id. */
static int uses(const borch_whatif_plan *p, int id)
{
    for (size_t i = 0; i < p->ncandidates_used; i++)
        if (p->candidates_used[i] == id)
            return 1;
    return 0;
}

/* Collects rows as "a|b|NULL" lines. */
static int collect(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    borch_buf *b = payload;
    for (int i = 0; i < ncols; i++)
        borch_buf_printf(b, "%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
    borch_buf_putc(b, '\n');
    return 0;
}

/* Runs a query and returns its rows as text (malloc'd). */
static char *rows_of(borch_conn *c, const char *sql)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_error e = {0};
    int rc = borch_conn_query(c, sql, 0, NULL, collect, &b, &e);
    ck_assert_msg(rc == 0, "query failed: %s", e.message);
    return borch_mysql_take(&b);
}

static const char *const by_customer[] = {"orders.customer_id", NULL};

START_TEST(candidate_on_filter_column_lowers_cost_and_is_named)
{
    fixture f;
    fx_open(&f, NULL);
    ck_assert(f.w->same_server);
    const char *sql = "SELECT * FROM orders WHERE customer_id = ?";
    borch_whatif_plan before = plan(&f, sql, by_customer);
    ck_assert_int_eq(before.full_scans, 1);
    ck_assert_uint_eq(before.ncandidates_used, 0);
    int id = add(&f, "orders", "customer_id", NULL);
    borch_whatif_plan after = plan(&f, sql, by_customer);
    ck_assert_msg(after.cost * 100 < before.cost, "cost %g -> %g", before.cost, after.cost);
    ck_assert(uses(&after, id));
    ck_assert_int_eq(after.full_scans, 0);
    char want[64];
    snprintf(want, sizeof(want), "orders: ref key=borch_whatif_%d rows=", id);
    ck_assert_msg(strncmp(after.text, want, strlen(want)) == 0, "text: %s", after.text);
    drop(&f, id);
    borch_whatif_plan again = plan(&f, sql, by_customer);
    ck_assert_double_eq(again.cost, before.cost); /* exact statistics: no drift */
    ck_assert_uint_eq(again.ncandidates_used, 0);
    ck_assert_int_eq(again.full_scans, 1);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_plan_release(&again);
    fx_close(&f);
}
END_TEST

START_TEST(two_column_candidate_wins_a_two_column_equality)
{
    fixture f;
    fx_open(&f, NULL);
    const char *sql = "SELECT id, total FROM orders WHERE customer_id = ? AND created_at = ?";
    const char *const cols[] = {"orders.customer_id", "orders.created_at", NULL};
    int one = add(&f, "orders", "customer_id", NULL);
    borch_whatif_plan p1 = plan(&f, sql, cols);
    ck_assert(uses(&p1, one));
    int two = add(&f, "orders", "customer_id", "created_at");
    borch_whatif_plan p2 = plan(&f, sql, cols);
    ck_assert_msg(uses(&p2, two) && !uses(&p2, one), "plan: %s", p2.text);
    ck_assert_msg(p2.cost < p1.cost, "cost %g -> %g", p1.cost, p2.cost);
    borch_whatif_plan_release(&p1);
    borch_whatif_plan_release(&p2);
    fx_close(&f);
}
END_TEST

START_TEST(order_by_limit_uses_an_index_on_the_sort_column)
{
    fixture f;
    fx_open(&f, NULL);
    const char *sql = "SELECT * FROM orders ORDER BY created_at DESC LIMIT ?";
    borch_whatif_plan before = plan(&f, sql, NULL);
    ck_assert_int_eq(before.sorts, 1);
    int id = add(&f, "orders", "created_at", NULL);
    borch_whatif_plan after = plan(&f, sql, NULL);
    ck_assert_int_eq(after.sorts, 0);
    ck_assert(uses(&after, id));
    ck_assert_msg(after.cost * 100 < before.cost, "cost %g -> %g", before.cost, after.cost);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    fx_close(&f);
}
END_TEST

START_TEST(joins_dollar_params_views_and_existing_indexes)
{
    fixture f;
    fx_open(&f, NULL);
    /* $N parameters, in any order; LIMIT $3 gets a number. */
    const char *sql = "SELECT o.id FROM customers c JOIN orders o ON o.customer_id = c.id "
                      "WHERE o.total > $2 AND c.city = $1 LIMIT $3";
    const char *const cols[] = {"customers.city", "orders.total", NULL};
    borch_whatif_plan p = plan(&f, sql, cols);
    int id = add(&f, "orders", "customer_id", NULL);
    borch_whatif_plan q = plan(&f, sql, cols);
    ck_assert_msg(q.cost < p.cost, "cost %g -> %g", p.cost, q.cost);
    ck_assert_msg(uses(&q, id), "plan: %s", q.text);
    borch_whatif_plan_release(&p);
    borch_whatif_plan_release(&q);
    /* An existing index is named; a view of the model is there to query. */
    p = plan(&f, "SELECT id FROM orders WHERE status = ?",
             (const char *const[]){"orders.status", NULL});
    ck_assert_uint_eq(p.nindexes_used, 1);
    ck_assert_str_eq(p.indexes_used[0], "orders_status");
    borch_whatif_plan_release(&p);
    p = plan(&f, "SELECT * FROM paid_orders WHERE customer_id = ?", by_customer);
    ck_assert(uses(&p, id));
    borch_whatif_plan_release(&p);
    /* A parameter whose column is unknown, a ? inside quotes and a comment stay right. */
    p = plan(&f,
             "SELECT id AS id$1 FROM orders WHERE note = '?' /* ? */ AND customer_id = ? -- ?\n"
             "AND total > ?",
             (const char *const[]){"orders.customer_id", "orders.no_such_column", NULL});
    ck_assert(uses(&p, id));
    borch_whatif_plan_release(&p);
    fx_close(&f);
}
END_TEST

START_TEST(the_target_keeps_its_indexes_and_rows)
{
    borch_conn *t = connect_to(target_url);
    const char *idx = "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME"
                      " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                      " ORDER BY 1, 2, 3";
    const char *sum = "CHECKSUM TABLE customers, orders, items";
    char *idx_before = rows_of(t, idx), *sum_before = rows_of(t, sum);
    fixture f;
    fx_open(&f, NULL);
    int a = add(&f, "orders", "customer_id", "status");
    add(&f, "customers", "city", NULL);
    drop(&f, a);
    borch_whatif_plan p = plan(&f, "SELECT * FROM orders WHERE customer_id = ?", by_customer);
    borch_whatif_plan_release(&p);
    char *idx_after = rows_of(t, idx), *sum_after = rows_of(t, sum);
    ck_assert_str_eq(idx_after, idx_before);
    ck_assert_str_eq(sum_after, sum_before);
    ck_assert_ptr_null(strstr(idx_after, "borch_whatif"));
    /* The copy has the candidate, the target does not. */
    char *copy_idx = rows_of(f.scratch, idx);
    ck_assert_ptr_nonnull(strstr(copy_idx, "customers|borch_whatif_1|1|city"));
    ck_assert_ptr_null(strstr(copy_idx, "borch_whatif_0"));
    free(copy_idx);
    free(idx_before);
    free(sum_before);
    free(idx_after);
    free(sum_after);
    fx_close(&f);
    borch_conn_close(t);
}
END_TEST

START_TEST(copy_has_all_rows_statistics_and_views)
{
    fixture f;
    fx_open(&f, NULL);
    char *n = rows_of(f.scratch, "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) "
                                 "FROM orders), (SELECT COUNT(*) FROM items), "
                                 "(SELECT COUNT(*) FROM paid_orders)");
    ck_assert_str_eq(n, "5000|40000|20000|10000\n");
    free(n);
    /* The target has engine-independent statistics for customers only; so does the copy. */
    char *q = NULL;
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "SELECT table_name FROM mysql.table_stats WHERE db_name = '%s'",
                     ((borch_mysql_conn *)f.scratch)->database);
    q = borch_mysql_take(&b);
    n = rows_of(f.scratch, q);
    ck_assert_str_eq(n, "customers\n");
    free(n);
    /* InnoDB's statistics of the copy are exact: every page read. */
    borch_buf_init(&b);
    borch_buf_printf(&b,
                     "SELECT table_name, n_rows FROM mysql.innodb_table_stats WHERE "
                     "database_name = '%s' ORDER BY table_name",
                     ((borch_mysql_conn *)f.scratch)->database);
    free(q);
    q = borch_mysql_take(&b);
    n = rows_of(f.scratch, q);
    ck_assert_str_eq(n, "customers|5000\nitems|20000\norders|40000\n");
    free(n);
    /* ... and a candidate there gets its own (built for the next plan). */
    int id = add(&f, "customers", "city", NULL);
    borch_whatif_plan p = plan(&f, "SELECT id FROM customers WHERE city = 'x'", NULL);
    borch_whatif_plan_release(&p);
    borch_buf_init(&b);
    borch_buf_printf(&b,
                     "SELECT COUNT(*) FROM mysql.index_stats WHERE db_name = '%s' AND "
                     "index_name = 'borch_whatif_%d'",
                     ((borch_mysql_conn *)f.scratch)->database, id);
    free(q);
    q = borch_mysql_take(&b);
    n = rows_of(f.scratch, q);
    ck_assert_str_ne(n, "0\n");
    free(n);
    free(q);
    fx_close(&f);
}
END_TEST

START_TEST(sample_through_the_client_is_capped_and_exact)
{
    borch_mysql_whatif_opts o = {.row_cap = 1000, .force_fetch = 1};
    fixture f;
    fx_open(&f, &o);
    ck_assert(!f.w->same_server);
    char *n = rows_of(f.scratch, "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) "
                                 "FROM orders), (SELECT COUNT(*) FROM items)");
    ck_assert_str_eq(n, "1000|1000|1000\n");
    free(n);
    /* Bytes, NULLs, text and generated columns arrive as they are. */
    const char *rows = "SELECT id, customer_id, status, total, created_at, note, HEX(tag),"
                       " total_cents FROM orders WHERE id IN (3, 4, 999) ORDER BY id";
    char *copy = rows_of(f.scratch, rows);
    borch_conn *t = connect_to(target_url);
    char *orig = rows_of(t, rows);
    ck_assert_str_eq(copy, orig);
    ck_assert_ptr_nonnull(strstr(copy, "NULL"));
    free(copy);
    free(orig);
    const char *points = "SELECT id, ST_AsText(loc) FROM customers WHERE id IN (6, 7) ORDER BY id";
    copy = rows_of(f.scratch, points);
    orig = rows_of(t, points);
    ck_assert_str_eq(copy, "6|NULL\n7|POINT(7 7)\n");
    ck_assert_str_eq(copy, orig);
    free(copy);
    free(orig);
    borch_conn_close(t);
    /* Plans still work on the sample. */
    const char *sql = "SELECT * FROM orders WHERE customer_id = ?";
    borch_whatif_plan before = plan(&f, sql, by_customer);
    int id = add(&f, "orders", "customer_id", NULL);
    borch_whatif_plan after = plan(&f, sql, by_customer);
    ck_assert(uses(&after, id));
    ck_assert(after.cost < before.cost);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    fx_close(&f);
}
END_TEST

/* Runs sql on the server as the test user; fails the test on error. */
static void admin_exec(const char *sql)
{
    borch_error e = {0};
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_conn_open(server, NULL, &c, &e), 0);
    int rc = borch_conn_exec(c, sql, NULL, 1, &e);
    ck_assert_msg(rc == 0, "%s: %s", sql, e.message);
    borch_conn_close(c);
}

START_TEST(scratch_user_that_cannot_read_the_target_copies_through_the_client)
{
    borch_error e = {0};
    char *scratch_url = NULL;
    ck_assert_int_eq(borch_mysql_driver.scratch_create(server, &scratch_url, &e), 0);
    borch_url *su = NULL;
    ck_assert_int_eq(borch_url_parse(scratch_url, NULL, &su, &e), 0);
    char user[64], sql[512];
    snprintf(user, sizeof(user), "borch_wi_%ld", (long)getpid());
    snprintf(sql, sizeof(sql),
             "CREATE USER '%s'@'%%' IDENTIFIED BY 'wi-pw';\n"
             "GRANT ALL ON `%s`.* TO '%s'@'%%';",
             user, su->database, user);
    admin_exec(sql);
    /* The same server, as another user who may use only the scratch database. */
    borch_buf b;
    borch_buf_init(&b);
    borch_buf_printf(&b, "mysql://%s:wi-pw@%s:%d/%s", user, server->host, server->port,
                     su->database);
    char *limited_url = borch_mysql_take(&b);
    borch_conn *target = connect_to(target_url), *scratch = connect_to(limited_url);
    borch_whatif *w = NULL;
    int rc = borch_whatif_open(target, scratch, NULL, &w, &e);
    ck_assert_msg(rc == 0, "whatif_open: %s", e.message);
    ck_assert(w->same_server);
    char *n = rows_of(scratch, "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) "
                               "FROM orders), (SELECT COUNT(*) FROM items)");
    ck_assert_str_eq(n, "5000|40000|20000\n");
    free(n);
    borch_whatif_close(target, w);
    borch_conn_close(scratch);
    borch_conn_close(target);
    snprintf(sql, sizeof(sql), "DROP USER '%s'@'%%';", user);
    admin_exec(sql);
    ck_assert_int_eq(borch_mysql_driver.scratch_drop(server, scratch_url, &e), 0);
    free(limited_url);
    borch_url_free(su);
    free(scratch_url);
}
END_TEST

START_TEST(text_column_needs_an_explicit_prefix)
{
    fixture f;
    fx_open(&f, NULL);
    const char *cols[] = {"note"};
    borch_error e = {0};
    int id = 7;
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "orders", cols, 1, &id, &e),
                     BORCH_EUNSUPPORTED);
    ck_assert_int_eq(id, -1);
    ck_assert_ptr_nonnull(strstr(e.message, "'orders.note' is text"));
    ck_assert_ptr_nonnull(strstr(e.hint, "note(191)"));
    borch_error_clear(&e);
    const char *point[] = {"loc"};
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "customers", point, 1, &id, &e),
                     BORCH_EUNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(e.message, "'customers.loc' of type point"));
    borch_error_clear(&e);
    id = add(&f, "orders", "note(20)", NULL);
    borch_whatif_plan p = plan(&f, "SELECT id FROM orders WHERE note = ?",
                               (const char *const[]){"orders.note", NULL});
    ck_assert_msg(uses(&p, id), "plan: %s", p.text);
    borch_whatif_plan_release(&p);
    fx_close(&f);
}
END_TEST

START_TEST(bad_candidates_and_statements_are_refused)
{
    fixture f;
    fx_open(&f, NULL);
    borch_error e = {0};
    int id;
    const char *cols[] = {"customer_id", "nope"};
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "no_table", cols, 1, &id, &e),
                     BORCH_EINPUT);
    ck_assert_str_eq(e.message, "unknown table 'no_table'");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "orders", cols, 2, &id, &e),
                     BORCH_EINPUT);
    ck_assert_str_eq(e.message, "unknown column 'nope' in table 'orders'");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "orders", cols, 0, &id, &e),
                     BORCH_EINPUT);
    borch_error_clear(&e);
    const char *bad_prefix[] = {"note(x)"};
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "orders", bad_prefix, 1, &id, &e),
                     BORCH_EINPUT);
    borch_error_clear(&e);
    /* A prefix on a number is the server's error; the session goes on. */
    const char *num_prefix[] = {"customer_id(2)"};
    ck_assert_int_eq(borch_whatif_add_index(f.target, f.w, "orders", num_prefix, 1, &id, &e),
                     BORCH_ESQL);
    ck_assert_ptr_nonnull(strstr(e.message, "ERROR 1089"));
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_drop_index(f.target, f.w, 99, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    id = add(&f, "orders", "status", NULL);
    drop(&f, id);
    ck_assert_int_eq(borch_whatif_drop_index(f.target, f.w, id, &e), BORCH_EINPUT);
    ck_assert_str_eq(e.message, "no candidate index with id 0");
    borch_error_clear(&e);
    borch_whatif_plan p;
    ck_assert_int_eq(
        borch_whatif_explain(f.target, f.w, "SELECT * FROM no_table WHERE a = ?", NULL, 0, &p, &e),
        BORCH_ESQL);
    ck_assert_str_eq(e.statement, "SELECT * FROM no_table WHERE a = ?");
    borch_error_clear(&e);
    fx_close(&f);
}
END_TEST

START_TEST(a_scratch_that_is_not_empty_is_refused)
{
    borch_conn *t = connect_to(target_url);
    borch_error e = {0};
    borch_whatif *w = NULL;
    /* The target itself as scratch: refused before anything is written. */
    ck_assert_int_eq(borch_whatif_open(t, t, NULL, &w, &e), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.message, "is not empty"));
    ck_assert_ptr_null(w);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_whatif_open(t, NULL, NULL, &w, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    borch_conn_close(t);
}
END_TEST

START_TEST(without_a_model_the_catalog_lists_the_tables)
{
    fixture f;
    memset(&f, 0, sizeof(f));
    borch_error e = {0};
    f.target = connect_to(target_url);
    ck_assert_int_eq(borch_mysql_driver.scratch_create(server, &f.scratch_url, &e), 0);
    f.scratch = connect_to(f.scratch_url);
    ck_assert_int_eq(borch_whatif_open(f.target, f.scratch, NULL, &f.w, &e), 0);
    ck_assert_uint_eq(f.w->tables.count, 3);
    borch_whatif_plan p =
        plan(&f, "SELECT * FROM items WHERE sku = ?", (const char *const[]){"items.sku", NULL});
    ck_assert_int_eq(p.full_scans, 1);
    borch_whatif_plan_release(&p);
    fx_close(&f);
}
END_TEST

/* The copy's candidate indexes as "name|ignored" lines (MariaDB 10.6+: IGNORED). */
static char *copy_candidates(fixture *f)
{
    return rows_of(f->scratch, "SELECT INDEX_NAME, IGNORED FROM information_schema.STATISTICS"
                               " WHERE TABLE_SCHEMA = DATABASE() AND SEQ_IN_INDEX = 1"
                               " AND INDEX_NAME LIKE 'borch\\_whatif\\_%' ORDER BY INDEX_NAME");
}

/* 1 when the scratch server hides indexes with IGNORED (the tests read that column). */
static int hides_with_ignored(const fixture *f)
{
    const borch_mysql_conn *c = (const borch_mysql_conn *)f->scratch;
    return c->mariadb && c->version >= 100600;
}

START_TEST(candidates_are_built_for_the_next_plan)
{
    fixture f;
    fx_open(&f, NULL);
    int a = add(&f, "orders", "customer_id", NULL);
    int b = add(&f, "orders", "created_at", NULL);
    int c = add(&f, "customers", "city", NULL);
    int gone = add(&f, "orders", "total", NULL);
    drop(&f, gone); /* dropped before any plan: never built */
    char *idx = copy_candidates(&f);
    ck_assert_str_eq(idx, "");
    free(idx);
    borch_whatif_plan p = plan(&f, "SELECT id FROM orders WHERE customer_id = ?", by_customer);
    ck_assert_msg(uses(&p, a), "plan: %s", p.text);
    borch_whatif_plan_release(&p);
    idx = copy_candidates(&f);
    if (hides_with_ignored(&f))
        ck_assert_str_eq(idx, "borch_whatif_0|NO\nborch_whatif_1|NO\nborch_whatif_2|NO\n");
    ck_assert_ptr_null(strstr(idx, "borch_whatif_3"));
    free(idx);
    p = plan(&f, "SELECT id FROM customers WHERE city = ?",
             (const char *const[]){"customers.city", NULL});
    ck_assert_msg(uses(&p, c) && !uses(&p, b), "plan: %s", p.text);
    borch_whatif_plan_release(&p);
    fx_close(&f);
}
END_TEST

/*
 * Costs of plans with the candidate (customer_id, status) added, dropped
 * and added again: out[0..2] of one statement (the last one remembered,
 * not planned again), out[3] of another one after that, which the server
 * plans with the index shown again (or, with no_hide, built again).
 */
static void add_drop_add(const borch_mysql_whatif_opts *opts, double out_cost[4])
{
    fixture f;
    fx_open(&f, opts);
    int hiding = hides_with_ignored(&f) && !(opts && opts->no_hide);
    const char *sql = "SELECT id, total FROM orders WHERE customer_id = ? AND status = 'paid'";
    int a = add(&f, "orders", "customer_id", "status");
    borch_whatif_plan p1 = plan(&f, sql, by_customer);
    ck_assert_msg(uses(&p1, a), "plan: %s", p1.text);
    drop(&f, a);
    borch_whatif_plan p2 = plan(&f, sql, by_customer);
    ck_assert_uint_eq(p2.ncandidates_used, 0);
    ck_assert_msg(!strstr(p2.text, "borch_whatif"), "plan: %s", p2.text);
    char *idx = copy_candidates(&f);
    if (hiding)
        ck_assert_str_eq(idx, "borch_whatif_0|YES\n"); /* hidden, not dropped */
    else
        ck_assert_ptr_null(strstr(idx, "borch_whatif_0|NO"));
    free(idx);
    int b = add(&f, "orders", "customer_id", "status");
    ck_assert_int_ne(a, b); /* an id is dead once dropped */
    borch_whatif_plan p3 = plan(&f, sql, by_customer);
    ck_assert_msg(uses(&p3, b) && !uses(&p3, a), "plan: %s", p3.text);
    char want[64];
    snprintf(want, sizeof(want), "key=borch_whatif_%d", b);
    ck_assert_msg(strstr(p3.text, want), "plan: %s", p3.text);
    ck_assert_double_eq(p3.cost, p1.cost);
    ck_assert_int_eq(p3.full_scans, p1.full_scans);
    idx = copy_candidates(&f);
    if (hiding) /* the plan was remembered: the copy did not change */
        ck_assert_str_eq(idx, "borch_whatif_0|YES\n");
    free(idx);
    borch_whatif_plan p4 =
        plan(&f, "SELECT id FROM orders WHERE customer_id = ? AND status = 'new'", by_customer);
    ck_assert_msg(uses(&p4, b), "plan: %s", p4.text);
    idx = copy_candidates(&f);
    if (hiding)
        ck_assert_str_eq(idx, "borch_whatif_0|NO\n"); /* shown again, not built again */
    free(idx);
    out_cost[0] = p1.cost;
    out_cost[1] = p2.cost;
    out_cost[2] = p3.cost;
    out_cost[3] = p4.cost;
    borch_whatif_plan_release(&p1);
    borch_whatif_plan_release(&p2);
    borch_whatif_plan_release(&p3);
    borch_whatif_plan_release(&p4);
    fx_close(&f);
}

START_TEST(drop_then_add_again_gives_the_same_plan_hidden_or_rebuilt)
{
    double hidden[4], rebuilt[4], eager[4];
    add_drop_add(NULL, hidden);
    add_drop_add(&(borch_mysql_whatif_opts){.no_hide = 1}, rebuilt);
    add_drop_add(&(borch_mysql_whatif_opts){.no_hide = 1, .eager = 1}, eager);
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(hidden[i], rebuilt[i]);
        ck_assert_double_eq(hidden[i], eager[i]);
    }
    ck_assert_msg(hidden[0] < hidden[1], "cost %g with, %g without", hidden[0], hidden[1]);
}
END_TEST

START_TEST(a_plan_is_remembered_per_statement_and_visible_candidates)
{
    fixture f;
    fx_open(&f, NULL);
    const char *sql = "SELECT id FROM orders WHERE total = 7";
    borch_whatif_plan p0 = plan(&f, sql, NULL);
    size_t n = f.w->nmemo;
    int a = add(&f, "orders", "total", NULL);
    borch_whatif_plan p1 = plan(&f, sql, NULL); /* another state: planned */
    ck_assert_uint_eq(f.w->nmemo, n + 1);
    ck_assert_msg(uses(&p1, a) && p1.cost < p0.cost, "plan: %s", p1.text);
    drop(&f, a);
    borch_whatif_plan p2 = plan(&f, sql, NULL); /* the first state again: remembered */
    ck_assert_uint_eq(f.w->nmemo, n + 1);
    ck_assert_double_eq(p2.cost, p0.cost);
    ck_assert_str_eq(p2.text, p0.text);
    ck_assert_uint_eq(p2.ncandidates_used, 0);
    /* The copy has not changed; the next statement not planned yet hides the index. */
    char *idx = copy_candidates(&f);
    if (hides_with_ignored(&f))
        ck_assert_str_eq(idx, "borch_whatif_0|NO\n");
    free(idx);
    borch_whatif_plan p3 = plan(&f, "SELECT id FROM orders WHERE total = 8", NULL);
    ck_assert_uint_eq(p3.ncandidates_used, 0);
    idx = copy_candidates(&f);
    if (hides_with_ignored(&f))
        ck_assert_str_eq(idx, "borch_whatif_0|YES\n");
    free(idx);
    /* A candidate on a table the statement does not read leaves its plan as it was... */
    n = f.w->nmemo;
    int other = add(&f, "items", "sku", NULL);
    borch_whatif_plan p4 = plan(&f, sql, NULL);
    ck_assert_uint_eq(f.w->nmemo, n);
    ck_assert_double_eq(p4.cost, p0.cost);
    /* ... but not the plan of a view, which may read any table. */
    const char *view = "SELECT id FROM paid_orders WHERE customer_id = ?";
    borch_whatif_plan p5 = plan(&f, view, by_customer);
    int c = add(&f, "orders", "customer_id", NULL);
    borch_whatif_plan p6 = plan(&f, view, by_customer);
    ck_assert_uint_eq(f.w->nmemo, n + 2);
    ck_assert_msg(uses(&p6, c) && p6.cost < p5.cost, "plan: %s", p6.text);
    drop(&f, c);
    borch_whatif_plan p7 = plan(&f, view, by_customer); /* the state of p5 again */
    ck_assert_uint_eq(f.w->nmemo, n + 2);
    ck_assert_double_eq(p7.cost, p5.cost);
    drop(&f, other);
    borch_whatif_plan_release(&p4);
    borch_whatif_plan_release(&p5);
    borch_whatif_plan_release(&p6);
    borch_whatif_plan_release(&p7);
    borch_whatif_plan_release(&p0);
    borch_whatif_plan_release(&p1);
    borch_whatif_plan_release(&p2);
    borch_whatif_plan_release(&p3);
    fx_close(&f);
}
END_TEST

START_TEST(a_refused_batch_reports_and_builds_the_rest)
{
    fixture f;
    fx_open(&f, NULL);
    /* The session read the columns at open; the copy loses one behind its back. */
    char *r = rows_of(f.scratch, "ALTER TABLE orders DROP COLUMN tag");
    free(r);
    int bad = add(&f, "orders", "tag", NULL); /* looks fine: built with the next plan */
    int good = add(&f, "orders", "customer_id", NULL);
    borch_error e = {0};
    borch_whatif_plan p;
    ck_assert_int_eq(borch_whatif_explain(f.target, f.w,
                                          "SELECT id FROM orders WHERE customer_id = ?",
                                          by_customer, 1, &p, &e),
                     BORCH_ESQL);
    ck_assert_ptr_nonnull(strstr(e.message, "tag"));
    borch_error_clear(&e);
    p = plan(&f, "SELECT id FROM orders WHERE customer_id = ?", by_customer);
    ck_assert_msg(uses(&p, good) && !uses(&p, bad), "plan: %s", p.text);
    borch_whatif_plan_release(&p);
    drop(&f, bad);
    drop(&f, good);
    p = plan(&f, "SELECT id FROM orders WHERE customer_id = ?", by_customer);
    ck_assert_uint_eq(p.ncandidates_used, 0);
    borch_whatif_plan_release(&p);
    fx_close(&f);
}
END_TEST

START_TEST(hidden_indexes_make_room_for_new_ones)
{
    fixture f;
    fx_open(&f, NULL);
    /* 40 + 30 distinct three-column keys on orders: more than a table takes (64). */
    const char *cols[] = {"customer_id", "status", "total", "created_at", "id", "tag"};
    int ids[70], n = 0;
    for (int i = 0; i < 6 && n < 70; i++)
        for (int j = 0; j < 6 && n < 70; j++)
            for (int k = 0; k < 6 && n < 70; k++) {
                if (i == j || j == k || i == k)
                    continue;
                const char *key[] = {cols[i], cols[j], cols[k]};
                borch_error e = {0};
                ck_assert_int_eq(
                    borch_whatif_add_index(f.target, f.w, "orders", key, 3, &ids[n], &e), 0);
                if (++n == 40) {
                    borch_whatif_plan p = plan(&f, "SELECT id FROM orders WHERE total = 3", NULL);
                    borch_whatif_plan_release(&p);
                    for (int m = 0; m < 40; m++) {
                        f.w->indexes[f.w->cands[ids[m]].index].used = 1; /* worth keeping hidden */
                        drop(&f, ids[m]);
                    }
                    p = plan(&f, "SELECT id FROM orders WHERE total = 3", NULL);
                    borch_whatif_plan_release(&p);
                    char *idx = rows_of(f.scratch, "SELECT COUNT(DISTINCT INDEX_NAME) FROM"
                                                   " information_schema.STATISTICS WHERE"
                                                   " TABLE_SCHEMA = DATABASE() AND TABLE_NAME ="
                                                   " 'orders' AND INDEX_NAME LIKE 'borch%'");
                    ck_assert_str_eq(idx, "40\n"); /* hidden, all of them */
                    free(idx);
                }
            }
    borch_whatif_plan p =
        plan(&f, "SELECT id FROM orders WHERE tag = 'x' AND id = 2 AND total = 1", NULL);
    borch_whatif_plan_release(&p);
    char *idx = rows_of(f.scratch, "SELECT COUNT(DISTINCT INDEX_NAME) FROM"
                                   " information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                                   " AND TABLE_NAME = 'orders' AND INDEX_NAME LIKE 'borch%'");
    ck_assert_str_eq(idx, "30\n"); /* the hidden ones dropped to make room */
    free(idx);
    fx_close(&f);
}
END_TEST

START_TEST(time_1000_plans_and_50_candidates)
{
    fixture f;
    long long topen = borch_clock_ms();
    fx_open(&f, NULL); /* with making the scratch database and reading the model */
    topen = borch_clock_ms() - topen;
    const char *sqls[] = {
        "SELECT * FROM orders WHERE customer_id = ?",
        "SELECT o.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = ?",
        "SELECT * FROM orders WHERE status = ? ORDER BY created_at DESC LIMIT 20",
        "SELECT COUNT(*) FROM items WHERE sku = ?",
    };
    const char *const cols[][2] = {{"orders.customer_id", NULL},
                                   {"customers.city", NULL},
                                   {"orders.status", NULL},
                                   {"items.sku", NULL}};
    long long t0 = borch_clock_ms();
    for (int i = 0; i < 1000; i++) {
        borch_whatif_plan p = plan(&f, sqls[i % 4], cols[i % 4]);
        borch_whatif_plan_release(&p);
    }
    long long t1 = borch_clock_ms();
    for (int i = 0; i < 50; i++) {
        int id = add(&f, i % 2 ? "orders" : "items", i % 2 ? "customer_id" : "sku", NULL);
        borch_whatif_plan p = plan(&f, sqls[i % 2 ? 0 : 3], cols[i % 2 ? 0 : 3]);
        borch_whatif_plan_release(&p);
        drop(&f, id);
    }
    long long t2 = borch_clock_ms();
    fprintf(stderr,
            "mysql_whatif: open %lld ms, 1000 plans %lld ms, 50 add/plan/drop rounds %lld ms\n",
            topen, t1 - t0, t2 - t1);
    ck_assert_int_lt(t1 - t0, 30000);
    fx_close(&f);
}
END_TEST

/* ---- suite ---- */

START_TEST(server_tests_skipped)
{
    fprintf(stderr, "mysql_whatif: BORCH_TEST_MYSQL_URL is not set: server tests skipped "
                    "(start one with tests/support/servers.sh)\n");
}
END_TEST

START_TEST(server_url_required_in_ci)
{
    ck_abort_msg("BORCH_TEST_MYSQL_URL is not set but CI=true: what-if sessions must be tested "
                 "against a real server (tests/support/servers.sh)");
}
END_TEST

Suite *suite_mysql_whatif(void)
{
    Suite *s = suite_create("mysql_whatif");
    TCase *tc = tcase_create("offline");
    tcase_add_test(tc, mariadb_plan_counts_scans_sorts_and_keys);
    tcase_add_test(tc, engine_cost_wins_when_the_plan_has_one);
    tcase_add_test(tc, text_and_blob_types_need_a_prefix);
    suite_add_tcase(s, tc);

    TCase *srv = tcase_create("server");
    tcase_set_timeout(srv, 120);
    const char *url = getenv("BORCH_TEST_MYSQL_URL");
    const char *ci = getenv("CI");
    if (url && url[0]) {
        tcase_add_unchecked_fixture(srv, target_setup, target_teardown);
        tcase_add_test(srv, candidate_on_filter_column_lowers_cost_and_is_named);
        tcase_add_test(srv, two_column_candidate_wins_a_two_column_equality);
        tcase_add_test(srv, order_by_limit_uses_an_index_on_the_sort_column);
        tcase_add_test(srv, joins_dollar_params_views_and_existing_indexes);
        tcase_add_test(srv, the_target_keeps_its_indexes_and_rows);
        tcase_add_test(srv, copy_has_all_rows_statistics_and_views);
        tcase_add_test(srv, sample_through_the_client_is_capped_and_exact);
        tcase_add_test(srv, scratch_user_that_cannot_read_the_target_copies_through_the_client);
        tcase_add_test(srv, text_column_needs_an_explicit_prefix);
        tcase_add_test(srv, bad_candidates_and_statements_are_refused);
        tcase_add_test(srv, a_scratch_that_is_not_empty_is_refused);
        tcase_add_test(srv, without_a_model_the_catalog_lists_the_tables);
        tcase_add_test(srv, candidates_are_built_for_the_next_plan);
        tcase_add_test(srv, drop_then_add_again_gives_the_same_plan_hidden_or_rebuilt);
        tcase_add_test(srv, a_plan_is_remembered_per_statement_and_visible_candidates);
        tcase_add_test(srv, a_refused_batch_reports_and_builds_the_rest);
        tcase_add_test(srv, hidden_indexes_make_room_for_new_ones);
        tcase_add_test(srv, time_1000_plans_and_50_candidates);
    } else if (ci && strcmp(ci, "true") == 0) {
        tcase_add_test(srv, server_url_required_in_ci);
    } else {
        tcase_add_test(srv, server_tests_skipped);
    }
    suite_add_tcase(s, srv);
    return s;
}

#else /* !BORCH_WITH_MYSQL */

START_TEST(built_without_mysql)
{
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("built without MySQL support (libmariadb not found) but CI=true");
    fprintf(stderr, "mysql_whatif: built without MySQL support: tests skipped\n");
}
END_TEST

Suite *suite_mysql_whatif(void)
{
    Suite *s = suite_create("mysql_whatif");
    TCase *tc = tcase_create("offline");
    tcase_add_test(tc, built_without_mysql);
    suite_add_tcase(s, tc);
    return s;
}

#endif
