/*
 * test_advise_usage.c - advise-indexes from the outside on small cases: bad
 * usage and bad input exit 2 with one clear line and change nothing; a
 * missing HypoPG is named with how to install it; --from-stats where there
 * are no statistics; the text table, one JSON document, and the migration
 * --create writes (SQLite: with ANALYZE), which then applies.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support/harness.h"

/* A SQLite project: t(id, a, b, c) with 3,000 rows and no index but the key. */
static char *sqlite_project(void)
{
    char *dir = make_temp_dir("advise-usage");
    write_text(dir, "borch.yaml",
               "migrations: migrations\naudit: audit.jsonl\nenvironments:\n  dev:\n"
               "    url: sqlite:app.db\n");
    write_text(dir, "migrations/001_t.sql",
               "-- +borch up\n"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b TEXT NOT NULL, c REAL);\n"
               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)\n"
               "INSERT INTO t SELECT i, i % 300, 'b' || (i % 7), i * 1.5 FROM n;\n"
               "-- +borch down\nDROP TABLE t;\n");
    const char *up[] = {"migrate", "up", NULL};
    run_result r = run_borch(dir, up, NULL);
    ck_assert_msg(r.status == 0, "migrate up: %s", r.err);
    run_result_release(&r);
    write_text(dir, "workload.sql",
               "-- lookups by a\nSELECT id, b FROM t WHERE a = ?;\n"
               "SELECT * FROM t WHERE a = 5 AND b = 'b3';\n"
               "SELECT count(*) FROM t WHERE a = 7;\n");
    return dir;
}

static long file_size(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

START_TEST(usage_errors_exit_2_and_touch_nothing)
{
    char *dir = sqlite_project();
    long before = file_size(dir, "app.db");
    const char *none[] = {"advise-indexes", NULL};
    run_result r = run_borch(dir, none, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--workload FILE or --from-stats"), "%s", r.err);
    run_result_release(&r);

    const char *gain[] = {"advise-indexes", "--workload", "workload.sql", "--min-gain", "abc", NULL};
    r = run_borch(dir, gain, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--min-gain"), "%s", r.err);
    run_result_release(&r);

    const char *missing[] = {"advise-indexes", "--workload", "nope.sql", NULL};
    r = run_borch(dir, missing, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "nope.sql"), "the message names the file: %s", r.err);
    run_result_release(&r);

    /* SQLite keeps no statement statistics: a clear refusal, exit 2. */
    const char *stats[] = {"advise-indexes", "--from-stats", NULL};
    r = run_borch(dir, stats, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "not supported by the sqlite driver"), "%s", r.err);
    run_result_release(&r);

    ck_assert_int_eq(file_size(dir, "app.db"), before);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(text_json_and_create_on_sqlite)
{
    char *dir = sqlite_project();
    const char *text[] = {"advise-indexes", "--workload", "workload.sql", NULL};
    run_result r = run_borch(dir, text, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "CREATE INDEX t_a_"), "a suggestion on t(a...): %s", r.out);
    ck_assert_msg(strstr(r.out, "workload.sql:2"), "positions in the table: %s", r.out);
    ck_assert_msg(strstr(r.out, "workload estimated cost"), "%s", r.out);
    run_result_release(&r);

    const char *json[] = {"--json", "advise-indexes", "--workload", "workload.sql", NULL};
    r = run_borch(dir, json, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(r.out[0] == '{' && strstr(r.out, "\"suggestions\"") &&
                      strstr(r.out, "\"total_gain_pct\""),
                  "one JSON document: %s", r.out);
    /* nothing but the document on stdout */
    const char *end = strrchr(r.out, '}');
    ck_assert(end && end[1] == '\n' && end[2] == '\0');
    run_result_release(&r);

    const char *create[] = {"advise-indexes", "--workload", "workload.sql", "--create",
                            "add indexes", NULL};
    r = run_borch(dir, create, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "_add_indexes.sql"), "%s", r.out);
    run_result_release(&r);
    const char *status[] = {"status", NULL};
    r = run_borch(dir, status, NULL);
    ck_assert_msg(strstr(r.out, "add_indexes"), "the new migration is pending: %s", r.out);
    run_result_release(&r);
    const char *up[] = {"migrate", "up", NULL};
    r = run_borch(dir, up, NULL);
    ck_assert_msg(r.status == 0, "the written migration applies: %s", r.err);
    run_result_release(&r);
    char db[1024];
    snprintf(db, sizeof(db), "%s/app.db", dir);
    char *n = sqlite_scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                "tbl_name = 't' AND name LIKE 't_a%'");
    ck_assert_str_eq(n, "1");
    free(n);
    /* the migration ran ANALYZE, so the new index has statistics */
    n = sqlite_scalar(db, "SELECT count(*) FROM sqlite_stat1 WHERE idx LIKE 't_a%'");
    ck_assert_str_eq(n, "1");
    free(n);
    /* and now nothing is left to suggest */
    r = run_borch(dir, json, NULL);
    ck_assert_msg(r.status == 0 && strstr(r.out, "\"suggestions\": []"), "%s", r.out);
    run_result_release(&r);
    /* the advise runs are in the audit file */
    char *audit = read_text(dir, "audit.jsonl");
    ck_assert(audit && strstr(audit, "\"action\":\"advise\""));
    free(audit);
    rm_rf(dir);
    free(dir);
}
END_TEST

