/*
 * test_sqlscan.c - what the query reader finds in SELECT / UPDATE / DELETE
 * for the index advisor, on a small shop schema: equality, range, join,
 * order and group columns per table use, columns read, parameters, and
 * the errors (missing table or column, syntax) with their positions.
 *
 * Shapes are compared as one line per query (see shape()), so that a
 * wrong or missing classification shows as a readable diff. "used" lists
 * columns in reading order: FROM / JOIN first, then the select list.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/model.h"
#include "core/sqlscan.h"
#include "util/buf.h"

static void cols(borch_table *t, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        borch_table_add_column(t, names[i], "integer", 1, NULL);
    borch_table_add_pk_column(t, "id");
}

static void fk(borch_table *t, const char *col, const char *ref)
{
    borch_fk_add_pair(borch_table_add_foreign_key(t, NULL, ref), col, "id");
}

/* customers, orders, order_items, products, categories, reviews; a view. */
static borch_schema *shop(const char *engine)
{
    borch_schema *s = borch_schema_new(engine);
    cols(borch_schema_add_table(s, "customers"),
         (const char *[]){"id", "email", "name", "country", "created_at", NULL});
    borch_table *o = borch_schema_add_table(s, "orders");
    cols(o, (const char *[]){"id", "customer_id", "status", "total", "created_at", NULL});
    fk(o, "customer_id", "customers");
    borch_table *oi = borch_schema_add_table(s, "order_items");
    cols(oi, (const char *[]){"id", "order_id", "product_id", "quantity", "price", NULL});
    fk(oi, "order_id", "orders");
    fk(oi, "product_id", "products");
    borch_table *p = borch_schema_add_table(s, "products");
    cols(p, (const char *[]){"id", "category_id", "name", "sku", "price", "created_at", NULL});
    fk(p, "category_id", "categories");
    borch_table *c = borch_schema_add_table(s, "categories");
    cols(c, (const char *[]){"id", "parent_id", "name", NULL});
    fk(c, "parent_id", "categories");
    borch_table *r = borch_schema_add_table(s, "reviews");
    cols(r,
         (const char *[]){"id", "product_id", "customer_id", "rating", "body", "created_at", NULL});
    fk(r, "product_id", "products");
    fk(r, "customer_id", "customers");
    borch_table *m = borch_schema_add_table(s, "MixedCase");
    cols(m, (const char *[]){"id", "Title", NULL});
    borch_schema_add_view(s, "customer_totals",
                          "SELECT customer_id, sum(total) AS total FROM orders GROUP BY 1");
    return s;
}

static void list(borch_buf *b, const char *label, const borch_strv *v)
{
    if (!v->count)
        return;
    borch_buf_printf(b, " %s:", label);
    for (size_t i = 0; i < v->count; i++)
        borch_buf_printf(b, "%s%s", i ? "," : "", v->items[i]);
}

/* One line: "t(alias) eq:.. range:.. join:.. order:..[ desc] group:.. used:.. *" per use. */
static char *shape(const borch_query_shape *q)
{
    borch_buf b = {0};
    for (size_t i = 0; i < q->ntables; i++) {
        const borch_table_use *u = &q->tables[i];
        borch_buf_printf(&b, "%s%s", i ? " | " : "", u->table);
        if (u->alias)
            borch_buf_printf(&b, "(%s)", u->alias);
        list(&b, "eq", &u->eq);
        list(&b, "range", &u->range);
        list(&b, "join", &u->join);
        list(&b, "order", &u->order);
        if (u->order_desc)
            borch_buf_puts(&b, " desc");
        list(&b, "group", &u->group);
        list(&b, "used", &u->used);
        if (u->star)
            borch_buf_puts(&b, " *");
    }
    if (q->has_limit)
        borch_buf_puts(&b, " limit");
    return borch_buf_detach(&b);
}

/* "1=orders.status 2=-" */
static char *params(const borch_query_shape *q)
{
    borch_buf b = {0};
    for (size_t i = 0; i < q->params.count; i++)
        borch_buf_printf(&b, "%s%zu=%s", i ? " " : "", i + 1,
                         q->params.items[i] ? q->params.items[i] : "-");
    return borch_buf_detach(&b);
}

/* Scans sql on engine's shop schema and compares the shape line. */
static void check_shape_on(const char *engine, const char *sql, const char *want)
{
    borch_schema *s = shop(engine);
    borch_query_shape q;
    borch_error err = {0};
    int rc = borch_sqlscan(sql, s, &q, &err);
    ck_assert_msg(rc == 0, "%s: %s (%d:%d)", sql, err.message, err.line, err.column);
    char *got = shape(&q);
    ck_assert_msg(strcmp(got, want) == 0, "%s\n got: %s\nwant: %s", sql, got, want);
    free(got);
    borch_query_shape_release(&q);
    borch_schema_free(s);
}

static void check_shape(const char *sql, const char *want)
{
    check_shape_on("postgres", sql, want);
}

static void check_params(const char *engine, const char *sql, const char *want)
{
    borch_schema *s = shop(engine);
    borch_query_shape q;
    borch_error err = {0};
    int rc = borch_sqlscan(sql, s, &q, &err);
    ck_assert_msg(rc == 0, "%s: %s", sql, err.message);
    char *got = params(&q);
    ck_assert_msg(strcmp(got, want) == 0, "%s\n got: %s\nwant: %s", sql, got, want);
    free(got);
    borch_query_shape_release(&q);
    borch_schema_free(s);
}

