/*
 * test_mysql_driver.c - the MySQL/MariaDB driver: the statement splitter on
 * its own, and everything else against a real server named by
 * BORCH_TEST_MYSQL_URL (tests/support/servers.sh sets it). Each server test
 * works in its own throwaway database made by the driver.
 *
 * Without BORCH_TEST_MYSQL_URL the server tests are skipped with a notice,
 * except under CI=true, where that is a failure: CI must test the driver.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BORCH_WITH_MYSQL

#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "driver.h"
#include "mysql/mysql_int.h"
#include "mysql/split.h"
#include "util/buf.h"

/* ---- splitter, no server ---- */

/* Splits sql (first line 1) and checks it worked; the caller releases. */
static borch_mysql_stmts split_ok(const char *sql)
{
    borch_mysql_stmts s = {0};
    borch_error e = {0};
    int rc = borch_mysql_split(sql, 1, 0, &s, &e);
    ck_assert_msg(rc == 0, "split failed: %s", e.message);
    borch_error_clear(&e);
    return s;
}

START_TEST(split_plain_statements_keep_their_lines)
{
    borch_mysql_stmts s = split_ok("CREATE TABLE a (id INT);\n"
                                   "\n"
                                   "  INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);\n"
                                   "SELECT *\n"
                                   "  FROM a");
    ck_assert_uint_eq(s.count, 4);
    ck_assert_str_eq(s.items[0].sql, "CREATE TABLE a (id INT)");
    ck_assert_int_eq(s.items[0].line, 1);
    ck_assert_str_eq(s.items[1].sql, "INSERT INTO a VALUES (1)");
    ck_assert_int_eq(s.items[1].line, 3);
    ck_assert_str_eq(s.items[2].sql, "INSERT INTO a VALUES (2)");
    ck_assert_int_eq(s.items[2].line, 3);
    ck_assert_str_eq(s.items[3].sql, "SELECT *\n  FROM a");
    ck_assert_int_eq(s.items[3].line, 4);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_first_line_offsets_every_line)
{
    borch_mysql_stmts s = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_mysql_split("\n\nSELECT 1;\nSELECT 2;", 40, 0, &s, &e), 0);
    ck_assert_uint_eq(s.count, 2);
    ck_assert_int_eq(s.items[0].line, 42);
    ck_assert_int_eq(s.items[1].line, 43);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_delimiter_procedure_and_trigger)
{
    const char *sql = "CREATE TABLE t (n INT);\n"                             /* 1 */
                      "DELIMITER $$\n"                                        /* 2 */
                      "CREATE PROCEDURE bump(IN k INT)\n"                     /* 3 */
                      "BEGIN\n"                                               /* 4 */
                      "  UPDATE t SET n = n + k;\n"                           /* 5 */
                      "  SELECT n FROM t;\n"                                  /* 6 */
                      "END$$\n"                                               /* 7 */
                      "\n"                                                    /* 8 */
                      "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\n" /* 9 */
                      "BEGIN\n"                                               /* 10 */
                      "  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;\n"          /* 11 */
                      "END $$\n"                                              /* 12 */
                      "delimiter ;\n"                                         /* 13 */
                      "INSERT INTO t VALUES (1);\n";                          /* 14 */
    borch_mysql_stmts s = split_ok(sql);
    ck_assert_uint_eq(s.count, 4);
    ck_assert_str_eq(s.items[0].sql, "CREATE TABLE t (n INT)");
    ck_assert_str_eq(s.items[1].sql, "CREATE PROCEDURE bump(IN k INT)\nBEGIN\n"
                                     "  UPDATE t SET n = n + k;\n  SELECT n FROM t;\nEND");
    ck_assert_int_eq(s.items[1].line, 3);
    ck_assert_str_eq(s.items[2].sql, "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\n"
                                     "BEGIN\n  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;\nEND");
    ck_assert_int_eq(s.items[2].line, 9);
    ck_assert_str_eq(s.items[3].sql, "INSERT INTO t VALUES (1)");
    ck_assert_int_eq(s.items[3].line, 14);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_delimiter_line_ends_a_pending_statement)
{
    borch_mysql_stmts s = split_ok("SELECT 1\nDELIMITER //\nSELECT 2 //\nSELECT ';' //");
    ck_assert_uint_eq(s.count, 3);
    ck_assert_str_eq(s.items[0].sql, "SELECT 1");
    ck_assert_str_eq(s.items[1].sql, "SELECT 2");
    ck_assert_str_eq(s.items[2].sql, "SELECT ';'");
    ck_assert_int_eq(s.items[2].line, 4);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_quotes_hide_delimiters_and_escapes)
{
    const char *sql =
        "INSERT INTO t VALUES ('a;b', 'it''s;', 'back\\'slash;', \"dq\\\";\", \"d\"\"q;\");\n"
        "SELECT `we;ird``col` FROM t;\n"
        "SELECT 'multi\nline;\nvalue';\n"
        "SELECT 'trailing backslash\\\\';\n"
        "SELECT 4";
    borch_mysql_stmts s = split_ok(sql);
    ck_assert_uint_eq(s.count, 5);
    ck_assert_str_eq(
        s.items[0].sql,
        "INSERT INTO t VALUES ('a;b', 'it''s;', 'back\\'slash;', \"dq\\\";\", \"d\"\"q;\")");
    ck_assert_str_eq(s.items[1].sql, "SELECT `we;ird``col` FROM t");
    ck_assert_int_eq(s.items[1].line, 2);
    ck_assert_str_eq(s.items[2].sql, "SELECT 'multi\nline;\nvalue'");
    ck_assert_int_eq(s.items[2].line, 3);
    ck_assert_str_eq(s.items[3].sql, "SELECT 'trailing backslash\\\\'");
    ck_assert_int_eq(s.items[3].line, 6);
    ck_assert_str_eq(s.items[4].sql, "SELECT 4");
    ck_assert_int_eq(s.items[4].line, 7);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_backtick_has_no_backslash_escape)
{
    /* In an identifier a backslash is an ordinary character. */
    borch_mysql_stmts s = split_ok("SELECT 1 AS `a\\`; SELECT 2");
    ck_assert_uint_eq(s.count, 2);
    ck_assert_str_eq(s.items[0].sql, "SELECT 1 AS `a\\`");
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_without_backslash_escapes)
{
    /* Under NO_BACKSLASH_ESCAPES, 'C:\' is a whole string. */
    borch_mysql_stmts s = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_mysql_split("SELECT 'C:\\'; SELECT 'a\\''b';", 1,
                                       BORCH_MYSQL_SPLIT_NO_BACKSLASH_ESCAPES, &s, &e),
                     0);
    ck_assert_uint_eq(s.count, 2);
    ck_assert_str_eq(s.items[0].sql, "SELECT 'C:\\'");
    ck_assert_str_eq(s.items[1].sql, "SELECT 'a\\''b'");
    borch_mysql_stmts_release(&s);
    /* With escapes on, the same text is one unterminated string. */
    ck_assert_int_eq(borch_mysql_split("SELECT 'C:\\'; SELECT 1", 1, 0, &s, &e), BORCH_EINPUT);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_comments_are_skipped_but_executable_ones_kept)
{
    const char *sql = "-- leading comment; with a semicolon\n"     /* 1 */
                      "# hash comment; too\n"                      /* 2 */
                      "/* block; comment\n spanning lines */\n"    /* 3-4 */
                      "SELECT 1 -- trailing; comment\n"            /* 5 */
                      ";\n"                                        /* 6 */
                      "/*!40101 SET NAMES utf8mb4 */;\n"           /* 7 */
                      "SELECT /*+ MAX_EXECUTION_TIME(100) */ 2;\n" /* 8 */
                      "SELECT 3--1;\n"                             /* 9 */
                      "/*M!100000 SELECT 4 */;\n"                  /* 10 */
                      "SELECT 5 /* inner; */ + 1;\n"               /* 11 */
                      "-- only a comment at the end;\n";           /* 12 */
    borch_mysql_stmts s = split_ok(sql);
    ck_assert_uint_eq(s.count, 6);
    ck_assert_str_eq(s.items[0].sql, "SELECT 1 -- trailing; comment");
    ck_assert_int_eq(s.items[0].line, 5);
    ck_assert_str_eq(s.items[1].sql, "/*!40101 SET NAMES utf8mb4 */");
    ck_assert_int_eq(s.items[1].line, 7);
    ck_assert_str_eq(s.items[2].sql, "SELECT /*+ MAX_EXECUTION_TIME(100) */ 2");
    ck_assert_str_eq(s.items[3].sql, "SELECT 3--1");
    ck_assert_int_eq(s.items[3].line, 9);
    ck_assert_str_eq(s.items[4].sql, "/*M!100000 SELECT 4 */");
    ck_assert_str_eq(s.items[5].sql, "SELECT 5 /* inner; */ + 1");
    ck_assert_int_eq(s.items[5].line, 11);
    borch_mysql_stmts_release(&s);
}
END_TEST

