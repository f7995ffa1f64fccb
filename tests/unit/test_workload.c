/*
 * test_workload.c - reading a workload: plain SQL files, PostgreSQL logs
 * and MySQL/MariaDB slow query logs (fixtures are excerpts of logs written
 * by the test servers: PostgreSQL 15 with log_min_duration_statement=0 and
 * pgbench -M extended/prepared, MariaDB 10.11 with long_query_time=0),
 * fingerprints, merging, weights, positions and the warnings for bad input.
 */
#include "core/workload.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"

#define FIXTURES BORCH_SOURCE_DIR "/tests/unit/fixtures/workload/"

static void parse_ok(borch_workload *w, const char *text, const char *path)
{
    borch_error e = {0};
    ck_assert_int_eq(borch_workload_parse(w, text, path, &e), 0);
}

static void expect_fp(const char *sql, const char *want)
{
    char *fp = borch_sql_fingerprint(sql);
    ck_assert_str_eq(fp, want);
    free(fp);
}

static int near(double a, double b)
{
    double d = a - b;
    return d < 1e-6 && d > -1e-6;
}

/* ---- plain SQL ---- */

START_TEST(sql_file_keeps_queries_with_their_lines)
{
    borch_workload w = {0};
    parse_ok(&w,
             "-- the orders page\n"
             "SET search_path = app;\n"
             "BEGIN;\n"
             "SELECT * FROM orders WHERE customer_id = $1; /* one; two */\n"
             "\n"
             "  select o.id, 'a;b' AS x, \"Odd;Name\", `back;tick`\n"
             "    from orders o\n"
             "   where o.status = 'it''s; fine' -- a comment; still one\n"
             "   and o.total > ?;\n"
             "INSERT INTO orders (id) VALUES (1);\n"
             "CREATE TABLE t (id int);\n"
             "DO $$ BEGIN PERFORM 1; END $$;\n"
             "SELECT $tag$ a;b $tag$ AS body;\n"
             "WITH x AS (SELECT 1) SELECT * FROM x;\n"
             "(SELECT 1) UNION (SELECT 2);\n"
             "update orders set status = 'done' where id = 3;\n"
             "\\timing on\n"
             "DELETE FROM orders WHERE id = 4\n",
             "work.sql");
    ck_assert_str_eq(w.format, "sql");
    ck_assert_int_eq(w.nqueries, 7);
    ck_assert_str_eq(w.queries[0].sql, "SELECT * FROM orders WHERE customer_id = $1");
    ck_assert_int_eq(w.queries[0].line, 4);
    ck_assert_str_eq(w.queries[0].file, "work.sql");
    ck_assert_str_eq(w.queries[1].sql, "select o.id, 'a;b' AS x, \"Odd;Name\", `back;tick`\n"
                                       "    from orders o\n"
                                       "   where o.status = 'it''s; fine' -- a comment; still one\n"
                                       "   and o.total > ?");
    ck_assert_int_eq(w.queries[1].line, 6);
    ck_assert_str_eq(w.queries[2].sql, "SELECT $tag$ a;b $tag$ AS body");
    ck_assert_int_eq(w.queries[2].line, 13);
    ck_assert_int_eq(w.queries[3].line, 14);
    ck_assert_str_eq(w.queries[4].sql, "(SELECT 1) UNION (SELECT 2)");
    ck_assert_int_eq(w.queries[5].line, 16);
    ck_assert_str_eq(w.queries[6].sql, "DELETE FROM orders WHERE id = 4");
    ck_assert_int_eq(w.queries[6].line, 18);
    for (size_t i = 0; i < w.nqueries; i++) {
        ck_assert(near(w.queries[i].calls, 1));
        ck_assert(near(w.queries[i].total_ms, 0));
        ck_assert(near(w.queries[i].weight, 1));
    }
    ck_assert_int_eq(w.warnings.count, 0);
    borch_workload_release(&w);
}
END_TEST

