/*
 * test_pipeline_cli.c - end-to-end: `pipeline` validates, lints, rehearses,
 * plans, applies, records and checks drift, stopping at the first failing
 * step; a failed lint or rehearsal applies nothing; --plan-only leaves the
 * target exactly as it was; drift is named; --junit and --report parse.
 * On SQLite, and once each on PostgreSQL and MariaDB.
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
    dir = make_temp_dir("pipeline");
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

static char *db_path(void)
{
    static char p[600];
    snprintf(p, sizeof(p), "%s/app.db", dir);
    return p;
}

static int file_exists(const char *name)
{
    char p[600];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

/* The number of rows in the target's history, 0 when it has no history table. */
static long history_count(void)
{
    if (!file_exists("app.db"))
        return 0;
    char *has = sqlite_scalar(db_path(), "SELECT count(*) FROM sqlite_master WHERE "
                                         "name = 'borch_schema_history'");
    long n = 0;
    if (strcmp(has, "1") == 0) {
        char *c = sqlite_scalar(db_path(), "SELECT count(*) FROM borch_schema_history");
        n = atol(c);
        free(c);
    }
    free(has);
    return n;
}

/* The report's step object by name. */
static json_t *report_step(json_t *doc, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "steps"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0)
            return s;
    }
    ck_abort_msg("no step '%s' in the report", name);
    return NULL;
}

static const char *outcome(json_t *doc, const char *name)
{
    return json_string_value(json_object_get(report_step(doc, name), "outcome"));
}

static json_t *load_report(const char *name)
{
    char *text = read_text(dir, name);
    ck_assert_msg(text != NULL, "no report %s", name);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    ck_assert_msg(doc != NULL, "report is not JSON (%s): %s", je.text, text);
    free(text);
    return doc;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(clean_pipeline_applies_and_writes_reports)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("pipeline", "--junit", "j.xml", "--report", "r.json"), NULL);
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "[ok] validate") && strstr(r.out, "[ok] drift") &&
                      strstr(r.out, "pipeline passed"),
                  "%s", r.out);
    /* The plan step prints the up sections, as migrate up --dry-run. */
    ck_assert_ptr_nonnull(strstr(r.out, "-- 20260101000001_create_customers (up)"));
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 8);
    ck_assert(file_exists("models.json"));

    json_t *doc = load_report("r.json");
    ck_assert(json_is_true(json_object_get(doc, "ok")));
    ck_assert_uint_eq(json_array_size(json_object_get(doc, "steps")), 7);
    const char *names[] = {"validate", "lint", "rehearse", "plan", "apply", "record", "drift"};
    for (size_t i = 0; i < 7; i++) {
        json_t *s = json_array_get(json_object_get(doc, "steps"), i);
        ck_assert_str_eq(json_string_value(json_object_get(s, "name")), names[i]);
        ck_assert_str_eq(json_string_value(json_object_get(s, "outcome")), "ok");
        ck_assert(json_is_integer(json_object_get(s, "duration_ms")));
        ck_assert(json_is_array(json_object_get(s, "findings")));
    }
    ck_assert_uint_eq(json_array_size(json_object_get(report_step(doc, "rehearse"), "findings")), 8);
    ck_assert_uint_eq(json_array_size(json_object_get(report_step(doc, "apply"), "findings")), 8);
    json_decref(doc);

    char *xml = read_text(dir, "j.xml");
    ck_assert_ptr_nonnull(xml);
    ck_assert_int_eq(count(xml, "<testsuite "), 7);
    ck_assert_int_eq(count(xml, "</testsuite>"), 7);
    ck_assert_int_eq(count(xml, "<failure"), 0);
    ck_assert_ptr_nonnull(strstr(xml, "name=\"rehearse\" tests=\"8\""));
    free(xml);

    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_ptr_nonnull(strstr(audit, "\"action\":\"pipeline\""));
    free(audit);
    char *rows = sqlite_scalar(db_path(), "SELECT count(*) FROM borch_audit WHERE action = 'pipeline'");
    ck_assert_str_eq(rows, "1");
    free(rows);

    /* A second run has nothing to do and still passes. */
    r = run_borch(dir, ARGS("pipeline"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "[skip] lint"));
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 8);
}
END_TEST

