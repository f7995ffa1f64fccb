/*
 * test_sqlite_whatif.c - what-if sessions of the SQLite driver on a real
 * database file: customers, products, 50,000 orders and 100,000 order
 * items made with recursive CTEs. Candidate indexes must change the plans
 * the way real indexes would, the cost must follow, the target's own
 * statistics must be carried into the copy, and the target file must not
 * change by a single byte.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver.h"
#include "sqlite/sqlite_int.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/mem.h"

static const borch_conn_opts create_opts = {.create = 1};

/* The generated database, made once for the suite and copied by tests that change it. */
static char *data_dir;
static char *data_db;
static char *tmp_dir;

static const char *const schema_sql =
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT,"
    " country TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT,"
    " category TEXT NOT NULL, price REAL NOT NULL);"
    "CREATE INDEX idx_products_category ON products(category);"
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL"
    " REFERENCES customers(id), status TEXT NOT NULL, created_at TEXT NOT NULL,"
    " total REAL NOT NULL);"
    "CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL"
    " REFERENCES orders(id), product_id INTEGER NOT NULL REFERENCES products(id),"
    " qty INTEGER NOT NULL, price REAL NOT NULL);"
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE VIEW big_orders AS SELECT o.* FROM orders o WHERE o.total > 900;"
    "CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN"
    " UPDATE customers SET email = email WHERE id = NEW.customer_id; END;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)"
    " INSERT INTO customers SELECT x, 'customer ' || x, 'c' || x || '@example.com',"
    " 'country' || (x % 20), date('2020-01-01', '+' || (x % 1000) || ' days') FROM n;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500)"
    " INSERT INTO products SELECT x, 'SKU-' || x, 'product ' || x, 'category' || (x % 25),"
    " (x % 97) + 0.99 FROM n;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000)"
    " INSERT INTO orders SELECT x, (x * 7919) % 1999 + 1,"
    " CASE x % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped'"
    " WHEN 3 THEN 'cancelled' ELSE 'returned' END,"
    " datetime('2023-01-01', '+' || ((x * 104729) % 63072000) || ' seconds'),"
    " (x * 31) % 1000 + 0.5 FROM n;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000)"
    " INSERT INTO order_items SELECT x, (x + 1) / 2, (x * 13) % 500 + 1, x % 4 + 1,"
    " (x % 97) + 0.99 FROM n;"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50)"
    " INSERT INTO settings SELECT 'key' || x, 'value' FROM n;";

static void make_data(void)
{
    data_dir = make_temp_dir("whatif-data");
    data_db = borch_path_join(data_dir, "shop.db");
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(data_db, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, schema_sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "test data: %s\n", msg);
    sqlite3_free(msg);
    sqlite3_close(db);
    if (rc != SQLITE_OK)
        abort();
}

static void drop_data(void)
{
    rm_rf(data_dir);
    free(data_dir);
    free(data_db);
}

static void setup(void)
{
    tmp_dir = make_temp_dir("whatif");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
}

/* Copies the generated database to tmp_dir/name; returns the path (malloc'd). */
static char *copy_data(const char *name)
{
    char *bytes = NULL;
    size_t len = 0;
    borch_error err = {0};
    ck_assert_int_eq(borch_read_file(data_db, &bytes, &len, &err), 0);
    char *path = borch_path_join(tmp_dir, name);
    ck_assert_int_eq(borch_write_file_atomic(path, bytes, len, &err), 0);
    free(bytes);
    return path;
}