/* Expects BORCH_EINPUT with message and position. */
static void check_error_on(const char *engine, const char *sql, const char *message, int line,
                           int column)
{
    borch_schema *s = shop(engine);
    borch_query_shape q;
    borch_error err = {0};
    int rc = borch_sqlscan(sql, s, &q, &err);
    ck_assert_msg(rc == BORCH_EINPUT, "%s: rc %d", sql, rc);
    ck_assert_msg(strcmp(err.message, message) == 0, "%s\n got: %s\nwant: %s", sql, err.message,
                  message);
    ck_assert_msg(err.line == line && err.column == column, "%s: at %d:%d, want %d:%d", sql,
                  err.line, err.column, line, column);
    ck_assert_uint_eq(q.ntables, 0);
    ck_assert_uint_eq(q.params.count, 0);
    borch_query_shape_release(&q);
    borch_error_clear(&err);
    borch_schema_free(s);
}

static void check_error(const char *sql, const char *message, int line, int column)
{
    check_error_on("postgres", sql, message, line, column);
}

/* ---- equality, range, IN, IS NULL, LIKE ---- */

START_TEST(equality_with_constants_params_and_expressions)
{
    check_shape("SELECT id FROM orders WHERE status = 'paid' AND customer_id = $1 AND "
                "total = 2 * 3 AND 7 = id",
                "orders eq:status,customer_id,total,id used:id,status,customer_id,total");
}
END_TEST

START_TEST(in_lists_and_is_null_are_equality)
{
    check_shape("SELECT 1 FROM orders WHERE status IN ('new', 'paid') AND customer_id IS NULL "
                "AND total IS NOT NULL AND id NOT IN (1, 2)",
                "orders eq:status,customer_id used:status,customer_id,total,id");
}
END_TEST

START_TEST(ranges_between_and_prefix_like)
{
    check_shape("SELECT name FROM products WHERE price > 10 AND created_at BETWEEN $1 AND $2 "
                "AND sku LIKE 'AB%' AND name LIKE '%shoe' AND 5 >= category_id",
                "products range:price,created_at,sku,category_id "
                "used:name,price,created_at,sku,category_id");
}
END_TEST

START_TEST(like_with_parameter_and_ilike_are_ranges)
{
    check_shape("SELECT id FROM customers WHERE email LIKE ? AND name ILIKE 'jo%' "
                "AND country LIKE '_x'",
                "customers range:email,name used:id,email,name,country");
    check_shape("SELECT id FROM customers WHERE email LIKE $1 || '%'",
                "customers range:email used:id,email");
}
END_TEST

START_TEST(or_functions_and_arithmetic_are_read_not_classified)
{
    check_shape("SELECT id FROM orders WHERE (status = 'a' OR status = 'b') AND "
                "lower(status) = 'x' AND total + 1 > 5 AND NOT (customer_id = 3) "
                "AND status <> 'z'",
                "orders used:id,status,total,customer_id");
}
END_TEST

START_TEST(equality_with_any_array)
{
    check_shape("SELECT id FROM orders WHERE customer_id = ANY($1::int[]) AND id <> ALL($2)",
                "orders eq:customer_id used:id,customer_id");
}
END_TEST

START_TEST(scalar_subquery_counts_as_a_constant)
{
    check_shape("SELECT id FROM orders WHERE total = (SELECT max(total) FROM orders)",
                "orders eq:total used:id,total | orders used:total");
}
END_TEST

/* ---- joins ---- */

START_TEST(three_table_join_on_and_where)
{
    check_shape(
        "SELECT c.name, o.total, i.quantity FROM customers c "
        "JOIN orders o ON o.customer_id = c.id "
        "INNER JOIN order_items i ON i.order_id = o.id AND i.quantity > 1 "
        "WHERE c.country = 'NL' AND o.created_at >= now() - interval '7 days'",
        "customers(c) eq:country join:id used:id,name,country | "
        "orders(o) range:created_at join:customer_id,id used:customer_id,id,total,created_at | "
        "order_items(i) range:quantity join:order_id used:order_id,quantity");
}
END_TEST

START_TEST(left_join_on_counts_for_the_right_table_only)
{
    check_shape("SELECT c.id FROM customers c LEFT JOIN orders o "
                "ON o.customer_id = c.id AND o.status = 'open' AND c.country = 'NL'",
                "customers(c) used:id,country | "
                "orders(o) eq:status join:customer_id used:customer_id,status");
}
END_TEST

START_TEST(right_join_on_counts_for_the_left_tables)
{
    check_shape("SELECT 1 FROM orders o RIGHT OUTER JOIN customers c ON o.customer_id = c.id "
                "AND c.country = 'NL' AND o.status = 'x'",
                "orders(o) eq:status join:customer_id used:customer_id,status | "
                "customers(c) used:id,country");
}
END_TEST

START_TEST(comma_join_with_predicates_in_where)
{
    check_shape("SELECT o.id FROM orders o, customers c WHERE o.customer_id = c.id AND "
                "c.email = ?",
                "orders(o) join:customer_id used:id,customer_id | "
                "customers(c) eq:email join:id used:id,email");
}
END_TEST

START_TEST(using_and_natural_give_join_columns)
{
    check_shape("SELECT * FROM order_items JOIN orders USING (id) CROSS JOIN categories",
                "order_items join:id used:id * | orders join:id used:id * | categories *");
    check_shape("SELECT name FROM products NATURAL JOIN categories",
                "products join:id,name used:id,name | categories join:id,name used:id,name");
}
END_TEST