START_TEST(sql_file_merges_queries_that_differ_in_literals)
{
    borch_workload w = {0};
    parse_ok(&w,
             "SELECT * FROM users WHERE id = 1;\n"
             "select *\n  from USERS where ID = 2;\n"
             "SELECT * FROM users WHERE id = $1;\n"
             "SELECT * FROM users WHERE email = 'a@b';\n"
             "SELECT * FROM users WHERE id = ?;\n",
             "m.sql");
    ck_assert_int_eq(w.nqueries, 2);
    ck_assert_str_eq(w.queries[0].sql, "SELECT * FROM users WHERE id = 1");
    ck_assert_int_eq(w.queries[0].line, 1);
    ck_assert(near(w.queries[0].calls, 4));
    ck_assert(near(w.queries[0].weight, 4));
    ck_assert_str_eq(w.queries[0].fingerprint, "select * from users where id = ?");
    ck_assert_int_eq(w.queries[1].line, 5);
    ck_assert(near(w.queries[1].calls, 1));
    /* a second file adds to the same queries and keeps the first position */
    parse_ok(&w, "\n\nselect * from users where id = 99;\nselect 1;\n", "n.sql");
    ck_assert_int_eq(w.nqueries, 3);
    ck_assert(near(w.queries[0].calls, 5));
    ck_assert_str_eq(w.queries[0].file, "m.sql");
    ck_assert_str_eq(w.queries[2].file, "n.sql");
    ck_assert_int_eq(w.queries[2].line, 4);
    borch_workload_release(&w);
}
END_TEST

START_TEST(unterminated_string_warns_with_file_and_line)
{
    borch_workload w = {0};
    parse_ok(&w,
             "SELECT 1 FROM t;\n"
             "SELECT * FROM t\n"
             " WHERE name = 'abc;\n"
             "SELECT 2 FROM t;\n",
             "bad.sql");
    ck_assert_int_eq(w.nqueries, 1);
    ck_assert_int_eq(w.warnings.count, 1);
    ck_assert_str_eq(w.warnings.items[0], "bad.sql:3: unterminated string");
    borch_workload_release(&w);
}
END_TEST

START_TEST(statement_that_is_no_sql_is_reported)
{
    borch_workload w = {0};
    parse_ok(&w,
             "SELECT id FROM customers WHERE email = 'a';\n"
             "SELEC id, total FROM orders WHERE customer_id = 5;\n"
             "frobnicate the table;\n"
             "  42;\n"
             "VACUUM orders; SHOW TABLES; EXPLAIN SELECT 1;\n"
             "SELECT id FROM orders WHERE customer_id = 6;\n",
             "typo.sql");
    ck_assert_int_eq(w.nqueries, 2);
    ck_assert_int_eq(w.queries[1].line, 6);
    ck_assert_int_eq(w.warnings.count, 3);
    ck_assert_str_eq(w.warnings.items[0],
                     "typo.sql:2: syntax error at 'SELEC' (did you mean 'select'?), skipped");
    ck_assert_str_eq(w.warnings.items[1],
                     "typo.sql:3: syntax error at 'frobnicate': not a SQL statement, skipped");
    ck_assert_str_eq(w.warnings.items[2],
                     "typo.sql:4: syntax error at '42': not a SQL statement, skipped");
    borch_workload_release(&w);
}
END_TEST

START_TEST(unterminated_comment_identifier_and_dollar_quote_warn)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"SELECT 1;\n/* never\nclosed; SELECT 2;", "c.sql:2: unterminated comment"},
        {"SELECT 1;\n\nSELECT \"abc FROM t;", "c.sql:3: unterminated quoted identifier"},
        {"SELECT `abc FROM t;", "c.sql:1: unterminated quoted identifier"},
        {"SELECT 1;\nSELECT $x$ abc $y$;", "c.sql:2: unterminated dollar-quoted string"},
        {"SELECT 1; /* a /* nested */ still open", "c.sql:1: unterminated comment"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        borch_workload w = {0};
        parse_ok(&w, cases[i].text, "c.sql");
        ck_assert_int_eq(w.warnings.count, 1);
        ck_assert_str_eq(w.warnings.items[0], cases[i].want);
        ck_assert_int_le(w.nqueries, 1);
        borch_workload_release(&w);
    }
}
END_TEST