/* Opens a database file through the registry, as the core does. */
static borch_conn *open_path(const char *path)
{
    char text[1024];
    snprintf(text, sizeof(text), "sqlite://%s", path);
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

static borch_whatif *open_session(borch_conn *conn)
{
    borch_whatif *w = NULL;
    borch_error err = {0};
    int rc = borch_whatif_open(conn, NULL, NULL, &w, &err);
    ck_assert_msg(rc == 0, "whatif_open: %s", err.message);
    ck_assert_ptr_nonnull(w);
    return w;
}

static int add_index(borch_conn *conn, borch_whatif *w, const char *table,
                     const char *const *cols, size_t n)
{
    int id = -1;
    borch_error err = {0};
    int rc = borch_whatif_add_index(conn, w, table, cols, n, &id, &err);
    ck_assert_msg(rc == 0, "add_index %s: %s", table, err.message);
    ck_assert_int_ge(id, 0);
    return id;
}

static void drop_index(borch_conn *conn, borch_whatif *w, int id)
{
    borch_error err = {0};
    int rc = borch_whatif_drop_index(conn, w, id, &err);
    ck_assert_msg(rc == 0, "drop_index %d: %s", id, err.message);
}

static borch_whatif_plan explain(borch_conn *conn, borch_whatif *w, const char *sql)
{
    borch_whatif_plan p;
    borch_error err = {0};
    int rc = borch_whatif_explain(conn, w, sql, NULL, 0, &p, &err);
    ck_assert_msg(rc == 0, "explain %s: %s", sql, err.message);
    ck_assert_ptr_nonnull(p.text);
    return p;
}

static int uses_candidate(const borch_whatif_plan *p, int id)
{
    for (size_t i = 0; i < p->ncandidates_used; i++)
        if (p->candidates_used[i] == id)
            return 1;
    return 0;
}

static int uses_index(const borch_whatif_plan *p, const char *name)
{
    for (size_t i = 0; i < p->nindexes_used; i++)
        if (strcmp(p->indexes_used[i], name) == 0)
            return 1;
    return 0;
}

static const char *const by_customer = "SELECT * FROM orders WHERE customer_id = ?";

START_TEST(test_candidate_serves_filter)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    borch_whatif_plan before = explain(conn, w, by_customer);
    ck_assert_int_eq(before.full_scans, 1);
    ck_assert_uint_eq(before.ncandidates_used, 0);
    ck_assert_msg(before.cost >= 50000, "cost %f", before.cost);
    ck_assert_ptr_nonnull(strstr(before.text, "SCAN orders"));

    static const char *const cols[] = {"customer_id"};
    int id = add_index(conn, w, "orders", cols, 1);
    borch_whatif_plan after = explain(conn, w, by_customer);
    ck_assert_msg(uses_candidate(&after, id), "plan: %s", after.text);
    ck_assert_int_eq(after.full_scans, 0);
    ck_assert_msg(after.cost < before.cost * 0.1, "before %f after %f", before.cost, after.cost);

    drop_index(conn, w, id);
    borch_whatif_plan again = explain(conn, w, by_customer);
    ck_assert_str_eq(again.text, before.text);
    ck_assert_double_eq(again.cost, before.cost);
    ck_assert_uint_eq(again.ncandidates_used, 0);

    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_plan_release(&again);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

START_TEST(test_two_columns_preferred)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    static const char *const one[] = {"customer_id"};
    static const char *const two[] = {"customer_id", "status"};
    int id1 = add_index(conn, w, "orders", one, 1);
    int id2 = add_index(conn, w, "orders", two, 2);
    ck_assert_int_ne(id1, id2);
    const char *sql = "SELECT * FROM orders WHERE customer_id = ? AND status = ?";
    borch_whatif_plan p = explain(conn, w, sql);
    ck_assert_msg(uses_candidate(&p, id2) && !uses_candidate(&p, id1), "plan: %s", p.text);
    ck_assert_uint_eq(p.ncandidates_used, 1);
    /* The single column one alone costs more: its keys hold five times the rows. */
    drop_index(conn, w, id2);
    borch_whatif_plan single = explain(conn, w, sql);
    ck_assert(uses_candidate(&single, id1));
    ck_assert_msg(single.cost > p.cost, "two %f one %f", p.cost, single.cost);
    borch_whatif_plan_release(&p);
    borch_whatif_plan_release(&single);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

START_TEST(test_order_by_limit)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    const char *sql = "SELECT * FROM orders ORDER BY created_at LIMIT 10";
    borch_whatif_plan before = explain(conn, w, sql);
    ck_assert_int_eq(before.sorts, 1);
    static const char *const cols[] = {"created_at"};
    int id = add_index(conn, w, "orders", cols, 1);
    borch_whatif_plan after = explain(conn, w, sql);
    ck_assert_msg(uses_candidate(&after, id), "plan: %s", after.text);
    ck_assert_int_eq(after.sorts, 0);
    ck_assert_msg(after.cost < before.cost / 2, "before %f after %f", before.cost, after.cost);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

START_TEST(test_join_inner_key)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    const char *sql = "SELECT c.name, o.total FROM customers AS c JOIN orders o"
                      " ON o.customer_id = c.id WHERE c.country = ?";
    borch_whatif_plan before = explain(conn, w, sql);
    static const char *const cols[] = {"customer_id"};
    int id = add_index(conn, w, "orders", cols, 1);
    borch_whatif_plan after = explain(conn, w, sql);
    ck_assert_msg(uses_candidate(&after, id), "plan: %s", after.text);
    /* customers is the outer loop, orders searched by the candidate per customer */
    ck_assert_ptr_nonnull(strstr(after.text, "SCAN c"));
    ck_assert_ptr_nonnull(strstr(after.text, "SEARCH o USING INDEX borch_whatif_"));
    ck_assert_msg(after.cost < before.cost * 0.5, "before %f after %f\n%s", before.cost,
                  after.cost, before.text);

    /* Items of one customer's orders: a three-table join served by two candidates. */
    const char *items = "SELECT p.name, i.qty FROM orders o JOIN order_items i ON i.order_id = o.id"
                        " JOIN products p ON p.id = i.product_id WHERE o.customer_id = ?";
    borch_whatif_plan i1 = explain(conn, w, items);
    static const char *const item_cols[] = {"order_id"};
    int id2 = add_index(conn, w, "order_items", item_cols, 1);
    borch_whatif_plan i2 = explain(conn, w, items);
    ck_assert_msg(uses_candidate(&i2, id) && uses_candidate(&i2, id2), "plan: %s", i2.text);
    ck_assert_msg(i2.cost < i1.cost * 0.1, "before %f after %f", i1.cost, i2.cost);
    ck_assert_msg(uses_index(&i2, "INTEGER PRIMARY KEY"), "plan: %s", i2.text);

    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);
    borch_whatif_plan_release(&i1);
    borch_whatif_plan_release(&i2);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

