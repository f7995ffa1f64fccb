/*
 * test_datagen.c - generated rows (src/core/datagen.c) on real SQLite files
 * and, when BORCH_TEST_PG_URL / BORCH_TEST_MYSQL_URL are set, on real
 * PostgreSQL and MariaDB servers (each test in its own scratch database).
 * Without a server URL those tests say so and pass, except under CI=true,
 * where a missing server is a failure.
 *
 * The shop schema is filled, every foreign key is checked with a join, and
 * then the changes a careless down section makes are shown to fail on the
 * data: restoring NOT NULL, adding a UNIQUE, narrowing a varchar.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datagen.h"
#include "datagen_internal.h"
#include "driver.h"
#include "support/harness.h"
#include "util/buf.h"
#include "util/mem.h"

#define NO_PG "no PostgreSQL test server: set BORCH_TEST_PG_URL (tests/support/servers.sh start)"
#define NO_MY "no MariaDB test server: set BORCH_TEST_MYSQL_URL (tests/support/servers.sh start)"

static const char sqlite_shop[] =
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, email varchar(200) NOT NULL UNIQUE,"
    " city varchar(100) NOT NULL, phone varchar(40), vip boolean NOT NULL);\n"
    "CREATE TABLE categories (id integer PRIMARY KEY, name varchar(50) NOT NULL,"
    " parent_id integer REFERENCES categories(id));\n"
    "CREATE TABLE products (id INTEGER PRIMARY KEY, sku varchar(20) NOT NULL UNIQUE,"
    " title varchar(200) NOT NULL, price numeric(10,2) NOT NULL CHECK (price >= 0),"
    " status varchar(10) NOT NULL CHECK (status IN ('draft', 'live')),"
    " category_id integer REFERENCES categories(id), added date NOT NULL);\n"
    "CREATE TABLE orders (id INTEGER PRIMARY KEY,"
    " customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
    " placed_at timestamp NOT NULL, note text);\n"
    "CREATE TABLE order_items (order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " product_id integer NOT NULL REFERENCES products(id), qty integer NOT NULL CHECK (qty > 0),"
    " PRIMARY KEY (order_id, product_id));\n";

static const char pg_shop[] =
    "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
    "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " email varchar(200) NOT NULL UNIQUE, city varchar(100) NOT NULL, phone varchar(40),"
    " vip boolean NOT NULL, feeling mood NOT NULL, prefs jsonb, token uuid NOT NULL UNIQUE);\n"
    "CREATE TABLE categories (id serial PRIMARY KEY, name varchar(50) NOT NULL,"
    " parent_id integer REFERENCES categories(id));\n"
    "CREATE TABLE products (id serial PRIMARY KEY, sku varchar(20) NOT NULL UNIQUE,"
    " title varchar(200) NOT NULL, price numeric(10,2) NOT NULL CHECK (price >= 0),"
    " status varchar(10) NOT NULL CHECK (status IN ('draft', 'live')),"
    " category_id integer REFERENCES categories(id), added date NOT NULL, tags text[]);\n"
    "CREATE TABLE orders (id serial PRIMARY KEY,"
    " customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
    " placed_at timestamptz NOT NULL, note text);\n"
    "CREATE TABLE order_items (order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " product_id integer NOT NULL REFERENCES products(id), qty smallint NOT NULL CHECK (qty > 0),"
    " PRIMARY KEY (order_id, product_id));\n";

static const char my_shop[] =
    "CREATE TABLE customers (id int AUTO_INCREMENT PRIMARY KEY,"
    " email varchar(200) NOT NULL UNIQUE, city varchar(100) NOT NULL, phone varchar(40),"
    " vip tinyint(1) NOT NULL, feeling enum('happy','sad') NOT NULL, prefs json,"
    " token char(36) NOT NULL UNIQUE) ENGINE=InnoDB;\n"
    "CREATE TABLE categories (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL,"
    " parent_id int, FOREIGN KEY (parent_id) REFERENCES categories(id)) ENGINE=InnoDB;\n"
    "CREATE TABLE products (id int AUTO_INCREMENT PRIMARY KEY, sku varchar(20) NOT NULL UNIQUE,"
    " title varchar(200) NOT NULL, price decimal(10,2) NOT NULL CHECK (price >= 0),"
    " status varchar(10) NOT NULL CHECK (status IN ('draft', 'live')), category_id int,"
    " added date NOT NULL, FOREIGN KEY (category_id) REFERENCES categories(id)) ENGINE=InnoDB;\n"
    "CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL,"
    " placed_at datetime NOT NULL, note text,"
    " FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE) ENGINE=InnoDB;\n"
    "CREATE TABLE order_items (order_id int NOT NULL, product_id int NOT NULL,"
    " qty smallint NOT NULL CHECK (qty > 0), PRIMARY KEY (order_id, product_id),"
    " FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE,"
    " FOREIGN KEY (product_id) REFERENCES products(id)) ENGINE=InnoDB;\n";

static const char *const shop_tables[] = {"customers", "categories",  "products",
                                          "orders",    "order_items", NULL};

/* Rows whose foreign key finds no parent, one query per key of the shop. */
static const char *const orphan_queries[] = {
    "SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
    " WHERE c.id IS NULL",
    "SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.id = i.order_id"
    " WHERE o.id IS NULL",
    "SELECT COUNT(*) FROM order_items i LEFT JOIN products p ON p.id = i.product_id"
    " WHERE p.id IS NULL",
    "SELECT COUNT(*) FROM products p LEFT JOIN categories c ON c.id = p.category_id"
    " WHERE p.category_id IS NOT NULL AND c.id IS NULL",
    "SELECT COUNT(*) FROM categories k LEFT JOIN categories c ON c.id = k.parent_id"
    " WHERE k.parent_id IS NOT NULL AND c.id IS NULL",
    NULL};