START_TEST(self_join_gives_two_uses)
{
    check_shape("SELECT a.name FROM categories a JOIN categories b ON a.parent_id = b.id "
                "WHERE b.name = $1",
                "categories(a) join:parent_id used:parent_id,name | "
                "categories(b) eq:name join:id used:id,name");
}
END_TEST

START_TEST(join_with_expression_other_side)
{
    /* o.id = i.order_id + 0 still joins o.id; i.order_id sits in arithmetic */
    check_shape("SELECT 1 FROM orders o JOIN order_items i ON o.id = i.order_id + 0",
                "orders(o) join:id used:id | order_items(i) used:order_id");
}
END_TEST

/* ---- order, group, used, star ---- */

START_TEST(order_by_columns_of_one_table)
{
    check_shape("SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC "
                "LIMIT 20",
                "orders eq:customer_id order:created_at,id desc used:id,customer_id,created_at "
                "limit");
    check_shape("SELECT id FROM orders ORDER BY created_at, id DESC", "orders used:id,created_at");
    check_shape("SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id "
                "ORDER BY c.name, o.created_at",
                "orders(o) join:customer_id used:customer_id,id,created_at | "
                "customers(c) join:id used:id,name");
}
END_TEST

START_TEST(order_by_position_and_output_alias)
{
    check_shape("SELECT id, created_at AS made FROM orders ORDER BY 2",
                "orders order:created_at used:id,created_at");
    check_shape("SELECT id, created_at AS made FROM orders ORDER BY made DESC",
                "orders order:created_at desc used:id,created_at");
    check_shape("SELECT id, total * 2 AS t2 FROM orders ORDER BY t2", "orders used:id,total");
    check_shape("SELECT *, created_at FROM orders ORDER BY 2 DESC",
                "orders order:created_at desc used:created_at *");
    check_shape("SELECT *, created_at FROM orders ORDER BY 1", "orders used:created_at *");
}
END_TEST

START_TEST(group_by_and_having)
{
    check_shape("SELECT customer_id, count(*) AS n FROM orders WHERE status = 'paid' "
                "GROUP BY customer_id HAVING count(*) > 3 ORDER BY n DESC",
                "orders eq:status group:customer_id used:customer_id,status");
    check_shape("SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id "
                "GROUP BY o.status, c.country",
                "orders(o) join:customer_id used:customer_id,status | "
                "customers(c) join:id used:id,country");
}
END_TEST

START_TEST(star_and_table_star)
{
    check_shape(
        "SELECT o.*, c.email FROM orders o JOIN customers c ON c.id = o.customer_id",
        "orders(o) join:customer_id used:customer_id * | customers(c) join:id used:id,email");
    check_shape("SELECT count(*), count(DISTINCT status) FROM orders", "orders used:status");
    /* PostgreSQL whole-row references */
    check_shape("SELECT row_to_json(c), count(o.*) FROM customers c JOIN orders o "
                "ON o.customer_id = c.id GROUP BY c.id",
                "customers(c) join:id group:id used:id * | orders(o) join:customer_id "
                "used:customer_id *");
}
END_TEST

START_TEST(limit_and_fetch_first)
{
    check_shape("SELECT id FROM orders FETCH FIRST 5 ROWS ONLY", "orders used:id limit");
    check_shape("SELECT id FROM orders LIMIT 10 OFFSET 20", "orders used:id limit");
    check_shape("SELECT id FROM orders LIMIT ALL", "orders used:id");
    check_shape_on("mysql", "SELECT id FROM orders LIMIT 20, 10", "orders used:id limit");
    check_shape("SELECT id FROM orders WHERE id IN (SELECT order_id FROM order_items LIMIT 3)",
                "orders eq:id used:id | order_items used:order_id");
}
END_TEST

/* ---- subqueries, CTE, UNION ---- */

START_TEST(subquery_in_where_and_in)
{
    check_shape("SELECT name FROM products WHERE category_id IN "
                "(SELECT id FROM categories WHERE parent_id = 3) AND price < 9",
                "products eq:category_id range:price used:name,category_id,price | "
                "categories eq:parent_id used:id,parent_id");
}
END_TEST

START_TEST(correlated_exists_subquery)
{
    check_shape("SELECT p.name FROM products p WHERE EXISTS (SELECT 1 FROM reviews r "
                "WHERE r.product_id = p.id AND rating >= 4) AND NOT EXISTS "
                "(SELECT 1 FROM order_items WHERE product_id = p.id)",
                "products(p) join:id used:name,id | "
                "reviews(r) range:rating join:product_id used:product_id,rating | "
                "order_items join:product_id used:product_id");
}
END_TEST

START_TEST(unqualified_column_resolves_to_outer_scope)
{
    /* email is only in customers: the correlated reference reaches the outer query */
    check_shape("SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders "
                "WHERE status = email)",
                "customers eq:id join:email used:id,email | "
                "orders join:status used:customer_id,status");
}
END_TEST

START_TEST(derived_table_resolves_loosely)
{
    check_shape("SELECT c.name, t.n FROM customers c JOIN (SELECT customer_id, count(*) AS n "
                "FROM orders GROUP BY customer_id) t ON t.customer_id = c.id WHERE t.n > 5 "
                "AND whatever = 1",
                "customers(c) join:id used:id,name | orders group:customer_id used:customer_id");
}
END_TEST