START_TEST(test_subqueries_views_and_pk)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    const char *corr = "SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)"
                       " FROM customers c";
    const char *view = "SELECT * FROM big_orders WHERE customer_id = ?";
    const char *in_list = "SELECT * FROM customers WHERE id IN"
                          " (SELECT customer_id FROM orders WHERE status = 'new')";
    borch_whatif_plan c1 = explain(conn, w, corr);
    borch_whatif_plan v1 = explain(conn, w, view);
    borch_whatif_plan l1 = explain(conn, w, in_list);
    /* The correlated subquery scans orders once per customer. */
    ck_assert_msg(c1.cost > 2000.0 * 50000, "cost %f\n%s", c1.cost, c1.text);
    static const char *const cols[] = {"customer_id"};
    int id = add_index(conn, w, "orders", cols, 1);
    borch_whatif_plan c2 = explain(conn, w, corr);
    borch_whatif_plan v2 = explain(conn, w, view);
    ck_assert_msg(uses_candidate(&c2, id), "plan: %s", c2.text);
    ck_assert_msg(c2.cost < c1.cost * 0.01, "before %f after %f", c1.cost, c2.cost);
    ck_assert_msg(uses_candidate(&v2, id), "plan: %s", v2.text);
    ck_assert_msg(v2.cost < v1.cost * 0.1, "before %f after %f", v1.cost, v2.cost);
    ck_assert_int_eq(l1.full_scans, 1); /* orders; customers is searched by rowid */

    /* A WITHOUT ROWID table's key is reported by the name of its index. */
    borch_whatif_plan k = explain(conn, w, "SELECT value FROM settings WHERE key = ?");
    ck_assert_msg(uses_index(&k, "sqlite_autoindex_settings_1"), "plan: %s", k.text);
    ck_assert_msg(k.cost < 20, "cost %f", k.cost);
    /* An existing index, with statistics computed from the data (never ANALYZEd). */
    borch_whatif_plan pc = explain(conn, w, "SELECT * FROM products WHERE category = ?");
    ck_assert_msg(uses_index(&pc, "idx_products_category"), "plan: %s", pc.text);
    ck_assert_msg(pc.cost < 60, "cost %f", pc.cost); /* 20 rows per category, x2 */

    borch_whatif_plan *all[] = {&c1, &v1, &l1, &c2, &v2, &k, &pc};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        borch_whatif_plan_release(all[i]);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