static char *tmp_dir;

static void setup(void)
{
    tmp_dir = make_temp_dir("datagen");
}

static void teardown(void)
{
    rm_rf(tmp_dir);
    free(tmp_dir);
}

/* A server URL from the environment, or NULL after a notice (a failure under CI=true). */
static const char *server_url(const char *var, const char *notice)
{
    const char *url = getenv(var);
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("%s", notice);
    return NULL;
}

/* Connects to text; schema is the PostgreSQL schema to work in, or NULL. */
static borch_conn *open_url_schema(const char *text, const char *schema)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_url_parse(text, "/", &u, &e) == 0, "parse url: %s", e.message);
    borch_conn_opts opts = {.create = 1, .connect_timeout_s = 10, .schema = schema};
    borch_conn *c = NULL;
    int rc = borch_conn_open(u, &opts, &c, &e);
    borch_url_free(u);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
    return c;
}

static borch_conn *open_url(const char *text)
{
    return open_url_schema(text, NULL);
}

static char *sqlite_url(const char *name)
{
    char *u = borch_xmalloc(strlen(tmp_dir) + strlen(name) + 16);
    sprintf(u, "sqlite://%s/%s", tmp_dir, name);
    return u;
}

/* Runs sql on c and returns whether the engine took it. */
static int try_exec(borch_conn *c, const char *sql)
{
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, NULL, 1, &e);
    borch_error_clear(&e);
    return rc == 0;
}

static void exec_ok(borch_conn *c, const char *sql)
{
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, NULL, 1, &e);
    ck_assert_msg(rc == 0, "exec %s: %s", sql, e.message);
}

/* Introspects c and fills it; returns the rows inserted. */
static long fill(borch_conn *c, int rows)
{
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_msg(borch_conn_introspect(c, &s, &e) == 0, "introspect: %s", e.message);
    long inserted = -1;
    int rc = borch_datagen_fill(c, s, rows, &inserted, &e);
    ck_assert_msg(rc == 0, "fill: %s", e.message);
    borch_schema_free(s);
    return inserted;
}

static long count(const char *url, const char *sql)
{
    return db_count(url, sql);
}

/*
 * The whole shop story on one database: every table gets rows, every key
 * finds its parent, and restoring NOT NULL, adding a UNIQUE and (where the
 * engine enforces lengths) narrowing a varchar all fail on the data.
 */