START_TEST(cte_and_view_produce_no_table_use)
{
    check_shape("WITH recent AS (SELECT * FROM orders WHERE created_at > $1) "
                "SELECT c.email FROM customers c JOIN recent r ON r.customer_id = c.id "
                "JOIN customer_totals t ON t.customer_id = c.id WHERE r.total > 100",
                "orders range:created_at used:created_at * | customers(c) join:id used:id,email");
}
END_TEST

START_TEST(recursive_cte)
{
    check_shape("WITH RECURSIVE tree(id) AS (SELECT id FROM categories WHERE id = $1 "
                "UNION ALL SELECT c.id FROM categories c JOIN tree t ON c.parent_id = t.id) "
                "SELECT p.name FROM products p WHERE p.category_id IN (SELECT id FROM tree)",
                "categories eq:id used:id | categories(c) join:parent_id used:parent_id,id | "
                "products(p) eq:category_id used:name,category_id");
}
END_TEST

START_TEST(union_of_selects_ignores_outer_order)
{
    check_shape("SELECT id, created_at FROM orders WHERE status = 'a' UNION "
                "SELECT id, created_at FROM reviews WHERE rating = 5 ORDER BY created_at LIMIT 5",
                "orders eq:status used:id,created_at,status | "
                "reviews eq:rating used:id,created_at,rating limit");
    check_shape("SELECT 1 FROM products WHERE id IN ((SELECT product_id FROM reviews) UNION "
                "(SELECT product_id FROM order_items)) AND ((SELECT 1) + 1) > 0",
                "products eq:id used:id | reviews used:product_id | order_items used:product_id");
    check_shape("(SELECT id FROM orders ORDER BY id LIMIT 1) UNION ALL (SELECT id FROM reviews)",
                "orders order:id used:id | reviews used:id limit");
}
END_TEST

/* ---- UPDATE, DELETE, other ---- */

START_TEST(update_set_where)
{
    check_shape("UPDATE orders SET status = $1, total = total + 1 WHERE id = $2 AND "
                "created_at < now()",
                "orders eq:id range:created_at used:status,total,id,created_at");
    check_params("postgres", "UPDATE orders SET status = $1, total = total + 1 WHERE id = $2",
                 "1=orders.status 2=orders.id");
}
END_TEST

START_TEST(update_from_and_mysql_multi_table)
{
    check_shape("UPDATE orders o SET total = i.price FROM order_items i WHERE i.order_id = o.id "
                "AND i.product_id = 5",
                "orders(o) join:id used:total,id | "
                "order_items(i) eq:product_id join:order_id used:price,order_id,product_id");
    check_shape_on("mysql",
                   "UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.status = "
                   "'x' WHERE c.country = 'NL' ORDER BY o.id LIMIT 10",
                   "orders(o) join:customer_id order:id used:customer_id,status,id | "
                   "customers(c) eq:country join:id used:id,country limit");
}
END_TEST

START_TEST(delete_forms)
{
    check_shape("DELETE FROM reviews WHERE customer_id = $1 AND created_at < $2",
                "reviews eq:customer_id range:created_at used:customer_id,created_at");
    check_shape("DELETE FROM reviews r USING products p WHERE p.id = r.product_id AND p.sku = 'x'",
                "reviews(r) join:product_id used:product_id | "
                "products(p) eq:sku join:id used:id,sku");
    check_shape_on("mysql", "DELETE r FROM reviews r JOIN products p ON p.id = r.product_id",
                   "reviews(r) join:product_id used:product_id | products(p) join:id used:id");
}
END_TEST

START_TEST(insert_and_ddl_are_other)
{
    const char *sqls[] = {
        "INSERT INTO orders (id) SELECT id FROM nowhere",
        "CREATE INDEX x ON orders (status)",
        "WITH a AS (SELECT 1) INSERT INTO orders (id) SELECT 1 FROM a",
        "VALUES (1, 2)",
        "BEGIN",
        "SET search_path TO public",
        "EXPLAIN SELECT 1",
        "PRAGMA table_info(orders)",
    };
    borch_schema *s = shop("postgres");
    for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
        borch_query_shape q;
        borch_error err = {0};
        ck_assert_int_eq(borch_sqlscan(sqls[i], s, &q, &err), 0);
        ck_assert_int_eq(q.kind, BORCH_STMT_OTHER);
        ck_assert_uint_eq(q.ntables, 0);
        borch_query_shape_release(&q);
    }
    borch_schema_free(s);
}
END_TEST

START_TEST(statement_kinds)
{
    borch_schema *s = shop("sqlite");
    const char *sqls[] = {"SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x",
                          "UPDATE orders SET total = 1", "DELETE FROM orders"};
    enum borch_stmt_kind kinds[] = {BORCH_STMT_SELECT, BORCH_STMT_SELECT, BORCH_STMT_UPDATE,
                                    BORCH_STMT_DELETE};
    for (int i = 0; i < 4; i++) {
        borch_query_shape q;
        borch_error err = {0};
        ck_assert_int_eq(borch_sqlscan(sqls[i], s, &q, &err), 0);
        ck_assert_int_eq(q.kind, kinds[i]);
        borch_query_shape_release(&q);
    }
    borch_schema_free(s);
}
END_TEST

/* ---- parameters ---- */