/* The bytes and modification time of a file. */
typedef struct file_state {
    char *bytes;
    size_t len;
    struct timespec mtime;
} file_state;

static file_state state_of(const char *path)
{
    file_state s = {0};
    borch_error err = {0};
    ck_assert_int_eq(borch_read_file(path, &s.bytes, &s.len, &err), 0);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    s.mtime = st.st_mtim;
    return s;
}

START_TEST(test_target_unchanged)
{
    char *path = copy_data("target.db");
    file_state before = state_of(path);
    borch_conn *conn = open_path(path);
    borch_whatif *w = open_session(conn);
    static const char *const a[] = {"customer_id", "status"};
    static const char *const b[] = {"created_at"};
    int ia = add_index(conn, w, "orders", a, 2);
    int ib = add_index(conn, w, "orders", b, 1);
    borch_whatif_plan p = explain(conn, w, "SELECT * FROM orders WHERE customer_id = ?"
                                           " ORDER BY created_at");
    borch_whatif_plan_release(&p);
    drop_index(conn, w, ia);
    drop_index(conn, w, ib);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);

    file_state after = state_of(path);
    ck_assert_uint_eq(after.len, before.len);
    ck_assert(memcmp(after.bytes, before.bytes, before.len) == 0);
    ck_assert(after.mtime.tv_sec == before.mtime.tv_sec &&
              after.mtime.tv_nsec == before.mtime.tv_nsec);
    char *stat1 = sqlite_scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'");
    ck_assert_str_eq(stat1, "0");
    free(stat1);
    free(before.bytes);
    free(after.bytes);
    free(path);
}
END_TEST

/* Runs SQL on a file directly (the test's own writes, before a session). */
static void exec_file(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg);
    sqlite3_free(msg);
    sqlite3_close(db);
}

/* The index the plan of sql uses in a fresh session on path. */
static int plan_uses(const char *path, const char *sql, const char *index)
{
    borch_conn *conn = open_path(path);
    borch_whatif *w = open_session(conn);
    borch_whatif_plan p = explain(conn, w, sql);
    int used = uses_index(&p, index);
    borch_whatif_plan_release(&p);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
    return used;
}