static void shop_story(const char *url, const char *ddl, const char *engine)
{
    borch_conn *c = open_url(url);
    exec_ok(c, ddl);
    long inserted = fill(c, 12);
    long total = 0;
    char sql[256];
    for (size_t i = 0; shop_tables[i]; i++) {
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", shop_tables[i]);
        long n = count(url, sql);
        ck_assert_msg(n > 0, "%s: table %s got no rows", engine, shop_tables[i]);
        ck_assert_int_le(n, 12);
        total += n;
    }
    ck_assert_int_eq(inserted, total);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM products"), 12); /* checks satisfied */
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM order_items"), 12);
    for (size_t i = 0; orphan_queries[i]; i++)
        ck_assert_msg(count(url, orphan_queries[i]) == 0, "%s: orphans: %s", engine,
                      orphan_queries[i]);
    /* the self reference is used, not only NULL */
    ck_assert_int_gt(count(url, "SELECT COUNT(*) FROM categories WHERE parent_id IS NOT NULL"), 0);
    /* uniques distinct, other columns repeat, nullable columns half NULL */
    ck_assert_int_eq(count(url, "SELECT COUNT(DISTINCT sku) FROM products"), 12);
    ck_assert_int_eq(count(url, "SELECT COUNT(DISTINCT email) FROM customers"), 12);
    ck_assert_int_lt(count(url, "SELECT COUNT(DISTINCT city) FROM customers"), 12);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM customers WHERE phone IS NULL"), 6);
    ck_assert_int_eq(
        count(url, "SELECT COUNT(*) FROM products WHERE status NOT IN ('draft', 'live')"), 0);

    /* a down that adds a UNIQUE over repeated values fails */
    ck_assert_msg(!try_exec(c, "CREATE UNIQUE INDEX customers_city_key ON customers (city)"),
                  "%s: unique over repeated values was accepted", engine);
    if (strcmp(engine, "sqlite") == 0) {
        /* SQLite restores NOT NULL by copying into a rebuilt table */
        exec_ok(c, "CREATE TABLE customers_new (id INTEGER PRIMARY KEY,"
                   " phone varchar(40) NOT NULL)");
        ck_assert(!try_exec(c, "INSERT INTO customers_new SELECT id, phone FROM customers"));
    } else if (strcmp(engine, "postgres") == 0) {
        ck_assert(!try_exec(c, "ALTER TABLE customers ALTER COLUMN phone SET NOT NULL"));
        ck_assert(!try_exec(c, "ALTER TABLE products ALTER COLUMN title TYPE varchar(5)"));
        ck_assert(try_exec(c, "ALTER TABLE products ALTER COLUMN title TYPE varchar(100)"));
    } else {
        ck_assert(!try_exec(c, "ALTER TABLE customers MODIFY phone varchar(40) NOT NULL"));
        ck_assert(!try_exec(c, "ALTER TABLE products MODIFY title varchar(5) NOT NULL"));
        ck_assert(try_exec(c, "ALTER TABLE products MODIFY title varchar(100) NOT NULL"));
    }

    /* a second fill continues after the first rows: no clash on the uniques */
    long again = fill(c, 5);
    for (size_t i = 0; shop_tables[i]; i++) {
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", shop_tables[i]);
        ck_assert_msg(count(url, sql) == 17, "%s: second fill of %s: %ld rows", engine,
                      shop_tables[i], count(url, sql));
    }
    ck_assert_int_eq(again, strcmp(engine, "sqlite") == 0 ? 30 : 25); /* + customers_new */
    ck_assert_int_eq(count(url, "SELECT COUNT(DISTINCT sku) FROM products"), 17);
    for (size_t i = 0; orphan_queries[i]; i++)
        ck_assert_int_eq(count(url, orphan_queries[i]), 0);
    borch_conn_close(c);
}

START_TEST(sqlite_shop_is_filled_and_careless_downs_fail)
{
    char *url = sqlite_url("shop.db");
    shop_story(url, sqlite_shop, "sqlite");
    free(url);
}
END_TEST