START_TEST(lint_error_stops_the_pipeline_and_nothing_is_applied)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
               "-- +borch down\nDROP TABLE users;\n");
    run_result r = run_borch(dir, ARGS("pipeline"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/2_drop_users.sql",
               "-- +borch up\nDROP TABLE users;\n"
               "-- +borch down\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
    r = run_borch(dir, ARGS("pipeline", "--report", "r.json", "--junit", "j.xml"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "[FAIL] lint") && strstr(r.out, "2_drop_users"), "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 1);
    char *t = sqlite_scalar(db_path(), "SELECT count(*) FROM sqlite_master WHERE name = 'users'");
    ck_assert_str_eq(t, "1");
    free(t);
    json_t *doc = load_report("r.json");
    ck_assert(json_is_false(json_object_get(doc, "ok")));
    ck_assert_str_eq(outcome(doc, "validate"), "ok");
    ck_assert_str_eq(outcome(doc, "lint"), "failed");
    ck_assert_str_eq(outcome(doc, "rehearse"), "skipped");
    ck_assert_str_eq(outcome(doc, "apply"), "skipped");
    json_t *f = json_array_get(json_object_get(report_step(doc, "lint"), "findings"), 0);
    ck_assert_ptr_nonnull(f);
    ck_assert(json_is_string(json_object_get(f, "rule")));
    json_decref(doc);
    char *xml = read_text(dir, "j.xml");
    ck_assert_int_eq(count(xml, "<testsuite "), 7);
    ck_assert_int_ge(count(xml, "<failure"), 1);
    free(xml);
}
END_TEST

START_TEST(down_that_leaves_differences_stops_at_rehearse)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
               "-- +borch down\nDROP TABLE users;\n");
    /* Lint would flag the down too (its own rehearsal); silenced here so
     * that the rehearse step is the one that stops the pipeline. */
    write_text(dir, "migrations/2_posts.sql",
               "-- +borch lint:ignore BD004 the rehearse step judges this down\n"
               "-- +borch up\nCREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n"
               "-- +borch down\nDROP INDEX IF EXISTS nothing_here;\n");
    run_result r = run_borch(dir, ARGS("pipeline", "--with-data", "--report", "r.json"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "[FAIL] rehearse") && strstr(r.out, "table posts still present"),
                  "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 0);
    ck_assert(!file_exists("models.json"));
    char *t = sqlite_scalar(db_path(), "SELECT count(*) FROM sqlite_master");
    ck_assert_str_eq(t, "0");
    free(t);
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "rehearse"), "failed");
    ck_assert_str_eq(outcome(doc, "apply"), "skipped");
    ck_assert_str_eq(outcome(doc, "drift"), "skipped");
    json_decref(doc);
}
END_TEST

/* Everything of the target a run could change, as one string. */
static char *target_state(void)
{
    char *schema = sqlite_scalar(db_path(), "SELECT group_concat(type || ' ' || name || ' ' || "
                                            "coalesce(sql, ''), char(10)) FROM "
                                            "(SELECT * FROM sqlite_master ORDER BY name)");
    char *hist = sqlite_scalar(db_path(), "SELECT group_concat(version || ' ' || checksum || ' ' "
                                          "|| applied_at, char(10)) FROM borch_schema_history");
    char *audit = sqlite_scalar(db_path(), "SELECT count(*) FROM borch_audit");
    size_t n = strlen(schema) + strlen(hist) + strlen(audit) + 4;
    char *s = malloc(n);
    snprintf(s, n, "%s\n%s\n%s", schema, hist, audit);
    free(schema);
    free(hist);
    free(audit);
    return s;
}

START_TEST(plan_only_leaves_the_target_as_it_was)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up", "--to", "20260101000003"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    char models[600];
    snprintf(models, sizeof(models), "%s/models.json", dir);
    unlink(models);
    char *before = target_state();
    char *audit_before = read_text(dir, ".borch/audit.jsonl");
    r = run_borch(dir, ARGS("pipeline", "--plan-only", "--report", "r.json"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "-- 20260101000004_create_order_items (up)"));
    ck_assert_ptr_null(strstr(r.out, "-- 20260101000003_create_orders (up)"));
    ck_assert_ptr_nonnull(strstr(r.out, "[skip] apply"));
    run_result_release(&r);
    char *after = target_state();
    ck_assert_str_eq(before, after);
    ck_assert(!file_exists("models.json"));
    /* The run is recorded, in the audit file only. */
    char *audit_after = read_text(dir, ".borch/audit.jsonl");
    ck_assert_uint_gt(strlen(audit_after), strlen(audit_before));
    ck_assert_ptr_nonnull(strstr(audit_after + strlen(audit_before), "\"action\":\"pipeline\""));
    json_t *doc = load_report("r.json");
    ck_assert(json_is_true(json_object_get(doc, "plan_only")));
    ck_assert_str_eq(outcome(doc, "rehearse"), "ok");
    ck_assert_str_eq(outcome(doc, "plan"), "ok");
    ck_assert_str_eq(outcome(doc, "apply"), "skipped");
    ck_assert_str_eq(outcome(doc, "record"), "skipped");
    ck_assert_str_eq(outcome(doc, "drift"), "ok");
    ck_assert_uint_eq(json_array_size(json_object_get(report_step(doc, "plan"), "findings")), 5);
    json_decref(doc);
    free(before);
    free(after);
    free(audit_before);
    free(audit_after);
}
END_TEST