START_TEST(fingerprints_fold_literals_case_space_and_in_lists)
{
    expect_fp("SELECT  *\n FROM Orders\tWHERE id=42;", "select * from orders where id = ?");
    expect_fp("select * from orders where id = $12", "select * from orders where id = ?");
    expect_fp("select a.b, count(*) from t a where x in (1, 2, 3) group by a.b",
              "select a.b, count (*) from t a where x in (?) group by a.b");
    expect_fp("SELECT 1 FROM t WHERE x IN ('a','b') AND y IN (?)",
              "select ? from t where x in (?) and y in (?)");
    expect_fp("select * from t where x in (select y from u)",
              "select * from t where x in (select y from u)");
    expect_fp("select \"MixedCase\", `Back` from t where s = E'it\\'s' -- note\n",
              "select \"MixedCase\", `Back` from t where s = ?");
    expect_fp("select $$a;b$$, 1.5e3, -7, 0x1F, .5 /* c */ from t",
              "select ?, ?, - ?, ?, ? from t");
    expect_fp("select x::text from t where a >= 3 and b <> 'q'",
              "select x::text from t where a >= ? and b <> ?");
    expect_fp("SELECT 1;", "select ?");
    /* a leading wildcard decides whether an index can serve LIKE */
    expect_fp("select id from t where name like 'abc%'", "select id from t where name like ?");
    expect_fp("select id from t where name like '%abc'", "select id from t where name like ?%");
    expect_fp("select id from t where name like '_bc'", "select id from t where name like ?%");
}
END_TEST

START_TEST(fingerprint_keeps_unterminated_rest)
{
    expect_fp("select 'abc", "select 'abc");
}
END_TEST

/* ---- PostgreSQL log ---- */

START_TEST(postgres_log_durations_multiline_and_parameters)
{
    borch_workload w = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_workload_read_file(&w, FIXTURES "pg15.log", &e), 0);
    ck_assert_str_eq(w.format, "postgres-log");
    ck_assert_int_eq(w.warnings.count, 0);
    ck_assert_int_eq(w.nqueries, 4);

    ck_assert_str_eq(w.queries[0].sql, "select * from wl_users where email = 'u5@x.org'");
    ck_assert_int_eq(w.queries[0].line, 10);
    ck_assert_str_eq(w.queries[0].file, FIXTURES "pg15.log");
    ck_assert(near(w.queries[0].total_ms, 0.539));
    ck_assert(near(w.queries[0].weight, 0.539));

    ck_assert_str_eq(w.queries[1].sql, "select id,\n       email\n  from wl_users\n"
                                       " where id in (1, 2, 3)\n order by id");
    ck_assert_int_eq(w.queries[1].line, 11);
    ck_assert_str_eq(w.queries[1].fingerprint,
                     "select id, email from wl_users where id in (?) order by id");

    ck_assert_str_eq(w.queries[2].sql, "update wl_users set email = 'it''s' where id = 7");
    ck_assert_int_eq(w.queries[2].line, 16);

    /* four executes (unnamed and P_0), parse/bind not counted, $1 from DETAIL */
    ck_assert_str_eq(w.queries[3].sql,
                     "SELECT email FROM wl_users WHERE id = '75' AND email <> 'x'");
    ck_assert_int_eq(w.queries[3].line, 20);
    ck_assert(near(w.queries[3].calls, 4));
    ck_assert(near(w.queries[3].total_ms, 0.036 + 0.010 + 0.029 + 0.005));
    ck_assert(near(w.queries[3].weight, w.queries[3].total_ms));
    borch_workload_release(&w);
}
END_TEST