START_TEST(postgres_shop_is_filled_and_careless_downs_fail)
{
    const char *server = server_url("BORCH_TEST_PG_URL", NO_PG);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    shop_story(url, pg_shop, "postgres");
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

START_TEST(mariadb_shop_is_filled_and_careless_downs_fail)
{
    const char *server = server_url("BORCH_TEST_MYSQL_URL", NO_MY);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    shop_story(url, my_shop, "mysql");
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

/*
 * Inside a transaction rejected rows roll back to a savepoint: the
 * transaction stays usable and the rows that passed commit with it.
 */
static void rejected_rows_in_transaction(const char *url)
{
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE picky (id integer PRIMARY KEY, n integer NOT NULL CHECK (n % 2 = 1))");
    exec_ok(c, "CREATE TABLE never (id integer PRIMARY KEY, n integer NOT NULL CHECK (n * 0 = 1))");
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_begin(c, &e), 0);
    long inserted = fill(c, 8);
    ck_assert_int_eq(borch_conn_commit(c, &e), 0);
    /* picky: n repeats n-2 on rows 3 and 7, odd either way; even rows are rejected */
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM picky"), 4);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM never"), 0);
    ck_assert_int_eq(inserted, 4);
    borch_conn_close(c);
}

START_TEST(sqlite_rejected_rows_are_skipped_in_a_transaction)
{
    char *url = sqlite_url("tx.db");
    rejected_rows_in_transaction(url);
    free(url);
}
END_TEST

