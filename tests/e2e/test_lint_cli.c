/*
 * test_lint_cli.c - end-to-end: `lint` over the pending migrations (or all
 * with --all) in a throwaway database, as text, JSON or JUnit, with the
 * SPEC's exit codes; the target is only read, never written.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/harness.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *dir;

static void setup(void)
{
    dir = make_temp_dir("lintcli");
    write_text(dir, "borch.yaml", "environments:\n  dev:\n    url: sqlite:app.db\n");
}

static void teardown(void)
{
    rm_rf(dir);
    free(dir);
}

static void expect(run_result *r, int code)
{
    ck_assert_msg(r->status == code, "exit %d, wanted %d\nstdout:\n%s\nstderr:\n%s", r->status,
                  code, r->out, r->err);
}

static int target_exists(void)
{
    char p[600];
    snprintf(p, sizeof(p), "%s/app.db", dir);
    return access(p, F_OK) == 0;
}

static void write_users(void)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n"
               "-- +borch down\nDROP TABLE users;\n");
}

static void write_drop(void)
{
    write_text(dir, "migrations/2_drop_email.sql",
               "-- +borch up\nALTER TABLE users DROP COLUMN email;\n-- +borch down\n"
               "ALTER TABLE users ADD COLUMN email VARCHAR(200);\n");
}

static size_t count_str(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

START_TEST(sample_app_is_clean_and_target_is_not_created)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "8 migrations linted: 0 errors"));
    run_result_release(&r);
    ck_assert_msg(!target_exists(), "lint created the target database");
}
END_TEST

START_TEST(error_finding_exits_1_with_file_line_rule_and_fix)
{
    write_users();
    write_drop();
    run_result r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "migrations/2_drop_email.sql:2: ERROR BD001 drops column "
                                "users.email \xe2\x80\x94 "),
                  "stdout:\n%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "2 migrations linted: 1 error,"));
    run_result_release(&r);
}
END_TEST

START_TEST(ignore_directive_turns_exit_1_into_0_and_reports_reason)
{
    write_users();
    write_text(dir, "migrations/2_drop_email.sql",
               "-- +borch lint:ignore BD001 emails moved to the contacts service in 2025\n"
               "-- +borch up\nALTER TABLE users DROP COLUMN email;\n-- +borch down\n"
               "ALTER TABLE users ADD COLUMN email VARCHAR(200);\n");
    run_result r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "ignored BD001 drops column users.email (reason: emails moved to "
                                "the contacts service in 2025)"),
                  "stdout:\n%s", r.out);
    run_result_release(&r);
}
END_TEST

START_TEST(json_format_and_global_json_give_one_document)
{
    write_users();
    write_drop();
    const char *const *argvs[] = {ARGS("lint", "--format", "json"), ARGS("--json", "lint")};
    for (size_t k = 0; k < 2; k++) {
        run_result r = run_borch(dir, argvs[k], NULL);
        expect(&r, 1);
        json_error_t je;
        json_t *doc = json_loads(r.out, 0, &je);
        ck_assert_msg(doc, "not JSON (%s):\n%s", je.text, r.out);
        ck_assert(json_is_false(json_object_get(doc, "ok")));
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"),
                                                            "errors")),
                         1);
        json_t *f = json_array_get(json_object_get(doc, "findings"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(f, "rule")), "BD001");
        ck_assert_str_eq(json_string_value(json_object_get(f, "severity")), "error");
        ck_assert_str_eq(json_string_value(json_object_get(f, "version")), "2");
        ck_assert_int_eq(json_integer_value(json_object_get(f, "line")), 2);
        ck_assert_ptr_nonnull(json_string_value(json_object_get(f, "fix")));
        json_decref(doc);
        run_result_release(&r);
    }
}
END_TEST

START_TEST(junit_to_stdout_and_to_a_file)
{
    write_users();
    write_drop();
    run_result r = run_borch(dir, ARGS("lint", "--format", "junit", "--junit", "lint.xml"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "<testsuite name=\"lint\" tests=\"2\" failures=\"1\">"));
    ck_assert_int_eq((int)count_str(r.out, "<testcase "), 2);
    ck_assert_ptr_nonnull(strstr(r.out, "<failure message=\"lint errors\">"));
    char *xml = read_text(dir, "lint.xml");
    ck_assert_ptr_nonnull(xml);
    ck_assert_str_eq(xml, r.out);
    free(xml);
    run_result_release(&r);
    /* text on stdout, JUnit in the file */
    r = run_borch(dir, ARGS("lint", "--junit", "only.xml"), NULL);
    expect(&r, 1);
    ck_assert_ptr_null(strstr(r.out, "<testsuite"));
    xml = read_text(dir, "only.xml");
    ck_assert_ptr_nonnull(xml);
    ck_assert_ptr_nonnull(strstr(xml, "BD001"));
    free(xml);
    run_result_release(&r);
}
END_TEST