START_TEST(split_comment_only_script_has_no_statements)
{
    borch_mysql_stmts s = split_ok("-- nothing\n/* here */\n# at all\n;;\n  \n");
    ck_assert_uint_eq(s.count, 0);
    borch_mysql_stmts_release(&s);
}
END_TEST

/* Splits sql expecting failure; returns the error for the caller to check. */
static borch_error split_fails(const char *sql)
{
    borch_mysql_stmts s = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_mysql_split(sql, 1, 0, &s, &e), BORCH_EINPUT);
    ck_assert_int_eq(e.code, BORCH_EINPUT);
    borch_mysql_stmts_release(&s);
    return e;
}

START_TEST(split_unterminated_quote_names_its_line)
{
    borch_error e = split_fails("SELECT 1;\nSELECT 'oops;\nSELECT 3;\n");
    ck_assert_str_eq(e.message, "unterminated quoted string");
    ck_assert_int_eq(e.line, 2);
    e = split_fails("SELECT `x;\n");
    ck_assert_str_eq(e.message, "unterminated quoted identifier");
    ck_assert_int_eq(e.line, 1);
}
END_TEST

START_TEST(split_unterminated_comment_names_its_line)
{
    borch_error e = split_fails("SELECT 1;\n\n/* never closed;\nSELECT 2;");
    ck_assert_str_eq(e.message, "unterminated comment");
    ck_assert_int_eq(e.line, 3);
}
END_TEST

START_TEST(split_delimiter_without_value_fails)
{
    borch_error e = split_fails("SELECT 1;\nDELIMITER \nSELECT 2;");
    ck_assert_ptr_nonnull(strstr(e.message, "DELIMITER must be followed by a delimiter"));
    ck_assert_int_eq(e.line, 2);
    e = split_fails("DELIMITER a\\b\n");
    ck_assert_ptr_nonnull(strstr(e.message, "backslash"));
}
END_TEST

START_TEST(lock_names_carry_the_database_and_stay_short)
{
    char out[65];
    borch_mysql_lock_name("shop", "borch_migrate", out);
    ck_assert_str_eq(out, "shop.borch_migrate");
    char longdb[80];
    memset(longdb, 'd', 60);
    longdb[60] = '\0';
    borch_mysql_lock_name(longdb, "borch_migrate", out);
    ck_assert_uint_eq(strlen(out), 64);
    ck_assert_int_eq(strncmp(out, longdb, 23), 0);
    ck_assert_int_eq(out[23], '-');
    char other[65];
    longdb[59] = 'e';
    borch_mysql_lock_name(longdb, "borch_migrate", other);
    ck_assert_str_ne(out, other);
}
END_TEST

START_TEST(quote_ident_doubles_backticks)
{
    char *q = borch_mysql_driver.quote_ident("we`ird");
    ck_assert_str_eq(q, "`we``ird`");
    free(q);
    char buf[8];
    borch_mysql_driver.placeholder(3, buf, sizeof(buf));
    ck_assert_str_eq(buf, "?");
    ck_assert_str_eq(borch_mysql_driver.key_text_type, "VARCHAR(191)");
    ck_assert(!(borch_mysql_driver.caps & BORCH_CAP_TRANSACTIONAL_DDL));
}
END_TEST

/* ---- normalization and plan costs, no server ---- */

static void type_is(const char *column_type, const char *want)
{
    char *t = borch_mysql_norm_type(column_type);
    ck_assert_msg(strcmp(t, want) == 0, "%s -> %s, want %s", column_type, t, want);
    free(t);
}

START_TEST(types_lose_integer_display_widths_only)
{
    type_is("int(11)", "int");
    type_is("INT(10) UNSIGNED ZEROFILL", "int unsigned zerofill");
    type_is("bigint(20) unsigned", "bigint unsigned");
    type_is("smallint(6)", "smallint");
    type_is("mediumint(9)", "mediumint");
    type_is("tinyint(4)", "tinyint");
    type_is("tinyint(1)", "tinyint(1)");
    type_is("year(4)", "year");
    type_is("int", "int");
    type_is("varchar(255)", "varchar(255)");
    type_is("decimal(10,2)", "decimal(10,2)");
    type_is("datetime(6)", "datetime(6)");
    type_is("enum('Active','it''s','B')", "enum('Active','it''s','B')");
    type_is("SET('X','y')", "set('X','y')");
}
END_TEST

/* Normalizes a default and compares (want NULL: no default). */
static void default_is(int mariadb, unsigned long version, const char *def, const char *data_type,
                       const char *extra, const char *want)
{
    char *d = borch_mysql_norm_default(mariadb, version, def, data_type, extra);
    if (!want)
        ck_assert_msg(!d, "[%s] -> [%s], want none", def ? def : "NULL", d);
    else
        ck_assert_msg(d && strcmp(d, want) == 0, "[%s] -> [%s], want [%s]", def ? def : "NULL",
                      d ? d : "(none)", want);
    free(d);
}