/* Counts the files in dir/migrations whose name contains part. */
static int migrations_named(const char *dir, const char *part)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "ls '%s/migrations' | grep -c -- '%s'", dir, part);
    FILE *f = popen(cmd, "r");
    int n = 0;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = 0;
        pclose(f);
    }
    return n;
}

START_TEST(odd_input_found_in_review)
{
    char *dir = sqlite_project();
    /* NaN is no percentage */
    const char *nan[] = {"advise-indexes", "--workload", "workload.sql", "--min-gain", "nan", NULL};
    run_result r = run_borch(dir, nan, NULL);
    ck_assert_int_eq(r.status, 2);
    run_result_release(&r);

    /* Latin-1 bytes and a byte-order mark: every statement stays in the JSON */
    write_text(dir, "latin.sql",
               "\xef\xbb\xbfSELECT id FROM t WHERE b = 'caf\xe9';\nSELECT id FROM t WHERE a = 3;\n");
    const char *latin[] = {"--json", "advise-indexes", "--workload", "latin.sql", NULL};
    r = run_borch(dir, latin, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "latin.sql:1") && strstr(r.out, "latin.sql:2"),
                  "both statements listed: %s", r.out);
    ck_assert_msg(!strstr(r.out, "syntax error"), "the BOM is not SQL: %s", r.out);
    run_result_release(&r);

    /* --strict refuses before --create writes anything, and the audit says so */
    write_text(dir, "bad.sql", "SELECT id FROM nope WHERE a = 1;\nSELECT id FROM t WHERE a = 4;\n");
    const char *strict[] = {"advise-indexes", "--workload", "bad.sql", "--strict", "--create",
                            "strict_try", NULL};
    r = run_borch(dir, strict, NULL);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "bad.sql:1") && strstr(r.err, "(--strict)"), "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(migrations_named(dir, "strict_try"), 0);
    char *audit = read_text(dir, "audit.jsonl");
    ck_assert(audit && strstr(audit, "\"outcome\":\"failed\""));
    free(audit);

    /* nothing to plan: said plainly */
    write_text(dir, "inserts.sql", "INSERT INTO t VALUES (9999, 1, 'x', 1.0);\n");
    const char *ins[] = {"advise-indexes", "--workload", "inserts.sql", NULL};
    r = run_borch(dir, ins, NULL);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "nothing to advise on"), "%s", r.out);
    run_result_release(&r);

    /* a suggested name never takes one a table or view already has */
    char db[1024];
    snprintf(db, sizeof(db), "%s/app.db", dir);
    write_text(dir, "view.sql", "CREATE VIEW t_a_b_idx AS SELECT 1;\n");
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' < '%s/view.sql'", db, dir);
    ck_assert_int_eq(system(cmd), 0);
    const char *json[] = {"--json", "advise-indexes", "--workload", "workload.sql", NULL};
    r = run_borch(dir, json, NULL);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "\"name\": \"t_a_b_idx2\""), "%s", r.out);
    run_result_release(&r);
    rm_rf(dir);
    free(dir);
}
END_TEST

START_TEST(postgres_without_hypopg_says_how_to_install_it)
{
    const char *server = getenv("BORCH_TEST_PG_URL");
    if (!server || !*server) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "BORCH_TEST_PG_URL is not set");
        return;
    }
    /* template0 has no extensions: a database like a user's without HypoPG */
    db_exec(server, "DROP DATABASE IF EXISTS borch_advise_nohypo");
    db_exec(server, "CREATE DATABASE borch_advise_nohypo TEMPLATE template0");
    char url[1200];
    const char *slash = strrchr(server, '/');
    const char *query = strchr(slash, '?');
    snprintf(url, sizeof(url), "%.*s/borch_advise_nohypo%s", (int)(slash - server), server,
             query ? query : "");
    db_exec(url, "CREATE TABLE t (id int PRIMARY KEY, a int)");
    char *dir = make_temp_dir("advise-nohypo");
    write_text(dir, "w.sql", "SELECT * FROM t WHERE a = 1;\n");
    const char *argv[] = {"-u", url, "advise-indexes", "--workload", "w.sql", NULL};
    run_result r = run_borch(dir, argv, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "HypoPG") && strstr(r.err, "CREATE EXTENSION hypopg") &&
                      strstr(r.err, "postgresql-"),
                  "%s", r.err);
    ck_assert_msg(!strstr(r.err, "borch-test-pw"), "no password in messages");
    char *ext = db_scalar(url, "SELECT count(*)::text FROM pg_extension WHERE extname = 'hypopg'");
    ck_assert_str_eq(ext, "0");
    free(ext);
    run_result_release(&r);
    db_exec(server, "DROP DATABASE borch_advise_nohypo");
    rm_rf(dir);
    free(dir);
}
END_TEST

Suite *suite_advise_usage(void)
{
    Suite *s = suite_create("advise_usage");
    TCase *tc = tcase_create("usage");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, usage_errors_exit_2_and_touch_nothing);
    tcase_add_test(tc, text_json_and_create_on_sqlite);
    tcase_add_test(tc, odd_input_found_in_review);
    tcase_add_test(tc, postgres_without_hypopg_says_how_to_install_it);
    suite_add_tcase(s, tc);
    return s;
}