START_TEST(drift_is_named_difference_by_difference)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("pipeline"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    free(sqlite_scalar(db_path(), "CREATE TABLE stray (id INTEGER)"));
    free(sqlite_scalar(db_path(), "CREATE INDEX products_price_idx ON products (price_cents)"));
    r = run_borch(dir, ARGS("pipeline", "--report", "r.json", "--junit", "j.xml"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "[FAIL] drift") &&
                      strstr(r.out, "table stray exists in the live schema") &&
                      strstr(r.out, "index products_price_idx exists in the live schema"),
                  "%s", r.out);
    run_result_release(&r);
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "drift"), "failed");
    ck_assert_uint_eq(json_array_size(json_object_get(report_step(doc, "drift"), "findings")), 2);
    json_decref(doc);
    char *xml = read_text(dir, "j.xml");
    ck_assert_int_eq(count(xml, "<failure"), 2);
    free(xml);
}
END_TEST

START_TEST(a_table_the_migrations_do_not_know_is_drift)
{
    /* Drift found on a target the pipeline has not migrated yet: the new
     * migrations are applied (they are fine), then drift names the table. */
    write_text(dir, "app.db", ""); /* an empty file is an empty SQLite database */
    free(sqlite_scalar(db_path(), "CREATE TABLE legacy (id INTEGER)"));
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
               "-- +borch down\nDROP TABLE users;\n");
    run_result r = run_borch(dir, ARGS("--json", "pipeline"), NULL);
    expect(&r, 1);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    ck_assert_str_eq(outcome(doc, "apply"), "ok");
    ck_assert_str_eq(outcome(doc, "drift"), "failed");
    json_t *f = json_array_get(json_object_get(report_step(doc, "drift"), "findings"), 0);
    ck_assert_msg(strstr(json_string_value(json_object_get(f, "message")), "table legacy") != NULL,
                  "%s", r.out);
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

START_TEST(changed_applied_file_fails_validate)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
               "-- +borch down\nDROP TABLE users;\n");
    run_result r = run_borch(dir, ARGS("pipeline"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, x TEXT);\n"
               "-- +borch down\nDROP TABLE users;\n");
    write_text(dir, "migrations/2_posts.sql",
               "-- +borch up\nCREATE TABLE posts (id INTEGER PRIMARY KEY);\n"
               "-- +borch down\nDROP TABLE posts;\n");
    r = run_borch(dir, ARGS("pipeline", "--report", "r.json"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "[FAIL] validate") && strstr(r.out, "1_users was changed"),
                  "%s", r.out);
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 1);
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "validate"), "failed");
    ck_assert_str_eq(outcome(doc, "lint"), "skipped");
    json_decref(doc);
}
END_TEST

START_TEST(folder_that_does_not_match_borch_sum_is_refused)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "hash"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/20260101000009_sneaky.sql",
               "-- +borch up\nCREATE TABLE sneaky (id INTEGER);\n-- +borch down\nDROP TABLE sneaky;\n");
    r = run_borch(dir, ARGS("pipeline", "--report", "r.json"), NULL);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "borch.sum") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert(!file_exists("app.db"));
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "validate"), "failed");
    json_decref(doc);
}
END_TEST

START_TEST(bad_usage_exits_2_and_touches_nothing)
{
    copy_sample_migrations(dir);
    const char *const *cases[] = {ARGS("pipeline", "--bogus"), ARGS("pipeline", "extra"),
                                  ARGS("pipeline", "--junit"), ARGS("pipeline", "--report", "")};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_result r = run_borch(dir, cases[i], NULL);
        expect(&r, 2);
        ck_assert_msg(strncmp(r.err, "borch-db: ", 10) == 0, "%s", r.err);
        run_result_release(&r);
    }
    ck_assert(!file_exists("app.db"));
    ck_assert(!file_exists(".borch/audit.jsonl"));
}
END_TEST