START_TEST(numbered_params_map_to_columns)
{
    check_params("postgres",
                 "SELECT id FROM orders o WHERE o.status = $2 AND $1 = o.customer_id "
                 "AND total > $3 LIMIT $4",
                 "1=orders.customer_id 2=orders.status 3=orders.total 4=-");
}
END_TEST

START_TEST(question_marks_in_order_of_appearance)
{
    check_params("mysql",
                 "SELECT id FROM orders WHERE id IN (?, ?) AND created_at BETWEEN ? AND ? "
                 "AND status LIKE ? AND lower(status) = ? AND ? = customer_id",
                 "1=orders.id 2=orders.id 3=orders.created_at 4=orders.created_at "
                 "5=orders.status 6=- 7=orders.customer_id");
}
END_TEST

START_TEST(params_inside_or_and_subqueries_and_casts)
{
    check_params("postgres",
                 "SELECT 1 FROM customers c WHERE c.country = $1::text OR EXISTS (SELECT 1 "
                 "FROM orders o WHERE o.customer_id = c.id AND o.total >= CAST($2 AS numeric))",
                 "1=customers.country 2=orders.total");
}
END_TEST

START_TEST(named_params)
{
    check_params("sqlite",
                 "SELECT 1 FROM orders WHERE status = :s AND customer_id = :c AND "
                 "id = :s",
                 "1=orders.status 2=orders.customer_id");
}
END_TEST

/* ---- dialects ---- */

START_TEST(mysql_backquotes_hints_and_double_quoted_strings)
{
    check_shape_on("mysql",
                   "SELECT `o`.`id` FROM `shop`.`orders` AS `o` FORCE INDEX (idx_x) "
                   "WHERE `o`.`status` = \"paid\" AND o.created_at > NOW() - INTERVAL 7 DAY "
                   "# trailing comment",
                   "orders(o) eq:status range:created_at used:id,status,created_at");
}
END_TEST

START_TEST(postgres_casts_schema_and_quoted_names)
{
    check_shape("SELECT \"Title\" FROM public.\"MixedCase\" m WHERE m.id = $1::bigint "
                "AND m.\"Title\"::text ILIKE 'a%'",
                "MixedCase(m) eq:id used:Title,id");
    check_error("SELECT 1 FROM \"mixedcase\"",
                "table 'mixedcase' does not exist (did you mean 'MixedCase'?)", 1, 15);
}
END_TEST

START_TEST(sqlite_brackets_and_case_insensitive_names)
{
    check_shape_on("sqlite", "SELECT [Name] FROM [Customers] WHERE EMAIL = 'x' AND \"id\" = 1",
                   "customers eq:email,id used:name,email,id");
    /* SQLite reads an unknown double-quoted name as a string */
    check_shape_on("sqlite", "SELECT id FROM orders WHERE status = \"paid\"",
                   "orders eq:status used:id,status");
}
END_TEST

START_TEST(functions_case_and_special_syntax)
{
    check_shape(
        "SELECT CASE WHEN o.total > 10 THEN 'big' ELSE 'small' END, "
        "EXTRACT(YEAR FROM o.created_at), SUBSTRING(o.status FROM 1 FOR 2), "
        "TRIM(BOTH ' ' FROM o.status), POSITION('a' IN o.status), "
        "string_agg(o.status, ',' ORDER BY o.id), "
        "row_number() OVER (PARTITION BY o.customer_id ORDER BY o.created_at), "
        "count(*) FILTER (WHERE o.total > 1), CURRENT_DATE, o.created_at AT TIME ZONE 'UTC' "
        "FROM orders o WHERE o.status IS DISTINCT FROM 'x' FOR UPDATE SKIP LOCKED",
        "orders(o) used:total,created_at,status,id,customer_id");
    check_shape_on("mysql",
                   "SELECT GROUP_CONCAT(DISTINCT name ORDER BY name SEPARATOR ';'), "
                   "TIMESTAMPDIFF(DAY, MIN(created_at), NOW()), CONVERT(name, CHAR), "
                   "DATE_ADD(created_at, INTERVAL 1 MONTH) FROM customers",
                   "customers used:name,created_at");
}
END_TEST

START_TEST(comments_strings_and_dollar_quotes)
{
    check_shape("/* head */ SELECT id -- the key\nFROM orders WHERE status = $$it's$$ "
                "AND created_at > E'\\'x' AND total = 'a''b'",
                "orders eq:status,total range:created_at used:id,status,created_at,total");
}
END_TEST

START_TEST(ambiguous_unqualified_column_is_read_but_not_classified)
{
    check_shape("SELECT id FROM orders o JOIN customers c ON c.id = o.customer_id "
                "WHERE created_at > $1 AND email = 'x'",
                "orders(o) join:customer_id used:customer_id | "
                "customers(c) eq:email join:id used:id,email");
}
END_TEST

START_TEST(row_values_keyset_pagination_and_in)
{
    check_shape("SELECT id FROM orders WHERE (created_at, id) < ($1, $2) "
                "ORDER BY created_at DESC, id DESC LIMIT 20",
                "orders range:created_at order:created_at,id desc used:id,created_at limit");
    check_params("postgres", "SELECT id FROM orders WHERE (created_at, id) < ($1, $2)",
                 "1=orders.created_at 2=orders.id");
    check_shape("SELECT 1 FROM orders WHERE (customer_id, status) IN ((1, 'a'), (2, 'b'))",
                "orders eq:customer_id,status used:customer_id,status");
    check_shape("SELECT 1 FROM orders o, customers c WHERE (o.customer_id, o.status) = (c.id, 'x')",
                "orders(o) eq:status join:customer_id used:customer_id,status | "
                "customers(c) join:id used:id");
}
END_TEST