START_TEST(mysql_and_mariadb_defaults_normalize_alike)
{
    /* MySQL 8 gives raw text. */
    default_is(0, 80036, "abc", "varchar", "", "'abc'");
    default_is(0, 80036, "it's a\\b", "varchar", "", "'it''s a\\\\b'");
    default_is(0, 80036, "0", "int", "", "0");
    default_is(0, 80036, "1.50", "decimal", "", "1.50");
    default_is(0, 80036, "b'101'", "bit", "", "b'101'");
    default_is(0, 80036, "CURRENT_TIMESTAMP", "timestamp", "DEFAULT_GENERATED",
               "current_timestamp()");
    default_is(0, 80036, "CURRENT_TIMESTAMP(3)", "datetime",
               "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)", "current_timestamp(3)");
    default_is(0, 80036, "uuid()", "varchar", "DEFAULT_GENERATED", "uuid()");
    default_is(0, 80036, NULL, "varchar", "", NULL);
    default_is(0, 80036, "", "varchar", "", "''");
    /* MariaDB 10.2.7+ gives SQL text, and 'NULL' for none. */
    default_is(1, 101106, "'abc'", "varchar", "", "'abc'");
    default_is(1, 101106, "'it''s a\\\\b'", "varchar", "", "'it''s a\\\\b'");
    default_is(1, 101106, "0", "int", "", "0");
    default_is(1, 101106, "current_timestamp()", "timestamp", "", "current_timestamp()");
    default_is(1, 101106, "NULL", "varchar", "", NULL);
    default_is(1, 101106, NULL, "varchar", "", NULL);
    default_is(1, 101106, "'NULL'", "varchar", "", "'NULL'");
    /* Older MariaDB wrote defaults like MySQL. */
    default_is(1, 100144, "abc", "varchar", "", "'abc'");
}
END_TEST

static void parens_are(const char *in, const char *want)
{
    char buf[200];
    snprintf(buf, sizeof(buf), "%s", in);
    borch_mysql_strip_parens(buf);
    ck_assert_str_eq(buf, want);
}

START_TEST(check_clauses_lose_one_wrapping_pair)
{
    parens_are("(`score` >= 0)", "`score` >= 0");
    parens_are("`score` >= 0", "`score` >= 0");
    parens_are("(`a` > 0) and (`b` > 0)", "(`a` > 0) and (`b` > 0)");
    parens_are("((`a` > 0))", "(`a` > 0)");
    parens_are("(`a` <> ')')", "`a` <> ')'");
    parens_are("(`a` in ('(', 'x'))", "`a` in ('(', 'x')");
    parens_are("()", "");
}
END_TEST

START_TEST(view_definitions_drop_their_database)
{
    char *d = borch_mysql_unqualify("select `shop`.`t`.`id` AS `id` from `shop`.`t` where "
                                    "`shop`.`t`.`x` = 'shop'",
                                    "shop");
    ck_assert_str_eq(d, "select `t`.`id` AS `id` from `t` where `t`.`x` = 'shop'");
    free(d);
    d = borch_mysql_unqualify("select `we``ird`.`t`.`id` AS `id` from `we``ird`.`t`", "we`ird");
    ck_assert_str_eq(d, "select `t`.`id` AS `id` from `t`");
    free(d);
    d = borch_mysql_unqualify("select 1 AS `1`", NULL);
    ck_assert_str_eq(d, "select 1 AS `1`");
    free(d);
}
END_TEST

static double cost_of(const char *json)
{
    double c = -1;
    ck_assert_int_eq(borch_mysql_plan_cost(json, &c), 0);
    return c;
}

START_TEST(plan_costs_from_mysql_mariadb_and_derived)
{
    /* MySQL 8: the optimizer's cost, a string. */
    ck_assert_double_eq_tol(
        cost_of("{\"query_block\": {\"select_id\": 1, \"cost_info\": "
                "{\"query_cost\": \"101.25\"}, \"table\": {\"table_name\": "
                "\"t\", \"rows_examined_per_scan\": 1000, \"filtered\": \"10.00\"}}}"),
        101.25, 1e-9);
    /* MariaDB 11: a number at query_block.cost. */
    ck_assert_double_eq_tol(cost_of("{\"query_block\": {\"select_id\": 1, \"cost\": 0.1718, "
                                    "\"table\": {\"table_name\": \"t\", \"rows\": 10}}}"),
                            0.1718, 1e-9);
    /* MariaDB 10: rows read, times what the tables before pass on. */
    ck_assert_double_eq_tol(cost_of("{\"query_block\": {\"select_id\": 1, \"table\": "
                                    "{\"table_name\": \"a\", \"rows\": 10, \"filtered\": 100}}}"),
                            10, 1e-9);
    ck_assert_double_eq_tol(
        cost_of("{\"query_block\": {\"select_id\": 1, \"nested_loop\": ["
                "{\"table\": {\"table_name\": \"b\", \"rows\": 900, \"filtered\": 10}},"
                "{\"table\": {\"table_name\": \"a\", \"rows\": 2, \"filtered\": 50}},"
                "{\"block-nl-join\": {\"table\": {\"table_name\": \"c\", \"rows\": 5}}}]}}"),
        /* b: 900; a: 90 x 2 = 180; c: (90 x 2 x 0.5 = 90) x 5 = 450 */
        900 + 180 + 450, 1e-9);
    /* A subquery's tables start their own loop. */
    ck_assert_double_eq_tol(
        cost_of("{\"query_block\": {\"select_id\": 1, \"table\": {\"table_name\": \"a\", "
                "\"rows\": 100, \"filtered\": 100}, \"subqueries\": [{\"query_block\": "
                "{\"select_id\": 2, \"table\": {\"table_name\": \"b\", \"rows\": 7}}}]}}"),
        107, 1e-9);
    double c;
    ck_assert_int_eq(borch_mysql_plan_cost("not json", &c), -1);
}
END_TEST

/* ---- with a server ---- */

/* A connection to a throwaway database on the test server. */
typedef struct fixture {
    borch_url *server;
    char *url_text; /* the throwaway database's URL */
    borch_url *url;
    borch_conn *conn;
} fixture;

static void fx_open(fixture *f)
{
    borch_error e = {0};
    memset(f, 0, sizeof(*f));
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &f->server, &e), 0);
    int rc = borch_mysql_driver.scratch_create(f->server, &f->url_text, &e);
    ck_assert_msg(rc == 0, "scratch_create: %s", e.message);
    ck_assert_int_eq(borch_url_parse(f->url_text, NULL, &f->url, &e), 0);
    rc = borch_conn_open(f->url, NULL, &f->conn, &e);
    ck_assert_msg(rc == 0, "connect: %s", e.message);
}

static void fx_close(fixture *f)
{
    borch_error e = {0};
    borch_conn_close(f->conn);
    int rc = borch_mysql_driver.scratch_drop(f->server, f->url_text, &e);
    ck_assert_msg(rc == 0, "scratch_drop: %s", e.message);
    borch_url_free(f->url);
    borch_url_free(f->server);
    free(f->url_text);
}