START_TEST(postgres_log_other_prefix_and_log_statement)
{
    borch_workload w = {0};
    parse_ok(&w,
             "2026-11-26 10:34:03 UTC [5432]: user=app,db=shop,app=psql,client=10.0.0.7 LOG:  "
             "statement: SELECT * FROM orders WHERE id = 5\n"
             "2026-11-26 10:34:04 UTC [5432]: user=app,db=shop,app=psql,client=10.0.0.7 LOG:  "
             "duration: 1.250 ms\n"
             "2026-11-26 10:34:05 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 LOG:  "
             "execute S_1: SELECT * FROM orders\n"
             "\tWHERE customer_id = $1 AND status = $2\n"
             "2026-11-26 10:34:06 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 LOG:  "
             "duration: 10.5 ms  statement: BEGIN; SELECT * FROM orders WHERE id = 6; COMMIT\n"
             "2026-11-26 10:34:07 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 LOG:  "
             "duration: 2.000 ms  execute <unnamed>: DELETE FROM orders WHERE note = $1\n"
             "2026-11-26 10:34:07 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 DETAIL:  "
             "parameters: $1 = 'a ''$1'' b\n"
             "\tsecond line'\n"
             "2026-11-26 10:34:08 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 LOG:  "
             "duration: 0.500 ms  execute S_2/C_3: SELECT * FROM t WHERE a = $1 AND b = $2"
             " AND c = $10 AND d = $3\n"
             "2026-11-26 10:34:08 UTC [5433]: user=app,db=shop,app=x,client=10.0.0.7 DETAIL:  "
             "parameters: $1 = '5', $2 = NULL, $3 = 'x, $4 = y'\n",
             "pg.log");
    ck_assert_str_eq(w.format, "postgres-log");
    ck_assert_int_eq(w.nqueries, 4);
    ck_assert_str_eq(w.queries[3].sql,
                     "SELECT * FROM t WHERE a = '5' AND b = NULL AND c = $10 AND d = 'x, $4 = y'");
    /* unknown time first, then 10.5 ms: the known time is the weight */
    ck_assert_str_eq(w.queries[0].sql, "SELECT * FROM orders WHERE id = 5");
    ck_assert_int_eq(w.queries[0].line, 1);
    ck_assert(near(w.queries[0].calls, 2));
    ck_assert(near(w.queries[0].total_ms, 10.5));
    ck_assert(near(w.queries[0].weight, 10.5));
    /* no DETAIL: the parameters stay */
    ck_assert_str_eq(w.queries[1].sql,
                     "SELECT * FROM orders\nWHERE customer_id = $1 AND status = $2");
    ck_assert_int_eq(w.queries[1].line, 3);
    ck_assert(near(w.queries[1].weight, 1));
    ck_assert_str_eq(w.queries[2].sql, "DELETE FROM orders WHERE note = 'a ''$1'' b\nsecond line'");
    ck_assert_int_eq(w.queries[2].line, 6);
    ck_assert(near(w.queries[2].total_ms, 2.0));
    borch_workload_release(&w);
}
END_TEST

START_TEST(postgres_log_unterminated_statement_warns_and_goes_on)
{
    borch_workload w = {0};
    parse_ok(
        &w,
        "2026-11-26 10:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT 'x FROM t\n"
        "2026-11-26 10:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT 1 FROM t\n",
        "p.log");
    ck_assert_int_eq(w.nqueries, 1);
    ck_assert_int_eq(w.queries[0].line, 2);
    ck_assert_int_eq(w.warnings.count, 1);
    ck_assert_str_eq(w.warnings.items[0], "p.log:1: unterminated string");
    borch_workload_release(&w);
}
END_TEST

/* A PostgreSQL log of n lines of 20 distinct queries; malloc'd. */
static char *big_pg_log(int n)
{
    borch_buf b;
    borch_buf_init(&b);
    for (int i = 0; i < n; i++)
        borch_buf_printf(&b,
                         "2026-11-26 10:34:03.%03d UTC [%d] LOG:  duration: 0.%03d ms  statement: "
                         "SELECT id, email FROM t%d WHERE id = %d AND name = 'n%d'\n",
                         i % 1000, 4000 + i % 50, i % 1000, i % 20, i, i);
    char *s = borch_buf_detach(&b);
    borch_buf_release(&b);
    return s;
}