START_TEST(cte_shadowing_a_table_reads_the_table)
{
    check_shape("WITH orders AS (SELECT * FROM orders WHERE status = 'x') "
                "SELECT id FROM orders WHERE total > 1",
                "orders eq:status used:status *");
}
END_TEST

START_TEST(system_catalogs_are_accepted_without_use)
{
    check_shape("SELECT c.relname FROM pg_catalog.pg_class c JOIN orders o ON o.id = c.oid",
                "orders(o) join:id used:id");
    check_shape_on("mysql", "SELECT table_name FROM information_schema.tables", "");
    check_shape_on("sqlite", "SELECT name FROM sqlite_master WHERE type = 'table'", "");
}
END_TEST

START_TEST(postgres_question_mark_operator_is_no_parameter)
{
    check_params("postgres", "SELECT id FROM orders WHERE status ? 'k' AND id = $1", "1=orders.id");
    check_params("mysql", "SELECT id FROM orders WHERE status = ? AND id = ?",
                 "1=orders.status 2=orders.id");
}
END_TEST

START_TEST(mysql_null_safe_equality_and_select_into)
{
    check_shape_on("mysql", "SELECT id FROM orders WHERE customer_id <=> NULL AND id = 1 INTO @x",
                   "orders eq:customer_id,id used:id,customer_id");
    check_shape_on("mysql", "SELECT @n := @n + 1, id FROM orders", "orders used:id");
    /* && is AND and || is OR in MySQL; && is an operator in PostgreSQL */
    check_shape_on("mysql", "SELECT 1 FROM orders WHERE id = 1 && status = 'x' || total = 2",
                   "orders used:id,status,total");
    check_shape_on("mysql", "SELECT 1 FROM orders WHERE id = 1 && status = 'x'",
                   "orders eq:id,status used:id,status");
}
END_TEST

START_TEST(within_group_is_no_group_by)
{
    check_shape("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders "
                "WHERE status = 'x'",
                "orders eq:status used:total,status");
}
END_TEST

START_TEST(union_order_by_names_output_columns)
{
    check_shape("SELECT id AS k FROM orders UNION SELECT id FROM reviews ORDER BY k",
                "orders used:id | reviews used:id");
}
END_TEST

START_TEST(empty_and_blank_input_is_other)
{
    borch_schema *s = shop("postgres");
    const char *sqls[] = {"", "   \n", "-- only a comment", ";"};
    for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
        borch_query_shape q;
        borch_error err = {0};
        ck_assert_int_eq(borch_sqlscan(sqls[i], s, &q, &err), 0);
        ck_assert_int_eq(q.kind, BORCH_STMT_OTHER);
        borch_query_shape_release(&q);
    }
    borch_schema_free(s);
}
END_TEST

/* Builds "SELECT <n x prefix>1<n x suffix> FROM orders". */
static char *nested(const char *prefix, const char *suffix, int n)
{
    borch_buf b = {0};
    borch_buf_puts(&b, "SELECT ");
    for (int i = 0; i < n; i++)
        borch_buf_puts(&b, prefix);
    borch_buf_puts(&b, "1");
    for (int i = 0; i < n; i++)
        borch_buf_puts(&b, suffix);
    borch_buf_puts(&b, " FROM orders");
    return borch_buf_detach(&b);
}

START_TEST(deep_nesting_is_an_error_not_a_crash)
{
    borch_schema *s = shop("postgres");
    borch_query_shape q;
    borch_error err = {0};
    const char *prefixes[] = {"(", "(SELECT ", "BINARY ", "ARRAY["};
    const char *suffixes[] = {")", ")", "", "]"};
    for (int i = 0; i < 4; i++) {
        char *sql = nested(prefixes[i], suffixes[i], 5000);
        ck_assert_int_eq(borch_sqlscan(sql, s, &q, &err), BORCH_EINPUT);
        ck_assert_str_eq(err.message, "query nested too deeply");
        ck_assert_int_eq(err.line, 1);
        ck_assert_int_gt(err.column, 8);
        borch_query_shape_release(&q);
        free(sql);
    }
    char *sql;
    /* prefix operators loop instead of recursing */
    for (int i = 0; i < 2; i++) {
        sql = nested(i ? "- " : "NOT ", "", 50000);
        ck_assert_int_eq(borch_sqlscan(sql, s, &q, &err), 0);
        borch_query_shape_release(&q);
        free(sql);
    }
    borch_schema_free(s);
}
END_TEST

START_TEST(lexer_errors)
{
    check_error("SELECT id FROM orders WHERE id = $99999999",
                "syntax error near '$99999999': parameter number out of range", 1, 34);
    check_error("SELECT id FROM orders /* open",
                "syntax error near '/* open': unterminated comment", 1, 23);
    check_error("SELECT \"id FROM orders",
                "syntax error near '\"id FROM orders': unterminated "
                "quoted identifier",
                1, 8);
    check_error_on("mysql", "SELECT `id FROM orders",
                   "syntax error near '`id FROM orders': unterminated quoted identifier", 1, 8);
}
END_TEST