START_TEST(test_target_stats_carried)
{
    char *path = copy_data("analyzed.db");
    exec_file(path, "CREATE INDEX idx_orders_status ON orders(status);"
                    "CREATE INDEX idx_orders_total ON orders(total);"
                    "ANALYZE;");
    const char *sql = "SELECT * FROM orders WHERE status = ? AND total = ?";
    /* As ANALYZE found them: total (50 rows a value) beats status (10,000). */
    ck_assert(plan_uses(path, sql, "idx_orders_total"));
    ck_assert(!plan_uses(path, sql, "idx_orders_status"));
    /* Statistics written by hand say the opposite, and the copy follows them. */
    exec_file(path, "UPDATE sqlite_stat1 SET stat = '50000 1' WHERE idx = 'idx_orders_status';"
                    "UPDATE sqlite_stat1 SET stat = '50000 25000' WHERE idx = 'idx_orders_total';");
    ck_assert(plan_uses(path, sql, "idx_orders_status"));
    ck_assert(!plan_uses(path, sql, "idx_orders_total"));

    /* The table's row count comes from the target's stat1 too: a full scan costs N. */
    exec_file(path, "UPDATE sqlite_stat1 SET stat = '5000000 100000' WHERE idx = 'idx_orders_status';"
                    "UPDATE sqlite_stat1 SET stat = '5000000 100' WHERE idx = 'idx_orders_total';");
    borch_conn *conn = open_path(path);
    borch_whatif *w = open_session(conn);
    borch_whatif_plan p = explain(conn, w, "SELECT * FROM orders");
    ck_assert_msg(p.cost >= 5000000 && p.cost < 5000001, "cost %f", p.cost);
    borch_whatif_plan_release(&p);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
    free(path);
}
END_TEST

START_TEST(test_stats_without_analyze)
{
    /* What the copy computes for a never-analyzed target equals ANALYZE's numbers. */
    char *path = copy_data("fresh.db");
    borch_conn *conn = open_path(path);
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    static const char *const parts[] = {"\"customer_id\"", "\"status\""};
    char *stat = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_sqlite_stat_compute(db, NULL, "orders", parts, 2, NULL, -1, &stat, &err), 0);
    exec_file(path, "CREATE INDEX cs ON orders(customer_id, status); ANALYZE orders;");
    char *analyzed = sqlite_scalar(path, "SELECT stat FROM sqlite_stat1 WHERE idx = 'cs'");
    ck_assert_str_eq(stat, analyzed);
    free(stat);
    free(analyzed);

    /* Through the cache: (customer_id) after (customer_id, status) reuses the
     * first prefix's counts and gives what a fresh count gives; N may be set. */
    borch_sqlite_stat_cache *cache = borch_sqlite_stat_cache_new();
    char *first = NULL, *cached = NULL, *fresh = NULL;
    ck_assert_int_eq(borch_sqlite_stat_compute(db, cache, "orders", parts, 2, NULL, -1, &first, &err), 0);
    ck_assert_int_eq(borch_sqlite_stat_compute(db, cache, "orders", parts, 1, NULL, 100000, &cached, &err), 0);
    ck_assert_int_eq(borch_sqlite_stat_compute(db, NULL, "orders", parts, 1, NULL, 100000, &fresh, &err), 0);
    ck_assert_str_eq(cached, fresh);
    ck_assert_str_eq(cached, "100000 51"); /* 25 or 26 orders per customer, scaled to N */
    free(first);
    free(cached);
    free(fresh);
    borch_sqlite_stat_cache_free(cache);
    static const char *const nope[] = {"nope"}; /* quoted, SQLite would read a string */
    ck_assert_int_eq(borch_sqlite_stat_compute(db, NULL, "orders", nope, 1, NULL, -1, &stat, &err), BORCH_ESQL);
    ck_assert_ptr_null(stat);
    ck_assert_str_eq(err.message, "no such column: nope");
    borch_error_clear(&err);

    /* A full scan costs the real row count, not SQLite's default of a million. */
    borch_whatif *w = open_session(conn);
    borch_whatif_plan p = explain(conn, w, "SELECT * FROM order_items");
    ck_assert_msg(p.cost == 100000, "cost %f", p.cost);
    ck_assert_int_eq(p.full_scans, 1);
    borch_whatif_plan_release(&p);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
    free(path);
}
END_TEST