START_TEST(postgres_rejected_rows_are_skipped_in_a_transaction)
{
    const char *server = server_url("BORCH_TEST_PG_URL", NO_PG);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    rejected_rows_in_transaction(url);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

START_TEST(mariadb_rejected_rows_are_skipped_in_a_transaction)
{
    const char *server = server_url("BORCH_TEST_MYSQL_URL", NO_MY);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    rejected_rows_in_transaction(url);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

START_TEST(mariadb_rejected_rows_are_skipped_without_a_transaction)
{
    const char *server = server_url("BORCH_TEST_MYSQL_URL", NO_MY);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE picky (id int PRIMARY KEY, n int NOT NULL CHECK (n % 2 = 1))");
    /* MyISAM keeps the rows of a refused multi-row INSERT before the bad one */
    exec_ok(c, "CREATE TABLE picky_myisam (id int PRIMARY KEY,"
               " n int NOT NULL CHECK (n % 2 = 1)) ENGINE=MyISAM");
    /* every column left to the engine: INSERT ... () VALUES () */
    exec_ok(c, "CREATE TABLE bare (id int AUTO_INCREMENT PRIMARY KEY)");
    ck_assert_int_eq(fill(c, 8), 16);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM bare"), 8);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM picky"), 4);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM picky_myisam"), 4);
    ck_assert_int_eq(count(url, "SELECT COUNT(DISTINCT id) FROM picky_myisam"), 4);
    borch_conn_close(c);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

/* Every type each engine reports gets values the engine takes. */
static void all_types_take_values(const char *url, const char *ddl, int rows, long total)
{
    borch_conn *c = open_url(url);
    exec_ok(c, ddl);
    long got = fill(c, rows);
    if (total >= 0)
        ck_assert_int_eq(got, total);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM everything"), rows);
    borch_conn_close(c);
}

START_TEST(sqlite_every_type_takes_values)
{
    char *url = sqlite_url("types.db");
    all_types_take_values(
        url,
        "CREATE TABLE everything (a integer NOT NULL UNIQUE, b bigint,"
        " c varchar(3) NOT NULL UNIQUE, d numeric(4,2) CHECK (d < 100),"
        " e real, f date UNIQUE, g datetime, h boolean, i blob, j json,"
        " k, l \"unsigned big int\", m text CHECK (m IN ('x', 'y')),"
        " ra integer CHECK (ra BETWEEN 1 AND 5), rb integer NOT NULL CHECK (rb >= 18),"
        " rc numeric(5,2) CHECK (rc > 0 AND rc <= 3), rd integer CHECK (rd < 0),"
        " re smallint CHECK (re >= 10 AND re < 12))",
        40, 40);
    free(url);
}
END_TEST

START_TEST(postgres_every_type_takes_values)
{
    const char *server = server_url("BORCH_TEST_PG_URL", NO_PG);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    all_types_take_values(
        url,
        "CREATE TYPE \"Colour\" AS ENUM ('red', 'green');\n"
        "CREATE TABLE everything (a smallint NOT NULL UNIQUE, b bigint, c numeric(3,3) UNIQUE,"
        " d real, e double precision, f date UNIQUE, g time, h timestamp UNIQUE, i timestamptz,"
        " j interval, k json, l jsonb, m uuid UNIQUE, n bytea, o inet, p cidr, q text[],"
        " r integer[], s char(3) UNIQUE, t varchar, u \"Colour\" NOT NULL, v boolean NOT NULL,"
        " w numeric, x character varying(4) NOT NULL UNIQUE,"
        " y text NOT NULL CHECK (y IN ('one', 'two')), z timetz,"
        " ra integer CHECK (ra BETWEEN 1 AND 5), rb integer NOT NULL CHECK (rb >= 18),"
        " rc numeric(5,2) CHECK (rc > 0 AND rc <= 3), rd integer CHECK (rd < 0),"
        " re smallint CHECK (re >= 10 AND re < 12));\n"
        "CREATE TABLE computed (id integer PRIMARY KEY, price numeric(8,2) NOT NULL,"
        " total numeric GENERATED ALWAYS AS (price * 2) STORED);\n",
        40, 40 + 40);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM computed WHERE total = price * 2"), 40);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

START_TEST(mariadb_every_type_takes_values)
{
    const char *server = server_url("BORCH_TEST_MYSQL_URL", NO_MY);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    all_types_take_values(
        url,
        "CREATE TABLE everything (a tinyint NOT NULL UNIQUE, b mediumint, c bigint unsigned,"
        " d decimal(3,3) UNIQUE, e float, f double, g date UNIQUE, h datetime(3) UNIQUE,"
        " i timestamp NULL, j time, k year, l json, m blob, n varbinary(4), o binary(3),"
        " p enum('red','green') NOT NULL, q set('x','y'), r char(3) UNIQUE, s text,"
        " t tinyint(1) NOT NULL, u varchar(4) NOT NULL UNIQUE, v longtext, w char(36),"
        " x smallint unsigned, y varchar(10) NOT NULL CHECK (y IN ('one', 'two')),"
        " ra integer CHECK (ra BETWEEN 1 AND 5), rb integer NOT NULL CHECK (rb >= 18),"
        " rc numeric(5,2) CHECK (rc > 0 AND rc <= 3), rd integer CHECK (rd < 0),"
        " re smallint CHECK (re >= 10 AND re < 12));\n"
        "CREATE TABLE computed (id int PRIMARY KEY, price decimal(8,2) NOT NULL,"
        " total decimal(10,2) AS (price * 2) VIRTUAL, note varchar(20));\n",
        40, -1);
    /* MariaDB takes NULL for a generated column: the even rows go in at once */
    ck_assert_int_gt(count(url, "SELECT COUNT(*) FROM computed"), 0);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM computed WHERE total = price * 2"),
                     count(url, "SELECT COUNT(*) FROM computed"));
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

/* When no row goes in, the nullable columns are left to the engine (how a
 * MySQL 8 generated column, nullable and unmarked, still lets rows in). */
START_TEST(sqlite_nullable_columns_are_left_out_when_no_row_goes_in)
{
    char *url = sqlite_url("nullable.db");
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE t (id integer PRIMARY KEY, a integer NOT NULL CHECK (a % 2 = 1),"
               " note text CHECK (note IS NULL))");
    ck_assert_int_eq(fill(c, 8), 4);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM t WHERE note IS NULL"), 4);
    borch_conn_close(c);
    free(url);
}
END_TEST

/* A cycle of keys: the nullable side starts NULL, the other side follows. */
START_TEST(sqlite_foreign_key_cycle_is_broken_at_a_nullable_key)
{
    char *url = sqlite_url("cycle.db");
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE bare (id integer PRIMARY KEY);\n"
               "CREATE TABLE a (id integer PRIMARY KEY, b_id integer REFERENCES b(id));\n"
               "CREATE TABLE b (id integer PRIMARY KEY, a_id integer NOT NULL REFERENCES a(id));\n"
               "CREATE TABLE lonely (id integer PRIMARY KEY,"
               " gone_id integer NOT NULL REFERENCES nowhere(id));\n");
    ck_assert_int_eq(fill(c, 4), 12);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM b JOIN a ON a.id = b.a_id"), 4);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM bare"), 4); /* DEFAULT VALUES */
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM lonely"), 0);
    borch_conn_close(c);
    free(url);
}
END_TEST