static void exec_ok(borch_conn *c, const char *sql)
{
    borch_error e = {0};
    int rc = borch_conn_exec(c, sql, "t.sql", 1, &e);
    ck_assert_msg(rc == 0, "exec failed: %s (line %d)", e.message, e.line);
    borch_error_clear(&e);
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
static char *rows_of(borch_conn *c, const char *sql, int n, const char *const *params)
{
    borch_buf b;
    borch_buf_init(&b);
    borch_error e = {0};
    int rc = borch_conn_query(c, sql, n, params, collect, &b, &e);
    ck_assert_msg(rc == 0, "query failed: %s", e.message);
    return borch_mysql_take(&b);
}

START_TEST(session_is_utc_and_strict)
{
    fixture f;
    fx_open(&f);
    char *r = rows_of(f.conn,
                      "SELECT @@SESSION.time_zone, "
                      "FIND_IN_SET('STRICT_TRANS_TABLES', @@SESSION.sql_mode) > 0",
                      0, NULL);
    ck_assert_str_eq(r, "+00:00|1\n");
    free(r);
    char *v = f.conn->driver->server_version(f.conn);
    ck_assert(strlen(v) > 0);
    free(v);
    fx_close(&f);
}
END_TEST

START_TEST(failing_second_statement_reports_line_and_statement)
{
    fixture f;
    fx_open(&f);
    borch_error e = {0};
    const char *sql = "CREATE TABLE a (id INT);\n"
                      "\n"
                      "-- the next one fails\n"
                      "INSERT INTO missing_table\n"
                      "  VALUES (1);\n"
                      "CREATE TABLE never_made (id INT);\n";
    ck_assert_int_eq(borch_conn_exec(f.conn, sql, "migrations/1_a.sql", 10, &e), BORCH_ESQL);
    ck_assert_int_eq(e.line, 13);
    ck_assert_str_eq(e.file, "migrations/1_a.sql");
    ck_assert_str_eq(e.sqlstate, "42S02");
    ck_assert_str_eq(e.statement, "INSERT INTO missing_table\n  VALUES (1)");
    ck_assert_msg(strncmp(e.message, "ERROR 1146: ", 12) == 0, "message: %s", e.message);
    ck_assert_ptr_nonnull(strstr(e.message, "missing_table"));
    borch_error_clear(&e);
    /* The first statement ran, the third did not. */
    char *r = rows_of(f.conn,
                      "SELECT TABLE_NAME FROM information_schema.TABLES "
                      "WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
                      0, NULL);
    ck_assert_str_eq(r, "a\n");
    free(r);
    fx_close(&f);
}
END_TEST

START_TEST(unterminated_script_is_input_error_with_file)
{
    fixture f;
    fx_open(&f);
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_exec(f.conn, "SELECT 1;\nSELECT 'x;\n", "m.sql", 5, &e),
                     BORCH_EINPUT);
    ck_assert_str_eq(e.file, "m.sql");
    ck_assert_int_eq(e.line, 6);
    borch_error_clear(&e);
    fx_close(&f);
}
END_TEST

START_TEST(procedure_and_trigger_run_through_delimiter)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, "CREATE TABLE t (n INT);\n"
                    "DELIMITER $$\n"
                    "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\n"
                    "BEGIN\n"
                    "  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;\n"
                    "END$$\n"
                    "CREATE PROCEDURE add_n(IN k INT)\n"
                    "BEGIN\n"
                    "  INSERT INTO t VALUES (k);\n"
                    "  SELECT COUNT(*) FROM t;\n"
                    "END$$\n"
                    "DELIMITER ;\n"
                    "INSERT INTO t VALUES (-5);\n"
                    "CALL add_n(7);\n");
    /* CALL returns a result set plus a status: both are read. */
    char *r = rows_of(f.conn, "CALL add_n(9)", 0, NULL);
    ck_assert_str_eq(r, "3\n");
    free(r);
    /* The same through a prepared statement, and the connection stays in sync. */
    const char *k[] = {"11"};
    r = rows_of(f.conn, "CALL add_n(?)", 1, k);
    ck_assert_str_eq(r, "4\n");
    free(r);
    r = rows_of(f.conn, "SELECT n FROM t ORDER BY n", 0, NULL);
    ck_assert_str_eq(r, "0\n7\n9\n11\n");
    free(r);
    fx_close(&f);
}
END_TEST

START_TEST(script_follows_no_backslash_escapes_mode)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, "CREATE TABLE p (v VARCHAR(20));\n"
                    "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES');");
    exec_ok(f.conn, "INSERT INTO p VALUES ('C:\\');\nINSERT INTO p VALUES ('D:\\');");
    char *r = rows_of(f.conn, "SELECT v FROM p ORDER BY v", 0, NULL);
    ck_assert_str_eq(r, "C:\\\nD:\\\n");
    free(r);
    fx_close(&f);
}
END_TEST

START_TEST(query_params_nulls_and_long_values)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, "CREATE TABLE kv (k VARCHAR(20) PRIMARY KEY, v TEXT, n BIGINT, d DATETIME)");
    char big[5001];
    memset(big, 'x', 5000);
    big[5000] = '\0';
    const char *p1[] = {"a", "short", "42", "2026-11-26 08:00:00"};
    const char *p2[] = {"b", big, "-9000000000", NULL};
    const char *p3[] = {"c", NULL, NULL, NULL};
    borch_error e = {0};
    const char *ins = "INSERT INTO kv VALUES (?, ?, ?, ?)";
    ck_assert_int_eq(borch_conn_query(f.conn, ins, 4, p1, NULL, NULL, &e), 0);
    ck_assert_int_eq(borch_conn_query(f.conn, ins, 4, p2, NULL, NULL, &e), 0);
    ck_assert_int_eq(borch_conn_query(f.conn, ins, 4, p3, NULL, NULL, &e), 0);
    /* Prepared path: numbers, dates, NULLs and a value longer than the first row's. */
    const char *sel_p[] = {"z"};
    char *r = rows_of(f.conn, "SELECT k, v, n, d FROM kv WHERE k < ? ORDER BY k", 1, sel_p);
    borch_buf want;
    borch_buf_init(&want);
    borch_buf_printf(
        &want, "a|short|42|2026-11-26 08:00:00\nb|%s|-9000000000|NULL\nc|NULL|NULL|NULL\n", big);
    ck_assert_str_eq(r, want.data);
    free(r);
    /* Text path gives the same. */
    r = rows_of(f.conn, "SELECT k, v, n, d FROM kv ORDER BY k", 0, NULL);
    ck_assert_str_eq(r, want.data);
    free(r);
    borch_buf_release(&want);
    /* Wrong number of values and SQL errors are reported, not crashed on. */
    ck_assert_int_eq(borch_conn_query(f.conn, "SELECT ?", 2, p1, NULL, NULL, &e), BORCH_EINPUT);
    borch_error_clear(&e);
    ck_assert_int_eq(
        borch_conn_query(f.conn, "SELECT * FROM nope WHERE a = ?", 1, p1, NULL, NULL, &e),
        BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "42S02");
    borch_error_clear(&e);
    ck_assert_int_eq(borch_conn_query(f.conn, ins, 4, p1, NULL, NULL, &e), BORCH_ESQL);
    ck_assert_str_eq(e.sqlstate, "23000");
    borch_error_clear(&e);
    fx_close(&f);
}
END_TEST

/* Stops after the first row. */
static int first_only(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)ncols;
    (void)names;
    (void)values;
    ++*(int *)payload;
    return 1;
}