START_TEST(orm_and_digest_forms)
{
    /* Django: double-quoted everything, %s placeholders */
    check_params("postgres",
                 "SELECT \"orders\".\"id\" FROM \"orders\" INNER JOIN \"customers\" ON "
                 "(\"orders\".\"customer_id\" = \"customers\".\"id\") WHERE "
                 "(\"customers\".\"country\" = %s AND \"orders\".\"status\" IN (%s, %s)) "
                 "AND total % 2 = %(rest)s",
                 "1=customers.country 2=orders.status 3=orders.status 4=-");
    /* Hibernate: generated aliases, ? in FETCH FIRST on PostgreSQL */
    check_shape("select o1_0.id from orders o1_0 where o1_0.customer_id=? "
                "order by o1_0.created_at desc fetch first ? rows only",
                "orders(o1_0) eq:customer_id order:created_at desc used:id,customer_id,created_at "
                "limit");
    /* MySQL performance_schema digest text */
    check_shape_on("mysql",
                   "SELECT `id` FROM `orders` WHERE `status` = ? AND `customer_id` IN (...)",
                   "orders eq:status,customer_id used:id,status,customer_id");
}
END_TEST

/* ---- errors ---- */

START_TEST(missing_table_with_suggestion_and_position)
{
    check_error("SELECT *\nFROM ordrs o", "table 'ordrs' does not exist (did you mean 'orders'?)",
                2, 6);
    check_error("SELECT 1 FROM orders JOIN zzz ON 1 = 1", "table 'zzz' does not exist", 1, 27);
}
END_TEST

START_TEST(missing_column_in_the_named_table)
{
    check_error("SELECT id FROM orders WHERE stauts = 'x'",
                "column 'stauts' does not exist in 'orders' (did you mean 'status'?)", 1, 29);
    check_error("SELECT o.emial FROM orders o JOIN customers c ON c.id = o.customer_id",
                "column 'emial' does not exist in 'orders'", 1, 10);
    check_error("SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id WHERE emial = 1",
                "column 'emial' does not exist in any table of the query (did you mean 'email'?)",
                1, 71);
}
END_TEST

START_TEST(missing_column_in_using_set_and_order)
{
    check_error("SELECT 1 FROM orders JOIN customers USING (email)",
                "column 'email' does not exist in 'orders'", 1, 44);
    check_error("UPDATE orders SET stat = 1",
                "column 'stat' does not exist in 'orders' (did you "
                "mean 'status'?)",
                1, 19);
    check_error("SELECT id FROM orders ORDER BY nope", "column 'nope' does not exist in 'orders'",
                1, 32);
}
END_TEST

START_TEST(unknown_qualifier)
{
    check_error("SELECT x.id FROM orders o", "table or alias 'x' is not in the query", 1, 8);
}
END_TEST

START_TEST(syntax_errors_with_positions)
{
    check_error("SELECT id FROM orders WHERE = 5", "syntax error near '='", 1, 29);
    check_error("SELECT id FROM orders WHERE (status = 'x'",
                "syntax error near '(': unbalanced parentheses", 1, 29);
    check_error("SELECT id FROM orders)", "syntax error near ')': unbalanced parentheses", 1, 22);
    check_error("SELECT id FROM orders WHERE status = 'x",
                "syntax error near ''x': unterminated string", 1, 38);
    check_error("SELECT id, FROM orders", "syntax error near 'FROM'", 1, 12);
    check_error("SELECT id FROM orders WHERE id = 1 2", "syntax error near '2'", 1, 36);
    check_error("SELECT id FROM orders WHERE id IN", "syntax error at end of query", 1, 34);
    check_error("SELECT id FROM\n  orders WHERE\n  id =\n", "syntax error at end of query", 4, 1);
    check_error("SELECT 1; SELECT 2", "syntax error near 'SELECT'", 1, 11);
    check_error("SELEC id FROM orders", "syntax error near 'SELEC'", 1, 1);
    check_error("\n  42", "syntax error near '42'", 2, 3);
}
END_TEST

START_TEST(positions_count_characters_not_bytes)
{
    check_error("SELECT 'é' FROM nope", "table 'nope' does not exist", 1, 17);
    /* a quoted excerpt never cuts a character in two */
    check_error("SELECT 'ééééééééééééééééééé",
                "syntax error near ''ééééééééé': unterminated string", 1, 8);
}
END_TEST

START_TEST(error_leaves_shape_empty_and_reusable)
{
    borch_schema *s = shop("postgres");
    borch_query_shape q;
    borch_error err = {0};
    ck_assert_int_eq(
        borch_sqlscan("SELECT status FROM orders WHERE id = $1 AND x = $2", s, &q, &err),
        BORCH_EINPUT);
    ck_assert_uint_eq(q.ntables, 0);
    borch_query_shape_release(&q);
    borch_query_shape_release(&q);
    borch_schema_free(s);
}
END_TEST

/* ---- speed ---- */