/* A self reference that may not be NULL takes the row's own key. */
START_TEST(sqlite_required_self_reference_points_at_itself)
{
    char *url = sqlite_url("self.db");
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE node (code varchar(10) PRIMARY KEY,"
               " up varchar(10) NOT NULL REFERENCES node(code))");
    ck_assert_int_eq(fill(c, 3), 3);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM node WHERE up = code"), 3);
    borch_conn_close(c);
    free(url);
}
END_TEST

START_TEST(nothing_to_fill_inserts_nothing)
{
    char *url = sqlite_url("empty.db");
    borch_conn *c = open_url(url);
    borch_schema *s = borch_schema_new("sqlite");
    borch_error e = {0};
    long inserted = -1;
    ck_assert_int_eq(borch_datagen_fill(c, s, 10, &inserted, &e), 0);
    ck_assert_int_eq(inserted, 0);
    exec_ok(c, "CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)");
    borch_schema_free(s);
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    ck_assert_int_eq(borch_datagen_fill(c, s, 0, &inserted, &e), 0);
    ck_assert_int_eq(inserted, 0);
    ck_assert_int_eq(borch_datagen_fill(c, NULL, 5, &inserted, &e), 0);
    ck_assert_int_eq(inserted, 0);
    borch_schema_free(s);
    borch_conn_close(c);
    free(url);
}
END_TEST

/* A table the model names but the database lacks is skipped, not an error. */
START_TEST(sqlite_table_missing_from_the_database_is_skipped)
{
    char *url = sqlite_url("missing.db");
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE real_one (id integer PRIMARY KEY, v text)");
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    borch_table *ghost = borch_schema_add_table(s, "ghost");
    borch_table_add_column(ghost, "id", "integer", 0, NULL);
    long inserted = 0;
    ck_assert_int_eq(borch_datagen_fill(c, s, 3, &inserted, &e), 0);
    ck_assert_int_eq(inserted, 3);
    borch_schema_free(s);
    borch_conn_close(c);
    free(url);
}
END_TEST

/* The configured PostgreSQL schema is the one filled, whatever search_path says. */
START_TEST(postgres_configured_schema_is_filled)
{
    const char *server = server_url("BORCH_TEST_PG_URL", NO_PG);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    db_exec(url, "CREATE SCHEMA \"Shop\";\n"
                 "CREATE TABLE \"Shop\".a (id serial PRIMARY KEY, name text NOT NULL);\n"
                 "CREATE TABLE \"Shop\".b (id serial PRIMARY KEY,"
                 " a_id integer NOT NULL REFERENCES \"Shop\".a(id));\n"
                 "CREATE TABLE public.a (id integer PRIMARY KEY, name text NOT NULL);\n");
    borch_conn *c = open_url_schema(url, "Shop");
    ck_assert_int_eq(fill(c, 3), 6);
    borch_conn_close(c);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM \"Shop\".b JOIN \"Shop\".a"
                                " ON a.id = b.a_id"),
                     3);
    ck_assert_int_eq(count(url, "SELECT COUNT(*) FROM public.a"), 0);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

/* A connection that dies is the one error the fill reports. */
START_TEST(postgres_lost_connection_is_an_error)
{
    const char *server = server_url("BORCH_TEST_PG_URL", NO_PG);
    if (!server)
        return;
    char *url = db_create_scratch(server);
    borch_conn *c = open_url(url);
    exec_ok(c, "CREATE TABLE t (id integer PRIMARY KEY, v text)");
    borch_schema *s = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), 0);
    try_exec(c, "SELECT pg_terminate_backend(pg_backend_pid())");
    long inserted = 0;
    ck_assert_int_ne(borch_datagen_fill(c, s, 3, &inserted, &e), 0);
    ck_assert_int_eq(inserted, 0);
    ck_assert_str_ne(e.message, "");
    ck_assert_ptr_null(strstr(e.message, "borch-test-pw"));
    borch_error_clear(&e);
    borch_schema_free(s);
    borch_conn_close(c);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

/* ---- values, without a database ---- */

static char *value_of(const char *engine, const char *type, const char *name, long n)
{
    borch_schema *s = borch_schema_new(engine);
    borch_enum *en = borch_schema_add_enum(s, "mood");
    borch_enum_add_value(en, "happy");
    borch_enum_add_value(en, "sad");
    dg_type t;
    dg_type_read(&t, s, type);
    char *v = dg_value(&t, name, n);
    dg_type_release(&t);
    borch_schema_free(s);
    return v;
}