START_TEST(row_callback_can_stop_early)
{
    fixture f;
    fx_open(&f);
    int calls = 0;
    borch_error e = {0};
    ck_assert_int_eq(
        borch_conn_query(f.conn, "SELECT 1 UNION ALL SELECT 2", 0, NULL, first_only, &calls, &e),
        0);
    ck_assert_int_eq(calls, 1);
    const char *p[] = {"3"};
    ck_assert_int_eq(
        borch_conn_query(f.conn, "SELECT ? UNION ALL SELECT 4", 1, p, first_only, &calls, &e), 0);
    ck_assert_int_eq(calls, 2);
    /* The connection is still usable. */
    char *r = rows_of(f.conn, "SELECT 5", 0, NULL);
    ck_assert_str_eq(r, "5\n");
    free(r);
    fx_close(&f);
}
END_TEST

START_TEST(transactions_commit_and_roll_back)
{
    fixture f;
    fx_open(&f);
    borch_error e = {0};
    exec_ok(f.conn, "CREATE TABLE t (n INT) ENGINE=InnoDB");
    ck_assert_int_eq(borch_conn_begin(f.conn, &e), 0);
    exec_ok(f.conn, "INSERT INTO t VALUES (1)");
    ck_assert_int_eq(borch_conn_rollback(f.conn, &e), 0);
    ck_assert_int_eq(borch_conn_begin(f.conn, &e), 0);
    exec_ok(f.conn, "INSERT INTO t VALUES (2)");
    ck_assert_int_eq(borch_conn_commit(f.conn, &e), 0);
    char *r = rows_of(f.conn, "SELECT n FROM t", 0, NULL);
    ck_assert_str_eq(r, "2\n");
    free(r);
    fx_close(&f);
}
END_TEST

static const char schema_sql[] =
    "CREATE TABLE users (\n"
    "  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n"
    "  email VARCHAR(200) NOT NULL,\n"
    "  name VARCHAR(100) DEFAULT 'it''s anon',\n"
    "  active TINYINT(1) NOT NULL DEFAULT 1,\n"
    "  age INT(11) NULL,\n"
    "  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
    "  bio TEXT,\n"
    "  status ENUM('Active','Done') NOT NULL DEFAULT 'Active',\n"
    "  PRIMARY KEY (id),\n"
    "  UNIQUE KEY users_email_key (email)\n"
    ") COMMENT='people';\n"
    "CREATE TABLE posts (\n"
    "  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
    "  user_id BIGINT UNSIGNED NOT NULL,\n"
    "  title VARCHAR(300) NOT NULL,\n"
    "  score INT NOT NULL DEFAULT 0,\n"
    "  meta JSON,\n"
    "  KEY posts_title_idx (title(10), score),\n"
    "  KEY posts_score_desc (score DESC, id),\n"
    "  CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id)\n"
    "    ON DELETE CASCADE ON UPDATE NO ACTION,\n"
    "  CONSTRAINT posts_score_check CHECK (score >= 0)\n"
    ");\n"
    "CREATE TABLE tags (\n"
    "  post_id INT NOT NULL,\n"
    "  tag VARCHAR(50) NOT NULL,\n"
    "  PRIMARY KEY (post_id, tag),\n"
    "  FULLTEXT KEY tags_ft (tag)\n"
    ");\n"
    "CREATE VIEW user_posts AS SELECT u.email, p.title FROM users u JOIN posts p ON p.user_id = "
    "u.id;\n"
    "CREATE TABLE borch_schema_history (version VARCHAR(50));\n"
    "CREATE TABLE borch_audit (seq BIGINT);\n";

static void assert_column(const borch_table *t, size_t i, const char *name, const char *type,
                          int nullable, const char *def, int identity)
{
    ck_assert_uint_lt(i, t->ncolumns);
    const borch_column *c = &t->columns[i];
    ck_assert_str_eq(c->name, name);
    ck_assert_str_eq(c->type, type);
    ck_assert_msg(c->nullable == nullable, "%s.%s nullable %d", t->name, name, c->nullable);
    if (def)
        ck_assert_msg(c->default_expr && strcmp(c->default_expr, def) == 0,
                      "%s.%s default: got [%s] want [%s]", t->name, name,
                      c->default_expr ? c->default_expr : "(none)", def);
    else
        ck_assert_msg(!c->default_expr, "%s.%s has default [%s]", t->name, name, c->default_expr);
    ck_assert_int_eq(c->identity, identity);
}