START_TEST(test_stats_sampled)
{
    /* 250,000 rows: more than the sample, so distinct counts are scaled. */
    char *path = borch_path_join(tmp_dir, "big.db");
    exec_file(path, "CREATE TABLE t (id INTEGER PRIMARY KEY, u INTEGER, c INTEGER);"
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                    " WHERE x < 250000) INSERT INTO t SELECT x, x * 7, x % 10 FROM n;");
    borch_conn *conn = open_path(path);
    sqlite3 *db = ((borch_sqlite_conn *)conn)->db;
    static const char *const parts[] = {"\"c\"", "\"u\""};
    char *stat = NULL;
    borch_error err = {0};
    ck_assert_int_eq(borch_sqlite_stat_compute(db, NULL, "t", parts, 2, NULL, -1, &stat, &err), 0);
    /* c: 10 values of 25,000 rows; (c, u): unique. */
    ck_assert_str_eq(stat, "250000 25000 1");
    free(stat);
    static const char *const upart[] = {"\"u\""};
    ck_assert_int_eq(borch_sqlite_stat_compute(db, NULL, "t", upart, 1, "c < 5", -1, &stat, &err), 0);
    ck_assert_str_eq(stat, "125000 1");
    free(stat);
    borch_conn_close(conn);
    free(path);
}
END_TEST

START_TEST(test_bad_input)
{
    borch_conn *conn = open_path(data_db);
    borch_whatif *w = open_session(conn);
    borch_error err = {0};
    int id = 7;
    static const char *const cols[] = {"customer_id"};
    static const char *const bad_cols[] = {"customer_id", "nope"};
    ck_assert_int_eq(borch_whatif_add_index(conn, w, "missing", cols, 1, &id, &err),
                     BORCH_EINPUT);
    ck_assert_str_eq(err.message, "no table 'missing' in the schema");
    ck_assert_int_eq(id, -1);
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_add_index(conn, w, "orders", bad_cols, 2, &id, &err),
                     BORCH_EINPUT);
    ck_assert_str_eq(err.message, "no column 'nope' in table 'orders'");
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_add_index(conn, w, "orders", cols, 0, &id, &err),
                     BORCH_EINPUT);
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_add_index(conn, w, "big_orders", cols, 1, &id, &err),
                     BORCH_EINPUT); /* a view */
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_drop_index(conn, w, 42, &err), BORCH_EINPUT);
    ck_assert_str_eq(err.message, "no candidate index with id 42");
    borch_error_clear(&err);

    borch_whatif_plan p;
    ck_assert_int_eq(borch_whatif_explain(conn, w, "SELECT * FROM nowhere", NULL, 0, &p, &err),
                     BORCH_ESQL);
    ck_assert_str_eq(err.message, "no such table: nowhere");
    ck_assert_ptr_nonnull(err.statement);
    ck_assert_ptr_null(p.text);
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_explain(conn, w, "SELECT 1; SELECT 2", NULL, 0, &p, &err),
                     BORCH_EINPUT);
    borch_error_clear(&err);
    ck_assert_int_eq(borch_whatif_explain(conn, w, "  -- nothing\n", NULL, 0, &p, &err),
                     BORCH_EINPUT);
    borch_error_clear(&err);
    /* Parameters in both spellings plan; a trailing ';' is fine. */
    p = explain(conn, w, "SELECT * FROM orders WHERE customer_id = $1 AND status = ?2;");
    borch_whatif_plan_release(&p);

    /* After all that the session still works; failed adds took no id. */
    int ok = add_index(conn, w, "ORDERS", cols, 1);
    ck_assert_int_eq(ok, 0);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
}
END_TEST