#define VALUE_IS(engine, type, name, n, want)                                                      \
    do {                                                                                           \
        char *v_ = value_of(engine, type, name, n);                                                \
        ck_assert_msg(strcmp(v_, want) == 0, "%s %s row %ld: got '%s', want '%s'", engine, type,   \
                      (long)(n), v_, want);                                                        \
        free(v_);                                                                                  \
    } while (0)

START_TEST(values_follow_each_engines_type_names)
{
    VALUE_IS("postgres", "character varying(200)", "title", 7, "title_7");
    VALUE_IS("postgres", "character varying(5)", "title", 7, "7_tit");
    VALUE_IS("mysql", "varchar(3)", "sku", 12, "12_");
    VALUE_IS("postgres", "integer", "id", 42, "42");
    VALUE_IS("mysql", "tinyint", "n", 121, "1");
    VALUE_IS("mysql", "tinyint(1)", "flag", 3, "1");
    VALUE_IS("postgres", "boolean", "flag", 4, "0");
    VALUE_IS("postgres", "numeric(10,2)", "price", 5, "5.5");
    VALUE_IS("mysql", "decimal(3,3)", "ratio", 7, "0.007");
    VALUE_IS("postgres", "numeric(2,0)", "n", 123, "23");
    VALUE_IS("sqlite", "date", "d", 1, "2026-01-01");
    VALUE_IS("sqlite", "date", "d", 32, "2026-02-01");
    VALUE_IS("mysql", "datetime", "at", 61, "2026-03-02 10:01:01");
    VALUE_IS("postgres", "timestamp with time zone", "at", 1, "2026-01-01 10:00:01");
    VALUE_IS("postgres", "time without time zone", "t", 3661, "01:01:01");
    VALUE_IS("postgres", "jsonb", "j", 2, "{\"n\": 2}");
    VALUE_IS("postgres", "uuid", "u", 255, "00000000-0000-4000-8000-0000000000ff");
    VALUE_IS("postgres", "mood", "m", 2, "sad");
    VALUE_IS("postgres", "public.mood", "m", 3, "happy");
    VALUE_IS("mysql", "enum('it''s','b')", "m", 1, "it's");
    VALUE_IS("mysql", "set('x','y')", "m", 2, "y");
    VALUE_IS("postgres", "text[]", "tags", 1, "{}");
    VALUE_IS("postgres", "interval", "iv", 5, "5 minutes");
    VALUE_IS("postgres", "inet", "ip", 258, "10.0.1.2");
    VALUE_IS("sqlite", "", "anything", 9, "anything_9");
    VALUE_IS("sqlite", "unsigned big int", "n", 9, "9");
    VALUE_IS("postgres", "point", "p", 9, "9");
}
END_TEST

START_TEST(check_comparisons_become_bounds)
{
    borch_schema *s = borch_schema_new("postgres");
    borch_table *t = borch_schema_add_table(s, "p");
    borch_table_add_column(t, "rating", "smallint", 0, NULL);
    borch_table_add_column(t, "price", "numeric(8,2)", 0, NULL);
    borch_table_add_column(t, "name", "text", 0, NULL);
    borch_table_add_column(t, "age", "integer", 0, NULL);
    borch_table_add_column(t, "low", "integer", 0, NULL);
    borch_table_add_check(t, NULL, "(rating >= 1) AND (rating <= 5)");
    borch_table_add_check(t, NULL, "price > (0.5)::numeric");
    borch_table_add_check(t, NULL, "char_length(name) > 3");
    borch_table_add_check(t, NULL, "age BETWEEN 18 AND 130 OR age IS NULL");
    borch_table_add_check(t, NULL, "low < -2");
    borch_table_add_check(t, NULL, "low < age");
    struct {
        const char *col;
        int has_lo, has_hi;
        long lo, hi;
    } want[] = {
        {"rating", 1, 1, 1, 5}, {"price", 1, 0, 1, 0}, {"name", 0, 0, 0, 0},
        {"age", 0, 0, 0, 0},    {"low", 0, 1, 0, -3},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        dg_type ty;
        dg_type_read(&ty, s, "integer");
        dg_check_range(t, want[i].col, &ty);
        ck_assert_msg(ty.has_lo == want[i].has_lo && ty.has_hi == want[i].has_hi,
                      "%s: has_lo %d has_hi %d", want[i].col, ty.has_lo, ty.has_hi);
        if (ty.has_lo)
            ck_assert_int_eq(ty.lo, want[i].lo);
        if (ty.has_hi)
            ck_assert_int_eq(ty.hi, want[i].hi);
        if (i == 0) {
            char *v = dg_value(&ty, "rating", 7);
            ck_assert_str_eq(v, "2");
            free(v);
        }
        if (i == 4) {
            char *v = dg_value(&ty, "low", 2);
            ck_assert_str_eq(v, "-4");
            free(v);
        }
        dg_type_release(&ty);
    }
    borch_schema_free(s);
}
END_TEST