START_TEST(introspect_realistic_schema)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, schema_sql);
    borch_schema *s = NULL;
    borch_error e = {0};
    int rc = borch_conn_introspect(f.conn, &s, &e);
    ck_assert_msg(rc == 0, "introspect: %s", e.message);
    ck_assert_str_eq(s->engine, "mysql");
    ck_assert_uint_eq(s->ntables, 3);
    ck_assert_str_eq(s->tables[0].name, "posts");
    ck_assert_str_eq(s->tables[1].name, "tags");
    ck_assert_str_eq(s->tables[2].name, "users");

    const borch_table *users = &s->tables[2];
    ck_assert_uint_eq(users->ncolumns, 8);
    assert_column(users, 0, "id", "bigint unsigned", 0, NULL, 1);
    assert_column(users, 1, "email", "varchar(200)", 0, NULL, 0);
    assert_column(users, 2, "name", "varchar(100)", 1, "'it''s anon'", 0);
    assert_column(users, 3, "active", "tinyint(1)", 0, "1", 0);
    assert_column(users, 4, "age", "int", 1, NULL, 0);
    assert_column(users, 5, "created_at", "datetime", 0, "current_timestamp()", 0);
    assert_column(users, 6, "bio", "text", 1, NULL, 0);
    assert_column(users, 7, "status", "enum('Active','Done')", 0, "'Active'", 0);
    ck_assert_uint_eq(users->nprimary_key, 1);
    ck_assert_str_eq(users->primary_key[0], "id");
    ck_assert_ptr_null(users->primary_key_name);
    ck_assert_str_eq(users->comment, "people");
    ck_assert_uint_eq(users->nindexes, 1);
    ck_assert_str_eq(users->indexes[0].name, "users_email_key");
    ck_assert_uint_eq(users->indexes[0].ncolumns, 1);
    ck_assert_str_eq(users->indexes[0].columns[0], "email");
    ck_assert_int_eq(users->indexes[0].unique, 1);
    ck_assert_int_eq(users->indexes[0].constraint, 1);
    ck_assert_ptr_null(users->indexes[0].method);
    ck_assert_uint_eq(users->nforeign_keys, 0);
    ck_assert_uint_eq(users->nchecks, 0);

    const borch_table *posts = &s->tables[0];
    ck_assert_uint_eq(posts->ncolumns, 5);
    assert_column(posts, 0, "id", "int", 0, NULL, 1);
    assert_column(posts, 1, "user_id", "bigint unsigned", 0, NULL, 0);
    assert_column(posts, 2, "title", "varchar(300)", 0, NULL, 0);
    assert_column(posts, 3, "score", "int", 0, "0", 0);
    assert_column(posts, 4, "meta", "json", 1, NULL, 0);
    ck_assert_uint_eq(posts->nprimary_key, 1);
    ck_assert_str_eq(posts->primary_key[0], "id");
    /* The foreign key's own index, made by InnoDB, is listed too. */
    ck_assert_uint_eq(posts->nindexes, 3);
    ck_assert_str_eq(posts->indexes[0].name, "posts_score_desc");
    ck_assert_uint_eq(posts->indexes[0].ncolumns, 2);
    ck_assert_str_eq(posts->indexes[0].columns[0], "score DESC");
    ck_assert_str_eq(posts->indexes[0].columns[1], "id");
    ck_assert_str_eq(posts->indexes[1].name, "posts_title_idx");
    ck_assert_uint_eq(posts->indexes[1].ncolumns, 2);
    ck_assert_str_eq(posts->indexes[1].columns[0], "title(10)");
    ck_assert_str_eq(posts->indexes[1].columns[1], "score");
    ck_assert_int_eq(posts->indexes[1].unique, 0);
    ck_assert_int_eq(posts->indexes[1].constraint, 0);
    ck_assert_ptr_null(posts->indexes[1].method);
    ck_assert_str_eq(posts->indexes[2].name, "posts_user_fk");
    ck_assert_uint_eq(posts->indexes[2].ncolumns, 1);
    ck_assert_str_eq(posts->indexes[2].columns[0], "user_id");
    ck_assert_uint_eq(posts->nforeign_keys, 1);
    const borch_foreign_key *fk = &posts->foreign_keys[0];
    ck_assert_str_eq(fk->name, "posts_user_fk");
    ck_assert_str_eq(fk->ref_table, "users");
    ck_assert_uint_eq(fk->ncolumns, 1);
    ck_assert_str_eq(fk->columns[0], "user_id");
    ck_assert_uint_eq(fk->nref_columns, 1);
    ck_assert_str_eq(fk->ref_columns[0], "id");
    ck_assert_str_eq(fk->on_delete, "cascade");
    ck_assert_str_eq(fk->on_update, "no action");
    ck_assert_uint_eq(posts->nchecks, 1);
    ck_assert_str_eq(posts->checks[0].name, "posts_score_check");
    ck_assert_str_eq(posts->checks[0].expression, "`score` >= 0");

    const borch_table *tags = &s->tables[1];
    ck_assert_uint_eq(tags->nprimary_key, 2);
    ck_assert_str_eq(tags->primary_key[0], "post_id");
    ck_assert_str_eq(tags->primary_key[1], "tag");
    ck_assert_uint_eq(tags->nindexes, 1);
    ck_assert_str_eq(tags->indexes[0].name, "tags_ft");
    ck_assert_str_eq(tags->indexes[0].method, "fulltext");

    ck_assert_uint_eq(s->nviews, 1);
    ck_assert_str_eq(s->views[0].name, "user_posts");
    ck_assert_ptr_null(strstr(s->views[0].definition, f.url->database));
    if (((borch_mysql_conn *)f.conn)->mariadb)
        ck_assert_str_eq(s->views[0].definition,
                         "select `u`.`email` AS `email`,`p`.`title` AS `title` from (`users` `u` "
                         "join `posts` `p` on(`p`.`user_id` = `u`.`id`))");
    ck_assert_uint_eq(s->nsequences, 0);
    borch_schema_free(s);

    /* MariaDB's sequences are tables too, but are read as sequences. */
    if (((borch_mysql_conn *)f.conn)->mariadb) {
        exec_ok(f.conn, "CREATE SEQUENCE order_numbers START WITH 100");
        ck_assert_int_eq(borch_conn_introspect(f.conn, &s, &e), 0);
        ck_assert_uint_eq(s->ntables, 3);
        ck_assert_uint_eq(s->nsequences, 1);
        ck_assert_str_eq(s->sequences[0].name, "order_numbers");
        ck_assert_ptr_null(s->sequences[0].owned_by);
        borch_schema_free(s);
    }
    fx_close(&f);
}
END_TEST

START_TEST(introspect_twice_gives_equal_models)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, schema_sql);
    borch_schema *a = NULL, *b = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_introspect(f.conn, &a, &e), 0);
    ck_assert_int_eq(borch_conn_introspect(f.conn, &b, &e), 0);
    ck_assert_uint_eq(borch_schema_compare(a, b, NULL), 0);
    exec_ok(f.conn, "ALTER TABLE users ADD COLUMN nick VARCHAR(10)");
    borch_schema_free(b);
    ck_assert_int_eq(borch_conn_introspect(f.conn, &b, &e), 0);
    ck_assert_uint_gt(borch_schema_compare(a, b, NULL), 0);
    borch_schema_free(a);
    borch_schema_free(b);
    fx_close(&f);
}
END_TEST

START_TEST(introspect_without_database_is_refused)
{
    borch_url *server = NULL, *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &server, &e), 0);
    char *text = borch_url_with_database(server, "");
    ck_assert_int_eq(borch_url_parse(text, NULL, &u, &e), 0);
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_conn_open(u, NULL, &c, &e), 0);
    borch_schema *s = NULL;
    ck_assert_int_eq(borch_conn_introspect(c, &s, &e), BORCH_EINPUT);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(e.message, "names no database"));
    borch_conn_close(c);
    borch_url_free(u);
    borch_url_free(server);
    free(text);
}
END_TEST

/* Milliseconds on a monotonic-enough clock. */
static long long now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

START_TEST(lock_held_by_another_session_times_out)
{
    fixture f;
    fx_open(&f);
    borch_conn *other = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_open(f.url, NULL, &other, &e), 0);
    ck_assert_int_eq(borch_conn_lock(f.conn, "borch_migrate", 1000, &e), 0);
    long long t0 = now_ms();
    ck_assert_int_eq(borch_conn_lock(other, "borch_migrate", 1500, &e), BORCH_ELOCK);
    long long waited = now_ms() - t0;
    ck_assert_msg(waited >= 1800, "waited only %lld ms (1500 ms rounds up to 2 s)", waited);
    ck_assert_str_eq(e.message, "could not take the migration lock within 2 s");
    borch_error_clear(&e);
    /* The lock outlives a commit, and is free once released. */
    ck_assert_int_eq(borch_conn_begin(f.conn, &e), 0);
    ck_assert_int_eq(borch_conn_commit(f.conn, &e), 0);
    ck_assert_int_eq(borch_conn_lock(other, "borch_migrate", 0, &e), BORCH_ELOCK);
    borch_error_clear(&e);
    ck_assert_int_eq(borch_conn_unlock(f.conn, "borch_migrate", &e), 0);
    ck_assert_int_eq(borch_conn_lock(other, "borch_migrate", 0, &e), 0);
    /* Unlocking a lock this session does not hold is an error. */
    ck_assert_int_eq(borch_conn_unlock(f.conn, "borch_migrate", &e), BORCH_ELOCK);
    borch_error_clear(&e);
    /* A closed session gives its lock up. */
    borch_conn_close(other);
    ck_assert_int_eq(borch_conn_lock(f.conn, "borch_migrate", 2000, &e), 0);
    ck_assert_int_eq(borch_conn_unlock(f.conn, "borch_migrate", &e), 0);
    fx_close(&f);
}
END_TEST

/* The value of the first row's first column, malloc'd ("" for no row). */
static char *scalar(borch_conn *c, const char *sql)
{
    char *r = rows_of(c, sql, 0, NULL);
    char *nl = strchr(r, '\n');
    if (nl)
        *nl = '\0';
    return r;
}