START_TEST(test_schema_oddities)
{
    /* Quoted names, expression and partial indexes, FTS5, a virtual table whose
     * module is missing, a view made before the view it reads, a trigger. */
    char *path = borch_path_join(tmp_dir, "odd.db");
    exec_file(path,
              "CREATE VIEW ones AS SELECT * FROM lines_v WHERE n = 1;"
              "CREATE TABLE \"order lines\" (\"line id\" INTEGER PRIMARY KEY, \"we\"\"ird\" TEXT,"
              " email TEXT, n INT);"
              "CREATE VIEW lines_v AS SELECT * FROM \"order lines\" l;"
              "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000)"
              " INSERT INTO \"order lines\" SELECT x, 'w' || (x % 300), 'E' || x || '@x', x % 7"
              " FROM c;"
              "CREATE INDEX lower_email ON \"order lines\"(lower(email));"
              "CREATE INDEX part_n ON \"order lines\"(n) WHERE n > 3;"
              "CREATE TRIGGER t_ins AFTER INSERT ON \"order lines\" BEGIN SELECT 1; END;"
              "CREATE VIRTUAL TABLE docs USING fts5(body);"
              "INSERT INTO docs VALUES ('hello world'), ('more text');"
              "PRAGMA writable_schema = ON;"
              "INSERT INTO sqlite_master VALUES ('table', 'ghost', 'ghost', 0,"
              " 'CREATE VIRTUAL TABLE ghost USING nosuchmodule(a)');"
              "PRAGMA writable_schema = OFF;");
    exec_file(path, "CREATE INDEX borch_whatif_0 ON \"order lines\"(email);");
    borch_conn *conn = open_path(path);
    borch_whatif *w = open_session(conn);

    /* The expression index's statistics were computed: one row per key. */
    borch_whatif_plan e = explain(conn, w, "SELECT * FROM \"order lines\" ol WHERE lower(email) = ?");
    ck_assert_msg(uses_index(&e, "lower_email") && e.cost < 30, "cost %f\n%s", e.cost, e.text);
    borch_whatif_plan_release(&e);

    static const char *const weird[] = {"we\"ird"};
    const char *sql = "SELECT * FROM ones AS x WHERE \"we\"\"ird\" = ?";
    borch_whatif_plan before = explain(conn, w, sql);
    int id = add_index(conn, w, "order lines", weird, 1);
    ck_assert_int_eq(id, 1); /* the target already has an index named borch_whatif_0 */
    borch_whatif_plan after = explain(conn, w, sql);
    ck_assert_msg(uses_candidate(&after, id), "plan: %s", after.text);
    ck_assert_msg(before.cost == 3000 && after.cost < 100, "before %f after %f\n%s", before.cost,
                  after.cost, after.text);
    borch_whatif_plan_release(&before);
    borch_whatif_plan_release(&after);

    borch_whatif_plan f = explain(conn, w, "SELECT * FROM docs WHERE docs MATCH 'hello'");
    ck_assert_ptr_nonnull(strstr(f.text, "VIRTUAL TABLE"));
    borch_whatif_plan_release(&f);

    borch_error err = {0};
    borch_whatif_plan g;
    ck_assert_int_eq(borch_whatif_explain(conn, w, "SELECT * FROM ghost", NULL, 0, &g, &err),
                     BORCH_ESQL);
    ck_assert_str_eq(err.message, "no such table: ghost");
    borch_error_clear(&err);
    borch_whatif_close(conn, w);
    borch_conn_close(conn);
    free(path);
}
END_TEST

Suite *suite_sqlite_whatif(void)
{
    Suite *s = suite_create("sqlite_whatif");
    TCase *tc = tcase_create("whatif");
    tcase_add_unchecked_fixture(tc, make_data, drop_data);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_candidate_serves_filter);
    tcase_add_test(tc, test_two_columns_preferred);
    tcase_add_test(tc, test_order_by_limit);
    tcase_add_test(tc, test_join_inner_key);
    tcase_add_test(tc, test_subqueries_views_and_pk);
    tcase_add_test(tc, test_target_unchanged);
    tcase_add_test(tc, test_target_stats_carried);
    tcase_add_test(tc, test_stats_without_analyze);
    tcase_add_test(tc, test_stats_sampled);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_schema_oddities);
    suite_add_tcase(s, tc);
    return s;
}