START_TEST(check_lists_become_choices)
{
    borch_schema *s = borch_schema_new("postgres");
    borch_table *t = borch_schema_add_table(s, "p");
    borch_table_add_column(t, "status", "text", 0, NULL);
    borch_table_add_column(t, "kind", "text", 0, NULL);
    borch_table_add_check(t, NULL, "price >= 0");
    borch_table_add_check(t, NULL,
                          "(status)::text = ANY ((ARRAY['new'::character varying, "
                          "'paid'::character varying])::text[])");
    borch_table_add_check(t, NULL, "kind IN ('a', 'b') OR status = 'x'");
    borch_strv got = {0};
    dg_check_choices(t, "status", &got);
    ck_assert_uint_eq(got.count, 2);
    ck_assert_str_eq(got.items[0], "new");
    ck_assert_str_eq(got.items[1], "paid");
    borch_strv_release(&got);
    dg_check_choices(t, "kind", &got); /* mixed with another column: no choice */
    ck_assert_uint_eq(got.count, 0);
    borch_strv_release(&got);
    borch_schema_free(s);
}
END_TEST

Suite *suite_datagen(void)
{
    Suite *s = suite_create("datagen");
    TCase *tc = tcase_create("datagen");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    const char *pg = getenv("BORCH_TEST_PG_URL"), *my = getenv("BORCH_TEST_MYSQL_URL");
    const char *ci = getenv("CI");
    int under_ci = ci && strcmp(ci, "true") == 0;
    if ((!pg || !*pg) && !under_ci)
        fprintf(stderr, "datagen: PostgreSQL tests skipped, %s\n", NO_PG);
    if ((!my || !*my) && !under_ci)
        fprintf(stderr, "datagen: MariaDB tests skipped, %s\n", NO_MY);
    tcase_add_test(tc, sqlite_shop_is_filled_and_careless_downs_fail);
    tcase_add_test(tc, postgres_shop_is_filled_and_careless_downs_fail);
    tcase_add_test(tc, mariadb_shop_is_filled_and_careless_downs_fail);
    tcase_add_test(tc, sqlite_rejected_rows_are_skipped_in_a_transaction);
    tcase_add_test(tc, postgres_rejected_rows_are_skipped_in_a_transaction);
    tcase_add_test(tc, mariadb_rejected_rows_are_skipped_in_a_transaction);
    tcase_add_test(tc, mariadb_rejected_rows_are_skipped_without_a_transaction);
    tcase_add_test(tc, sqlite_every_type_takes_values);
    tcase_add_test(tc, postgres_every_type_takes_values);
    tcase_add_test(tc, mariadb_every_type_takes_values);
    tcase_add_test(tc, sqlite_nullable_columns_are_left_out_when_no_row_goes_in);
    tcase_add_test(tc, sqlite_foreign_key_cycle_is_broken_at_a_nullable_key);
    tcase_add_test(tc, sqlite_required_self_reference_points_at_itself);
    tcase_add_test(tc, nothing_to_fill_inserts_nothing);
    tcase_add_test(tc, sqlite_table_missing_from_the_database_is_skipped);
    tcase_add_test(tc, postgres_configured_schema_is_filled);
    tcase_add_test(tc, postgres_lost_connection_is_an_error);
    tcase_add_test(tc, values_follow_each_engines_type_names);
    tcase_add_test(tc, check_lists_become_choices);
    tcase_add_test(tc, check_comparisons_become_bounds);
    suite_add_tcase(s, tc);
    return s;
}