START_TEST(scratch_database_is_made_and_dropped)
{
    borch_url *server = NULL, *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &server, &e), 0);
    char *url = NULL;
    ck_assert_int_eq(borch_scratch_create(server, &url, &e), 0);
    ck_assert_int_eq(borch_url_parse(url, NULL, &u, &e), 0);
    ck_assert_int_eq(strncmp(u->database, "borch_scratch_", 14), 0);
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_conn_open(u, NULL, &c, &e), 0);
    char *db = scalar(c, "SELECT DATABASE()");
    ck_assert_str_eq(db, u->database);
    free(db);
    borch_conn_close(c);
    ck_assert_int_eq(borch_scratch_drop(server, url, &e), 0);
    ck_assert_int_eq(borch_conn_open(u, NULL, &c, &e), BORCH_ECONNECT);
    borch_error_clear(&e);
    /* Dropping twice is fine; dropping a real database is refused. */
    ck_assert_int_eq(borch_scratch_drop(server, url, &e), 0);
    ck_assert_int_eq(borch_scratch_drop(server, getenv("BORCH_TEST_MYSQL_URL"), &e), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.message, "refusing to drop"));
    borch_error_clear(&e);
    free(url);
    borch_url_free(u);
    borch_url_free(server);
}
END_TEST

START_TEST(wrong_password_is_connect_error_without_the_password)
{
    borch_url *good = NULL, *bad = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &good, &e), 0);
    char text[1024];
    if (good->host)
        snprintf(text, sizeof(text), "mysql://%s:Wr0ng-S3cret@%s:%d/%s", good->user, good->host,
                 good->port ? good->port : 3306, good->database ? good->database : "");
    else
        snprintf(text, sizeof(text), "mysql://%s:Wr0ng-S3cret@/%s?socket=%s", good->user,
                 good->database ? good->database : "", borch_url_param(good, "socket"));
    ck_assert_int_eq(borch_url_parse(text, NULL, &bad, &e), 0);
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_conn_open(bad, NULL, &c, &e), BORCH_ECONNECT);
    ck_assert_ptr_null(c);
    ck_assert_ptr_null(strstr(e.message, "Wr0ng-S3cret"));
    ck_assert_ptr_nonnull(strstr(e.message, ":***@"));
    ck_assert_ptr_nonnull(strstr(e.message, "Access denied"));
    ck_assert_int_eq(borch_error_exit_code(e.code), 3);
    borch_error_clear(&e);
    borch_url_free(bad);
    borch_url_free(good);
}
END_TEST

START_TEST(unknown_url_parameter_is_refused)
{
    borch_url *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse("mysql://u:hunter2@127.0.0.1:1/db?sockett=/x", NULL, &u, &e),
                     0);
    borch_conn *c = NULL;
    ck_assert_int_eq(borch_conn_open(u, NULL, &c, &e), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.message, "unknown parameter 'sockett'"));
    ck_assert_ptr_null(strstr(e.message, "hunter2"));
    borch_url_free(u);
}
END_TEST

START_TEST(required_tls_is_never_quietly_dropped)
{
    borch_url *good = NULL, *u = NULL;
    borch_error e = {0};
    ck_assert_int_eq(borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &good, &e), 0);
    borch_buf text;
    borch_buf_init(&text);
    borch_buf_printf(&text, "%s%sssl-mode=required", good->raw, strchr(good->raw, '?') ? "&" : "?");
    ck_assert_int_eq(borch_url_parse(text.data, NULL, &u, &e), 0);
    borch_conn *c = NULL;
    int rc = borch_conn_open(u, NULL, &c, &e);
    if (rc == 0) {
        /* The server has TLS: then the session must use it. */
        char *r = rows_of(c, "SHOW SESSION STATUS LIKE 'Ssl_cipher'", 0, NULL);
        ck_assert_msg(strcmp(r, "Ssl_cipher|\n") != 0, "connected without TLS");
        free(r);
        borch_conn_close(c);
    } else {
        ck_assert_int_eq(rc, BORCH_ECONNECT);
        ck_assert_ptr_nonnull(strstr(e.message, "TLS"));
        ck_assert_ptr_nonnull(strstr(e.message, ":***@"));
    }
    borch_buf_release(&text);
    borch_url_free(u);
    borch_url_free(good);
}
END_TEST

START_TEST(unreachable_server_is_connect_error)
{
    borch_url *u = NULL;
    borch_error e = {0};
    /* Port 1 on loopback: nothing listens, the refusal is immediate. */
    ck_assert_int_eq(borch_url_parse("mysql://u:hunter2@127.0.0.1:1/db", NULL, &u, &e), 0);
    borch_conn *c = NULL;
    borch_conn_opts opts = {.connect_timeout_s = 2};
    ck_assert_int_eq(borch_conn_open(u, &opts, &c, &e), BORCH_ECONNECT);
    ck_assert_ptr_nonnull(strstr(e.message, "mysql://u:***@127.0.0.1:1/db"));
    ck_assert_ptr_null(strstr(e.message, "hunter2"));
    borch_url_free(u);
}
END_TEST

START_TEST(hostile_identifier_with_backtick)
{
    fixture f;
    fx_open(&f);
    const char *name = "we`ird; DROP TABLE x; --";
    char *q = f.conn->driver->quote_ident(name);
    char *qc = f.conn->driver->quote_ident("co`l");
    borch_buf sql;
    borch_buf_init(&sql);
    borch_buf_printf(&sql, "CREATE TABLE %s (%s VARCHAR(10) PRIMARY KEY, `j``son` JSON)", q, qc);
    exec_ok(f.conn, sql.data);
    borch_buf_clear(&sql);
    borch_buf_printf(&sql, "INSERT INTO %s (%s) VALUES (?)", q, qc);
    const char *v[] = {"a`b'c"};
    borch_error e = {0};
    ck_assert_int_eq(borch_conn_query(f.conn, sql.data, 1, v, NULL, NULL, &e), 0);
    borch_buf_clear(&sql);
    borch_buf_printf(&sql, "SELECT %s FROM %s", qc, q);
    char *r = rows_of(f.conn, sql.data, 0, NULL);
    ck_assert_str_eq(r, "a`b'c\n");
    free(r);
    borch_schema *s = NULL;
    ck_assert_int_eq(borch_conn_introspect(f.conn, &s, &e), 0);
    ck_assert_uint_eq(s->ntables, 1);
    ck_assert_str_eq(s->tables[0].name, name);
    ck_assert_str_eq(s->tables[0].columns[0].name, "co`l");
    ck_assert_str_eq(s->tables[0].columns[1].name, "j`son");
    ck_assert_str_eq(s->tables[0].columns[1].type, "json");
    ck_assert_uint_eq(s->tables[0].nchecks, 0);
    ck_assert_str_eq(s->tables[0].primary_key[0], "co`l");
    borch_schema_free(s);
    /* A lock name with a backtick is just a parameter. */
    ck_assert_int_eq(borch_conn_lock(f.conn, name, 0, &e), 0);
    ck_assert_int_eq(borch_conn_unlock(f.conn, name, &e), 0);
    borch_buf_release(&sql);
    free(q);
    free(qc);
    fx_close(&f);
}
END_TEST