START_TEST(pending_by_default_all_with_flag_and_target_untouched)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200), "
               "old TEXT);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_drop();
    char path[700];
    snprintf(path, sizeof(path), "%s/app.db", dir);
    char *before = sqlite_scalar(path, "SELECT group_concat(sql, ';') FROM sqlite_master");
    /* 1 has no down (BD003) but is applied: only 2 is linted */
    r = run_borch(dir, ARGS("--json", "lint"), NULL);
    expect(&r, 1);
    json_t *doc = json_loads(r.out, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    json_t *linted = json_object_get(doc, "linted");
    ck_assert_int_eq((int)json_array_size(linted), 1);
    ck_assert_str_eq(json_string_value(json_array_get(linted, 0)), "2");
    ck_assert_ptr_null(strstr(r.out, "BD003"));
    json_decref(doc);
    run_result_release(&r);
    r = run_borch(dir, ARGS("lint", "--all"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "migrations/1_users.sql:1: ERROR BD003"));
    ck_assert_ptr_nonnull(strstr(r.out, "BD001 drops column users.email"));
    run_result_release(&r);
    char *after = sqlite_scalar(path, "SELECT group_concat(sql, ';') FROM sqlite_master");
    ck_assert_str_eq(before, after);
    char *applied = sqlite_scalar(path, "SELECT count(*) FROM borch_schema_history");
    ck_assert_str_eq(applied, "1");
    free(before);
    free(after);
    free(applied);
}
END_TEST

START_TEST(nothing_pending_is_success)
{
    write_users();
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "0 migrations linted"));
    run_result_release(&r);
}
END_TEST

START_TEST(bad_input_exits_2)
{
    write_users();
    run_result r = run_borch(dir, ARGS("lint", "--format", "yaml"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown format 'yaml'"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("lint", "extra"), NULL);
    expect(&r, 2);
    run_result_release(&r);
    r = run_borch(dir, ARGS("lint", "--nope"), NULL);
    expect(&r, 2);
    run_result_release(&r);
    write_text(dir, "migrations/2_broken.sql", "CREATE TABLE x (a INTEGER);\n");
    r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "2_broken.sql"));
    run_result_release(&r);
    ck_assert_msg(!target_exists(), "bad input created the target");
}
END_TEST

START_TEST(up_that_fails_exits_1_naming_file_and_line)
{
    write_users();
    write_text(dir, "migrations/2_bad.sql", "-- +borch up\n\nCREATE TABEL x (a INTEGER);\n");
    run_result r = run_borch(dir, ARGS("lint"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "2_bad.sql:3"), "stderr:\n%s", r.err);
    run_result_release(&r);
}
END_TEST

/* The PostgreSQL server URL, or NULL after a notice (a failure under CI=true). */
static const char *pg_url(void)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (url && *url)
        return url;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        ck_abort_msg("no PostgreSQL test server: set BORCH_TEST_PG_URL");
    fprintf(stderr, "lint_cli: BORCH_TEST_PG_URL not set, PostgreSQL test skipped\n");
    return NULL;
}

START_TEST(postgres_pending_and_missing_database)
{
    const char *server = pg_url();
    if (!server)
        return;
    char *url = db_create_scratch(server);
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id serial PRIMARY KEY, email text);\n");
    run_result r = run_borch(dir, ARGS("-u", url, "migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/2_idx.sql",
               "-- +borch up\nCREATE INDEX users_email ON users (email);\n"
               "-- +borch down\nDROP INDEX users_email;\n");
    /* only 2 is pending: a warning, exit 0 */
    r = run_borch(dir, ARGS("-u", url, "lint"), NULL);
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "migrations/2_idx.sql:2: WARNING BD005 creates index users_email"),
                  "stdout:\n%s", r.out);
    ck_assert_ptr_null(strstr(r.out, "BD003"));
    run_result_release(&r);
    /* with --all, 1's missing down is an error */
    r = run_borch(dir, ARGS("-u", url, "lint", "--all"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "ERROR BD003"));
    run_result_release(&r);
    ck_assert_int_eq((int)db_count(url, "SELECT count(*) FROM borch_schema_history"), 1);
    ck_assert_int_eq((int)db_count(url, "SELECT count(*) FROM pg_indexes WHERE indexname = "
                                        "'users_email'"),
                     0);
    /* a database that does not exist yet: everything is pending */
    char missing[1200];
    snprintf(missing, sizeof(missing), "%s", url);
    char *slash = strrchr(missing, '/'), *q = strchr(url + (slash - missing), '?');
    snprintf(slash, sizeof(missing) - (size_t)(slash - missing), "/borch_lint_nosuch%s", q ? q : "");
    r = run_borch(dir, ARGS("-u", missing, "lint"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "2 migrations linted"));
    run_result_release(&r);
    db_drop_scratch(server, url);
    free(url);
}
END_TEST

Suite *suite_lint_cli(void)
{
    Suite *s = suite_create("lint_cli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sample_app_is_clean_and_target_is_not_created);
    tcase_add_test(tc, error_finding_exits_1_with_file_line_rule_and_fix);
    tcase_add_test(tc, ignore_directive_turns_exit_1_into_0_and_reports_reason);
    tcase_add_test(tc, json_format_and_global_json_give_one_document);
    tcase_add_test(tc, junit_to_stdout_and_to_a_file);
    tcase_add_test(tc, pending_by_default_all_with_flag_and_target_untouched);
    tcase_add_test(tc, nothing_pending_is_success);
    tcase_add_test(tc, bad_input_exits_2);
    tcase_add_test(tc, up_that_fails_exits_1_naming_file_and_line);
    tcase_add_test(tc, postgres_pending_and_missing_database);
    suite_add_tcase(s, tc);
    return s;
}