START_TEST(unreachable_target_exits_3)
{
    copy_sample_migrations(dir);
    write_text(dir, "borch.yaml", "connect_timeout: 2\nenvironments:\n  dev:\n"
                                  "    url: postgres://borch:secretpw@127.0.0.1:1/app\n");
    run_result r = run_borch(dir, ARGS("pipeline", "--report", "r.json"), NULL);
    expect(&r, 3);
    ck_assert_ptr_null(strstr(r.err, "secretpw"));
    run_result_release(&r);
    char *rep = read_text(dir, "r.json");
    ck_assert_ptr_nonnull(rep);
    ck_assert_ptr_null(strstr(rep, "secretpw"));
    free(rep);
}
END_TEST

START_TEST(plan_only_on_a_missing_sqlite_file_creates_nothing)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("pipeline", "--plan-only"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "8 migrations to apply"));
    run_result_release(&r);
    ck_assert(!file_exists("app.db"));
    ck_assert(!file_exists("app.db-borch.lock"));
    ck_assert(!file_exists("models.json"));
}
END_TEST

START_TEST(migration_that_fails_on_the_target_stops_at_apply)
{
    /* The rehearsal passes on an empty database; the target already has the table. */
    write_text(dir, "app.db", "");
    free(sqlite_scalar(db_path(), "CREATE TABLE users (x INTEGER)"));
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
               "-- +borch down\nDROP TABLE users;\n");
    run_result r = run_borch(dir, ARGS("pipeline", "--report", "r.json", "--junit", "j.xml"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "[FAIL] apply") && strstr(r.out, "1_users.sql:2:"), "%s", r.out);
    ck_assert_msg(strstr(r.err, "table users already exists") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(history_count(), 0);
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "rehearse"), "ok");
    ck_assert_str_eq(outcome(doc, "apply"), "failed");
    ck_assert_str_eq(outcome(doc, "drift"), "skipped");
    json_t *f = json_array_get(json_object_get(report_step(doc, "apply"), "findings"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(f, "name")), "1_users");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(f, "statement")));
    json_decref(doc);
    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(strstr(audit, "step 'apply' failed"));
    free(audit);
}
END_TEST

/* The shop fixture through the whole stage on a server engine, then a drift. */
static void server_shop(const char *env_var, const char *fixture)
{
    const char *server = getenv(env_var);
    if (!server || !*server) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
                      "no test server: %s is not set; run tests/support/servers.sh start", env_var);
        printf("pipeline_cli: %s case skipped (%s not set)\n", fixture, env_var);
        return;
    }
    char *url = db_create_scratch(server);
    char yaml[1200];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n", url);
    write_text(dir, "borch.yaml", yaml);
    copy_fixture(dir, fixture);
    run_result r = run_borch(dir, ARGS("pipeline", "--report", "r.json", "--junit", "j.xml"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(db_count(url, "SELECT count(*) FROM borch_schema_history"), 8);
    json_t *doc = load_report("r.json");
    ck_assert_str_eq(outcome(doc, "drift"), "ok");
    json_decref(doc);
    db_exec(url, "CREATE TABLE stray (id INTEGER)");
    r = run_borch(dir, ARGS("pipeline", "--plan-only"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "table stray exists in the live schema") != NULL, "%s", r.out);
    run_result_release(&r);
    db_drop_scratch(server, url);
    free(url);
}

START_TEST(postgres_shop_runs_the_stage)
{
    server_shop("BORCH_TEST_PG_URL", "postgres/shop");
}
END_TEST

START_TEST(mysql_shop_runs_the_stage)
{
    server_shop("BORCH_TEST_MYSQL_URL", "mysql/shop");
}
END_TEST

Suite *suite_pipeline_cli(void)
{
    Suite *s = suite_create("pipeline_cli");
    TCase *tc = tcase_create("pipeline_cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, clean_pipeline_applies_and_writes_reports);
    tcase_add_test(tc, lint_error_stops_the_pipeline_and_nothing_is_applied);
    tcase_add_test(tc, down_that_leaves_differences_stops_at_rehearse);
    tcase_add_test(tc, plan_only_leaves_the_target_as_it_was);
    tcase_add_test(tc, drift_is_named_difference_by_difference);
    tcase_add_test(tc, a_table_the_migrations_do_not_know_is_drift);
    tcase_add_test(tc, changed_applied_file_fails_validate);
    tcase_add_test(tc, folder_that_does_not_match_borch_sum_is_refused);
    tcase_add_test(tc, bad_usage_exits_2_and_touches_nothing);
    tcase_add_test(tc, unreachable_target_exits_3);
    tcase_add_test(tc, plan_only_on_a_missing_sqlite_file_creates_nothing);
    tcase_add_test(tc, migration_that_fails_on_the_target_stops_at_apply);
    tcase_add_test(tc, postgres_shop_runs_the_stage);
    tcase_add_test(tc, mysql_shop_runs_the_stage);
    suite_add_tcase(s, tc);
    return s;
}