START_TEST(explain_gives_a_cost_that_an_index_lowers)
{
    fixture f;
    fx_open(&f);
    exec_ok(f.conn, "CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, a INT, b INT);\n"
                    "INSERT INTO t (a, b) WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL\n"
                    "  SELECT n + 1 FROM s WHERE n < 1000) SELECT n % 100, n FROM s;\n"
                    "ANALYZE TABLE t;\n");
    borch_plan p = {0};
    borch_error e = {0};
    int rc = borch_conn_explain(f.conn, "SELECT * FROM t WHERE a = 7;", &p, &e);
    ck_assert_msg(rc == 0, "explain: %s", e.message);
    ck_assert_ptr_nonnull(p.json);
    ck_assert_ptr_nonnull(strstr(p.json, "query_block"));
    ck_assert_ptr_nonnull(p.text);
    double before = p.total_cost;
    ck_assert(before > 0);
    borch_plan_release(&p);
    exec_ok(f.conn, "CREATE INDEX t_a ON t (a); ANALYZE TABLE t;");
    ck_assert_int_eq(borch_conn_explain(f.conn, "SELECT * FROM t WHERE a = 7", &p, &e), 0);
    ck_assert_msg(p.total_cost < before, "cost %f not below %f", p.total_cost, before);
    borch_plan_release(&p);
    ck_assert_int_eq(borch_conn_explain(f.conn, "SELECT * FROM nope", &p, &e), BORCH_ESQL);
    ck_assert_str_eq(e.statement, "SELECT * FROM nope");
    borch_error_clear(&e);
    fx_close(&f);
}
END_TEST

/* Keeps the database names a query returns. */
static int keep_names(void *payload, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    if (ncols > 0 && values[0])
        borch_strv_push(payload, values[0]);
    return 0;
}

/*
 * After the server tests: a test that fails exits before dropping its
 * throwaway database, so drop those whose creating process (the pid in
 * the name) is gone. Only on a loopback server, where the pids are ours.
 */
static void drop_orphaned_scratch(void)
{
    borch_url *server = NULL;
    borch_error e = {0};
    if (borch_url_parse(getenv("BORCH_TEST_MYSQL_URL"), NULL, &server, &e) != 0)
        return;
    const char *h = server->host;
    if (h && strcmp(h, "127.0.0.1") != 0 && strcmp(h, "localhost") != 0 && strcmp(h, "::1") != 0) {
        borch_url_free(server);
        return;
    }
    borch_conn *c = NULL;
    borch_strv dbs = {0};
    if (borch_conn_open(server, NULL, &c, &e) == 0) {
        borch_conn_query(c,
                         "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                         " WHERE SCHEMA_NAME LIKE 'borch\\_scratch\\_%'",
                         0, NULL, keep_names, &dbs, &e);
        borch_conn_close(c);
    }
    for (size_t i = 0; i < dbs.count; i++) {
        long pid = strtol(dbs.items[i] + strlen("borch_scratch_"), NULL, 10);
        if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *url = borch_url_with_database(server, dbs.items[i]);
        borch_scratch_drop(server, url, &e);
        free(url);
    }
    borch_error_clear(&e);
    borch_strv_release(&dbs);
    borch_url_free(server);
}

/* ---- suite ---- */

START_TEST(server_tests_skipped)
{
    fprintf(stderr, "mysql_driver: BORCH_TEST_MYSQL_URL is not set: server tests skipped "
                    "(start one with tests/support/servers.sh)\n");
}
END_TEST

START_TEST(server_url_required_in_ci)
{
    ck_abort_msg("BORCH_TEST_MYSQL_URL is not set but CI=true: the MySQL driver must be tested "
                 "against a real server (tests/support/servers.sh)");
}
END_TEST

Suite *suite_mysql_driver(void)
{
    Suite *s = suite_create("mysql_driver");
    TCase *tc = tcase_create("offline");
    tcase_add_test(tc, split_plain_statements_keep_their_lines);
    tcase_add_test(tc, split_first_line_offsets_every_line);
    tcase_add_test(tc, split_delimiter_procedure_and_trigger);
    tcase_add_test(tc, split_delimiter_line_ends_a_pending_statement);
    tcase_add_test(tc, split_quotes_hide_delimiters_and_escapes);
    tcase_add_test(tc, split_backtick_has_no_backslash_escape);
    tcase_add_test(tc, split_without_backslash_escapes);
    tcase_add_test(tc, split_comments_are_skipped_but_executable_ones_kept);
    tcase_add_test(tc, split_comment_only_script_has_no_statements);
    tcase_add_test(tc, split_unterminated_quote_names_its_line);
    tcase_add_test(tc, split_unterminated_comment_names_its_line);
    tcase_add_test(tc, split_delimiter_without_value_fails);
    tcase_add_test(tc, lock_names_carry_the_database_and_stay_short);
    tcase_add_test(tc, types_lose_integer_display_widths_only);
    tcase_add_test(tc, mysql_and_mariadb_defaults_normalize_alike);
    tcase_add_test(tc, check_clauses_lose_one_wrapping_pair);
    tcase_add_test(tc, view_definitions_drop_their_database);
    tcase_add_test(tc, plan_costs_from_mysql_mariadb_and_derived);
    tcase_add_test(tc, quote_ident_doubles_backticks);
    tcase_add_test(tc, unknown_url_parameter_is_refused);
    tcase_add_test(tc, unreachable_server_is_connect_error);
    suite_add_tcase(s, tc);

    TCase *srv = tcase_create("server");
    tcase_set_timeout(srv, 60);
    const char *url = getenv("BORCH_TEST_MYSQL_URL");
    const char *ci = getenv("CI");
    if (url && url[0]) {
        tcase_add_unchecked_fixture(srv, NULL, drop_orphaned_scratch);
        tcase_add_test(srv, session_is_utc_and_strict);
        tcase_add_test(srv, failing_second_statement_reports_line_and_statement);
        tcase_add_test(srv, unterminated_script_is_input_error_with_file);
        tcase_add_test(srv, procedure_and_trigger_run_through_delimiter);
        tcase_add_test(srv, script_follows_no_backslash_escapes_mode);
        tcase_add_test(srv, query_params_nulls_and_long_values);
        tcase_add_test(srv, row_callback_can_stop_early);
        tcase_add_test(srv, transactions_commit_and_roll_back);
        tcase_add_test(srv, introspect_realistic_schema);
        tcase_add_test(srv, introspect_twice_gives_equal_models);
        tcase_add_test(srv, introspect_without_database_is_refused);
        tcase_add_test(srv, lock_held_by_another_session_times_out);
        tcase_add_test(srv, scratch_database_is_made_and_dropped);
        tcase_add_test(srv, wrong_password_is_connect_error_without_the_password);
        tcase_add_test(srv, required_tls_is_never_quietly_dropped);
        tcase_add_test(srv, hostile_identifier_with_backtick);
        tcase_add_test(srv, explain_gives_a_cost_that_an_index_lowers);
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
    fprintf(stderr, "mysql_driver: built without MySQL support: tests skipped\n");
}
END_TEST

Suite *suite_mysql_driver(void)
{
    Suite *s = suite_create("mysql_driver");
    TCase *tc = tcase_create("skipped");
    tcase_add_test(tc, built_without_mysql);
    suite_add_tcase(s, tc);
    return s;
}

#endif