START_TEST(postgres_log_of_100k_lines_reads_fast)
{
    char *text = big_pg_log(100000);
    borch_workload w = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    parse_ok(&w, text, "big.log");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_int_eq(w.nqueries, 20);
    ck_assert(near(w.queries[0].calls, 5000));
    /* under a second without sanitizers; ASan makes it a few times slower */
    ck_assert_msg(s < 3.0, "100k log lines took %.2f s", s);
    borch_workload_release(&w);
    free(text);
}
END_TEST

/* ---- MySQL / MariaDB slow log ---- */

START_TEST(mariadb_slow_log_from_the_server)
{
    borch_workload w = {0};
    borch_error e = {0};
    ck_assert_int_eq(borch_workload_read_file(&w, FIXTURES "mariadb-slow.log", &e), 0);
    ck_assert_str_eq(w.format, "mysql-slow-log");
    ck_assert_int_eq(w.warnings.count, 0);
    ck_assert_int_eq(w.nqueries, 5);
    ck_assert_str_eq(w.queries[0].sql, "select * from t1 where a = 1");
    ck_assert_int_eq(w.queries[0].line, 11);
    ck_assert(near(w.queries[0].total_ms, 0.307));
    ck_assert(near(w.queries[0].weight, 0.307));
    ck_assert_str_eq(w.queries[1].sql,
                     "select id,\n  a from t1\n where id in (1, 2) and a <> 'it''s; not'");
    ck_assert_int_eq(w.queries[1].line, 17);
    ck_assert(near(w.queries[1].total_ms, 0.128));
    ck_assert_str_eq(w.queries[2].sql, "update t1 set a = 3 where id = 2");
    ck_assert_int_eq(w.queries[2].line, 25);
    ck_assert_str_eq(w.queries[3].sql, "SELECT DATABASE()");
    ck_assert_str_eq(w.queries[4].sql, "select count(*) from borch_test.t1 where a > 0");
    ck_assert_int_eq(w.queries[4].line, 38);
    ck_assert(near(w.queries[4].total_ms, 0.064));
    borch_workload_release(&w);
}
END_TEST

START_TEST(mysql8_slow_log_with_backslash_escapes)
{
    borch_workload w = {0};
    parse_ok(&w,
             "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
             "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
             "Time                 Id Command    Argument\n"
             "# Time: 2024-03-01T10:15:02.123456Z\n"
             "# User@Host: app[app] @ localhost []  Id:     8\n"
             "# Query_time: 0.250000  Lock_time: 0.000010 Rows_sent: 1  Rows_examined: 100000\n"
             "use shop;\n"
             "SET timestamp=1709288102;\n"
             "SELECT * FROM orders WHERE note = 'it\\'s; \"here\"' AND customer_id = 42;\n"
             "# Time: 2024-03-01T10:15:03.000000Z\n"
             "# User@Host: app[app] @ localhost []  Id:     8\n"
             "# Query_time: 1.500000  Lock_time: 0.000010 Rows_sent: 1  Rows_examined: 100000\n"
             "SET timestamp=1709288103;\n"
             "SELECT * FROM orders WHERE note = \"x\" AND customer_id = 7;\n"
             "# Time: 2024-03-01T10:15:04.000000Z\n"
             "# User@Host: app[app] @ localhost []  Id:     8\n"
             "# Query_time: 0.100000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0\n"
             "SET timestamp=1709288104;\n"
             "INSERT INTO orders (note) VALUES ('x');\n",
             "slow.log");
    ck_assert_str_eq(w.format, "mysql-slow-log");
    ck_assert_int_eq(w.nqueries, 1);
    ck_assert_int_eq(w.queries[0].line, 9);
    ck_assert(near(w.queries[0].calls, 2));
    ck_assert(near(w.queries[0].total_ms, 1750));
    ck_assert(near(w.queries[0].weight, 1750));
    ck_assert_str_eq(w.queries[0].fingerprint,
                     "select * from orders where note = ? and customer_id = ?");
    borch_workload_release(&w);
}
END_TEST