START_TEST(thousand_queries_on_two_hundred_tables_are_fast)
{
    borch_schema *s = borch_schema_new("postgres");
    char name[64];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "table_%03d", i);
        borch_table *t = borch_schema_add_table(s, name);
        for (int c = 0; c < 12; c++) {
            snprintf(name, sizeof(name), "column_%02d", c);
            borch_table_add_column(t, name, "integer", 1, NULL);
        }
    }
    char sql[1024];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 1000; i++) {
        int x = i % 200, y = (i * 7) % 200;
        snprintf(sql, sizeof(sql),
                 "SELECT t.column_01, u.column_02, count(*) FROM table_%03d t JOIN table_%03d u "
                 "ON u.column_03 = t.column_00 WHERE t.column_04 = $1 AND u.column_05 BETWEEN "
                 "$2 AND $3 AND t.column_06 IN (1, 2, 3) AND column_07 LIKE 'x%%' "
                 "GROUP BY t.column_01, u.column_02 ORDER BY 3 DESC LIMIT 10",
                 x, y);
        borch_query_shape q;
        borch_error err = {0};
        ck_assert_int_eq(borch_sqlscan(sql, s, &q, &err), 0);
        ck_assert_uint_eq(q.ntables, 2);
        borch_query_shape_release(&q);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    /* well under 100 ms in a plain build; sanitizers slow it several times */
    ck_assert_msg(ms < 1000, "1000 queries took %.1f ms", ms);
    borch_schema_free(s);
}
END_TEST

Suite *suite_sqlscan(void)
{
    Suite *s = suite_create("sqlscan");
    TCase *tc = tcase_create("predicates");
    tcase_add_test(tc, equality_with_constants_params_and_expressions);
    tcase_add_test(tc, in_lists_and_is_null_are_equality);
    tcase_add_test(tc, ranges_between_and_prefix_like);
    tcase_add_test(tc, like_with_parameter_and_ilike_are_ranges);
    tcase_add_test(tc, or_functions_and_arithmetic_are_read_not_classified);
    tcase_add_test(tc, equality_with_any_array);
    tcase_add_test(tc, scalar_subquery_counts_as_a_constant);
    suite_add_tcase(s, tc);
    tc = tcase_create("joins");
    tcase_add_test(tc, three_table_join_on_and_where);
    tcase_add_test(tc, left_join_on_counts_for_the_right_table_only);
    tcase_add_test(tc, right_join_on_counts_for_the_left_tables);
    tcase_add_test(tc, comma_join_with_predicates_in_where);
    tcase_add_test(tc, using_and_natural_give_join_columns);
    tcase_add_test(tc, self_join_gives_two_uses);
    tcase_add_test(tc, join_with_expression_other_side);
    suite_add_tcase(s, tc);
    tc = tcase_create("sorting");
    tcase_add_test(tc, order_by_columns_of_one_table);
    tcase_add_test(tc, order_by_position_and_output_alias);
    tcase_add_test(tc, group_by_and_having);
    tcase_add_test(tc, star_and_table_star);
    tcase_add_test(tc, limit_and_fetch_first);
    suite_add_tcase(s, tc);
    tc = tcase_create("queries");
    tcase_add_test(tc, subquery_in_where_and_in);
    tcase_add_test(tc, correlated_exists_subquery);
    tcase_add_test(tc, unqualified_column_resolves_to_outer_scope);
    tcase_add_test(tc, derived_table_resolves_loosely);
    tcase_add_test(tc, cte_and_view_produce_no_table_use);
    tcase_add_test(tc, recursive_cte);
    tcase_add_test(tc, union_of_selects_ignores_outer_order);
    tcase_add_test(tc, update_set_where);
    tcase_add_test(tc, update_from_and_mysql_multi_table);
    tcase_add_test(tc, delete_forms);
    tcase_add_test(tc, insert_and_ddl_are_other);
    tcase_add_test(tc, statement_kinds);
    suite_add_tcase(s, tc);
    tc = tcase_create("params");
    tcase_add_test(tc, numbered_params_map_to_columns);
    tcase_add_test(tc, question_marks_in_order_of_appearance);
    tcase_add_test(tc, params_inside_or_and_subqueries_and_casts);
    tcase_add_test(tc, named_params);
    suite_add_tcase(s, tc);
    tc = tcase_create("dialects");
    tcase_add_test(tc, mysql_backquotes_hints_and_double_quoted_strings);
    tcase_add_test(tc, postgres_casts_schema_and_quoted_names);
    tcase_add_test(tc, sqlite_brackets_and_case_insensitive_names);
    tcase_add_test(tc, functions_case_and_special_syntax);
    tcase_add_test(tc, comments_strings_and_dollar_quotes);
    tcase_add_test(tc, ambiguous_unqualified_column_is_read_but_not_classified);
    tcase_add_test(tc, row_values_keyset_pagination_and_in);
    tcase_add_test(tc, cte_shadowing_a_table_reads_the_table);
    tcase_add_test(tc, system_catalogs_are_accepted_without_use);
    tcase_add_test(tc, postgres_question_mark_operator_is_no_parameter);
    tcase_add_test(tc, mysql_null_safe_equality_and_select_into);
    tcase_add_test(tc, within_group_is_no_group_by);
    tcase_add_test(tc, union_order_by_names_output_columns);
    tcase_add_test(tc, empty_and_blank_input_is_other);
    tcase_add_test(tc, orm_and_digest_forms);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, missing_table_with_suggestion_and_position);
    tcase_add_test(tc, missing_column_in_the_named_table);
    tcase_add_test(tc, missing_column_in_using_set_and_order);
    tcase_add_test(tc, unknown_qualifier);
    tcase_add_test(tc, syntax_errors_with_positions);
    tcase_add_test(tc, positions_count_characters_not_bytes);
    tcase_add_test(tc, error_leaves_shape_empty_and_reusable);
    tcase_add_test(tc, deep_nesting_is_an_error_not_a_crash);
    tcase_add_test(tc, lexer_errors);
    tcase_add_test(tc, thousand_queries_on_two_hundred_tables_are_fast);
    suite_add_tcase(s, tc);
    return s;
}