/* ---- adding from server statistics, bad files ---- */

START_TEST(add_merges_and_weighs)
{
    borch_workload w = {0};
    borch_workload_add(&w, "SELECT * FROM t WHERE a = $1", NULL, 0, 10, 50.0);
    borch_workload_add(&w, "select * from t where a = 7", "x.sql", 3, 5, -1);
    borch_workload_add(&w, "SELECT * FROM t WHERE b = ?", NULL, 0, 3, -1);
    ck_assert_int_eq(w.nqueries, 2);
    ck_assert_str_eq(w.queries[0].sql, "SELECT * FROM t WHERE a = $1");
    ck_assert_ptr_null(w.queries[0].file);
    ck_assert(near(w.queries[0].calls, 15));
    ck_assert(near(w.queries[0].total_ms, 50));
    ck_assert(near(w.queries[0].weight, 50));
    ck_assert(near(w.queries[1].weight, 3));
    ck_assert(near(w.queries[1].total_ms, 0));
    borch_workload_release(&w);
    ck_assert_int_eq(w.nqueries, 0);
}
END_TEST

START_TEST(missing_and_binary_files_are_errors)
{
    borch_workload w = {0};
    borch_error e = {0};
    ck_assert_int_lt(borch_workload_read_file(&w, FIXTURES "no-such.sql", &e), 0);
    ck_assert_ptr_nonnull(strstr(e.message, "no-such.sql"));
    borch_error_clear(&e);

    char path[] = "/tmp/borch-wl-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    fwrite("SELECT\0\1\2", 1, 9, f);
    fclose(f);
    ck_assert_int_eq(borch_workload_read_file(&w, path, &e), BORCH_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.message, "not a text file"));
    remove(path);
    borch_error_clear(&e);
    ck_assert_int_eq(w.nqueries, 0);
    borch_workload_release(&w);
}
END_TEST

START_TEST(sql_that_only_mentions_log_words_is_sql)
{
    borch_workload w = {0};
    parse_ok(&w, "SELECT 'LOG:  duration: 1 ms' FROM t;\n-- # Time: x\nSELECT 2 FROM t;\n",
             "s.sql");
    ck_assert_str_eq(w.format, "sql");
    ck_assert_int_eq(w.nqueries, 1); /* both are select ? from t */
    ck_assert(near(w.queries[0].calls, 2));
    borch_workload_release(&w);
}
END_TEST

Suite *suite_workload(void)
{
    Suite *s = suite_create("workload");
    TCase *tc = tcase_create("workload");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, sql_file_keeps_queries_with_their_lines);
    tcase_add_test(tc, sql_file_merges_queries_that_differ_in_literals);
    tcase_add_test(tc, unterminated_string_warns_with_file_and_line);
    tcase_add_test(tc, statement_that_is_no_sql_is_reported);
    tcase_add_test(tc, unterminated_comment_identifier_and_dollar_quote_warn);
    tcase_add_test(tc, fingerprints_fold_literals_case_space_and_in_lists);
    tcase_add_test(tc, fingerprint_keeps_unterminated_rest);
    tcase_add_test(tc, postgres_log_durations_multiline_and_parameters);
    tcase_add_test(tc, postgres_log_other_prefix_and_log_statement);
    tcase_add_test(tc, postgres_log_unterminated_statement_warns_and_goes_on);
    tcase_add_test(tc, postgres_log_of_100k_lines_reads_fast);
    tcase_add_test(tc, mariadb_slow_log_from_the_server);
    tcase_add_test(tc, mysql8_slow_log_with_backslash_escapes);
    tcase_add_test(tc, add_merges_and_weighs);
    tcase_add_test(tc, missing_and_binary_files_are_errors);
    tcase_add_test(tc, sql_that_only_mentions_log_words_is_sql);
    suite_add_tcase(s, tc);
    return s;
}
