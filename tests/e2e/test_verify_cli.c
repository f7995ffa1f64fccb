/*
 * test_verify_cli.c - end-to-end: `rollback --verify` rehearses migrations
 * in a throwaway database, names what is wrong with each, never touches the
 * target, and cleans up after itself; on SQLite, PostgreSQL and MariaDB.
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
    dir = make_temp_dir("verify");
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

START_TEST(sample_app_rehearses_clean_and_target_is_untouched)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("rollback", "--verify", "--junit", "verify.xml"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "8 ok, 0 failed"));
    run_result_release(&r);
    ck_assert_msg(!target_exists(), "the target database was created");
    char *xml = read_text(dir, "verify.xml");
    ck_assert_ptr_nonnull(xml);
    int cases = 0;
    for (const char *p = xml; (p = strstr(p, "<testcase ")); p++)
        cases++;
    ck_assert_int_eq(cases, 8);
    ck_assert_ptr_null(strstr(xml, "<failure"));
    free(xml);
    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_ptr_nonnull(strstr(audit, "\"action\":\"verify\""));
    free(audit);
}
END_TEST

START_TEST(each_kind_of_broken_down_is_named)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n"
               "-- +borch down\nDROP TABLE users;\n");
    write_text(dir, "migrations/2_posts.sql",
               "-- +borch up\nCREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n"
               "CREATE INDEX posts_title_idx ON posts (title);\n"
               "-- +borch down\nDROP INDEX IF EXISTS nothing_here;\n");
    write_text(dir, "migrations/3_log.sql", "-- +borch up\nCREATE TABLE log (id INTEGER);\n");
    write_text(dir, "migrations/4_bad_down.sql",
               "-- +borch up\nCREATE TABLE t4 (id INTEGER);\n-- +borch down\n\nDROP TABLEX t4;\n");
    run_result r = run_borch(dir, ARGS("--json", "rollback", "--verify"), NULL);
    expect(&r, 1);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    json_t *m = json_object_get(doc, "migrations");
    ck_assert_uint_eq(json_array_size(m), 4);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 0), "outcome")), "ok");
    json_t *posts = json_array_get(m, 1);
    ck_assert_str_eq(json_string_value(json_object_get(posts, "outcome")), "down leaves differences");
    ck_assert_msg(strstr(json_string_value(json_object_get(posts, "detail")),
                         "table posts still present") != NULL,
                  "%s", json_string_value(json_object_get(posts, "detail")));
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 2), "outcome")),
                     "irreversible");
    json_t *bad = json_array_get(m, 3);
    ck_assert_str_eq(json_string_value(json_object_get(bad, "outcome")), "down fails");
    ck_assert_int_eq(json_integer_value(json_object_get(bad, "line")), 5);
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

START_TEST(down_that_keeps_an_index_or_changes_a_type_is_named)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n"
               "-- +borch down\nDROP TABLE users;\n");
    write_text(dir, "migrations/2_index.sql",
               "-- +borch up\nCREATE INDEX users_email_idx ON users (email);\n"
               "ALTER TABLE users ADD COLUMN name TEXT;\n"
               "-- +borch down\nALTER TABLE users DROP COLUMN name;\n");
    write_text(dir, "migrations/3_retype.sql",
               "-- +borch up\nCREATE TABLE notes (body VARCHAR(200));\n"
               "-- +borch down\nDROP TABLE notes;\nCREATE TABLE notes (body TEXT);\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "index users_email_idx still present") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "table notes still present") != NULL, "%s", r.out);
    run_result_release(&r);
}
END_TEST

START_TEST(up_that_does_not_run_stops_the_rehearsal)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\n\nCREATE TABLEE b (id INTEGER);\n-- +borch down\nDROP TABLE b;\n");
    write_text(dir, "migrations/3_c.sql", "-- +borch up\nCREATE TABLE c (id INTEGER);\n-- +borch down\nDROP TABLE c;\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify", "--junit", "j.xml"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "2_b.sql:3:") != NULL, "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "not run"));
    run_result_release(&r);
    char *xml = read_text(dir, "j.xml");
    ck_assert_ptr_nonnull(strstr(xml, "<skipped"));
    ck_assert_ptr_nonnull(strstr(xml, "up fails"));
    free(xml);
}
END_TEST

START_TEST(from_rehearses_only_later_migrations)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER REFERENCES a (id));\n-- +borch down\nDROP TABLE b;\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify", "--from", "1"), NULL);
    expect(&r, 0); /* 1 is irreversible but is before the range */
    ck_assert_ptr_nonnull(strstr(r.out, "1 migration rehearsed"));
    run_result_release(&r);
}
END_TEST

START_TEST(keep_leaves_the_throwaway_database_and_says_where)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify", "--keep"), NULL);
    expect(&r, 0);
    const char *p = strstr(r.out, "kept the throwaway database: sqlite:");
    ck_assert_msg(p != NULL, "%s", r.out);
    char path[600];
    sscanf(strstr(p, "sqlite:") + 7, "%599s", path);
    const char *file = strncmp(path, "//", 2) == 0 ? path + 2 : path;
    ck_assert_msg(access(file, F_OK) == 0, "%s is gone", file);
    unlink(file);
    run_result_release(&r);
}
END_TEST

START_TEST(with_data_catches_a_down_that_fails_only_on_rows)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
               "CREATE UNIQUE INDEX users_email_key ON users (email);\n"
               "-- +borch down\nDROP TABLE users;\n");
    /* The up lifts uniqueness; the down restores it, which duplicates break. */
    write_text(dir, "migrations/2_lift_unique.sql",
               "-- +borch up\nDROP INDEX users_email_key;\n"
               "-- +borch down\nCREATE UNIQUE INDEX users_email_key ON users (email);\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 0); /* structurally the down is right */
    run_result_release(&r);
    r = run_borch(dir, ARGS("--json", "rollback", "--verify", "--with-data"), NULL);
    expect(&r, 1);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    json_t *m = json_array_get(json_object_get(doc, "migrations"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(m, "outcome")), "down fails with data");
    ck_assert_int_gt(json_integer_value(json_object_get(m, "rows")), 0);
    ck_assert_msg(strstr(json_string_value(json_object_get(m, "detail")), "UNIQUE") != NULL,
                  "%s", json_string_value(json_object_get(m, "detail")));
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

START_TEST(respelled_down_and_notx_sections_are_judged_by_their_models)
{
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
               "-- +borch down\nDROP TABLE users;\n");
    /* The down recreates the table spelled differently: same model, other text. */
    write_text(dir, "migrations/2_rebuild.sql",
               "-- +borch up\nDROP TABLE users;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
               "-- +borch down\nDROP TABLE users;\ncreate   table users (id integer primary key,   email text);\n");
    /* A notx migration after the fast ones is compared against a fresh model. */
    write_text(dir, "migrations/3_notx.sql",
               "-- +borch up notx\nCREATE INDEX users_email_idx ON users (email);\n"
               "-- +borch down notx\nSELECT 1;\n");
    run_result r = run_borch(dir, ARGS("--json", "rollback", "--verify"), NULL);
    expect(&r, 1);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    json_t *m = json_object_get(doc, "migrations");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(m, 1), "outcome")), "ok");
    json_t *n3 = json_array_get(m, 2);
    ck_assert_str_eq(json_string_value(json_object_get(n3, "outcome")), "down leaves differences");
    ck_assert_msg(strstr(json_string_value(json_object_get(n3, "detail")),
                         "index users_email_idx still present") != NULL,
                  "%s", json_string_value(json_object_get(n3, "detail")));
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

/* The same rehearsal on a server engine, with its shop fixture. */
static void server_shop(const char *env_var, const char *fixture)
{
    const char *url = getenv(env_var);
    if (!url || !*url) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "no test server: %s is not set; run "
                      "tests/support/servers.sh start", env_var);
        printf("verify_cli: %s case skipped (%s not set)\n", fixture, env_var);
        return;
    }
    char yaml[1200];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n", url);
    write_text(dir, "borch.yaml", yaml);
    copy_fixture(dir, fixture);
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "0 failed"));
    run_result_release(&r);
}

START_TEST(postgres_shop_rehearses_clean)
{
    server_shop("BORCH_TEST_PG_URL", "postgres/shop");
}
END_TEST

START_TEST(mysql_shop_rehearses_clean)
{
    server_shop("BORCH_TEST_MYSQL_URL", "mysql/shop");
}
END_TEST

START_TEST(mysql_target_not_created_yet_still_rehearses)
{
    const char *url = getenv("BORCH_TEST_MYSQL_URL");
    if (!url || !*url) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "no MariaDB test server: BORCH_TEST_MYSQL_URL is not set");
        return;
    }
    /* The same server, a database that does not exist: the throwaway one
     * must not depend on it. */
    const char *slash = strrchr(url, '/');
    char yaml[1400];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %.*s/borch_never_created\n",
             (int)(slash - url), url);
    write_text(dir, "borch.yaml", yaml);
    copy_fixture(dir, "mysql/shop");
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 0);
    run_result_release(&r);
}
END_TEST

START_TEST(postgres_long_prefix_is_kept_as_a_template)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (!url || !*url) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "no PostgreSQL test server: BORCH_TEST_PG_URL is not set");
        return;
    }
    char yaml[1200];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n", url);
    write_text(dir, "borch.yaml", yaml);
    for (int i = 1; i <= 305; i++) {
        char name[64], body[200];
        snprintf(name, sizeof(name), "migrations/%03d_t%d.sql", i, i);
        snprintf(body, sizeof(body), "-- +borch up\nCREATE TABLE t%d (id int);\n-- +borch down\nDROP TABLE t%d;\n", i, i);
        write_text(dir, name, body);
    }
    /* The first run replays 300 migrations and keeps them as a template; the
     * second copies it; both rehearse the last five the same way. */
    for (int run = 0; run < 2; run++) {
        run_result r = run_borch(dir, ARGS("rollback", "--verify", "--from", "300"), NULL);
        expect(&r, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "5 migrations rehearsed"));
        run_result_release(&r);
    }
    char *kept = read_text(dir, ".borch/templates");
    ck_assert_ptr_nonnull(kept);
    kept[strcspn(kept, "\n")] = '\0';
    char q[300];
    snprintf(q, sizeof(q), "SELECT count(*) FROM pg_database WHERE datname = '%s'", kept);
    ck_assert_int_eq(db_count(url, q), 1);
    /* Not a throwaway left behind: only the template stays. */
    ck_assert_int_eq(db_count(url, "SELECT count(*) FROM pg_database WHERE datname LIKE "
                                   "'borch\\_scratch\\_%' AND datname NOT LIKE 'borch\\_scratch\\_tpl\\_%'"), 0);
    char *turl = NULL;
    {
        const char *slash = strrchr(url, '/');
        const char *qm = strchr(slash, '?');
        size_t n = strlen(url) + strlen(kept) + 8;
        turl = malloc(n);
        snprintf(turl, n, "%.*s/%s%s", (int)(slash - url), url, kept, qm ? qm : "");
    }
    db_drop_scratch(url, turl);
    free(turl);
    free(kept);
}
END_TEST

START_TEST(postgres_broken_downs_are_named_too)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (!url || !*url) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "no PostgreSQL test server: BORCH_TEST_PG_URL is not set");
        return;
    }
    char yaml[1200];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n", url);
    write_text(dir, "borch.yaml", yaml);
    write_text(dir, "migrations/1_users.sql",
               "-- +borch up\nCREATE TABLE users (id bigint PRIMARY KEY, email varchar(200));\n"
               "-- +borch down\nDROP TABLE users;\n");
    write_text(dir, "migrations/2_index.sql",
               "-- +borch up\nCREATE INDEX users_email_idx ON users (email);\n"
               "-- +borch down\nSELECT 1;\n");
    write_text(dir, "migrations/3_retype.sql",
               "-- +borch up\nALTER TABLE users ALTER COLUMN email TYPE text;\n"
               "-- +borch down\nALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n");
    write_text(dir, "migrations/4_ok.sql",
               "-- +borch up\nCREATE TABLE notes (id int);\n-- +borch down\nDROP TABLE notes;\n");
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.out, "index users_email_idx still present") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "column users.email is character varying(100), was character varying(200)") != NULL,
                  "%s", r.out);
    ck_assert_msg(strstr(r.out, "ok      4_ok") != NULL, "%s", r.out);
    run_result_release(&r);
}
END_TEST

START_TEST(scratch_server_that_refuses_names_the_config_key)
{
    const char *url = getenv("BORCH_TEST_PG_URL");
    if (!url || !*url) {
        const char *ci = getenv("CI");
        ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "no PostgreSQL test server: BORCH_TEST_PG_URL is not set");
        return;
    }
    /* The same server as the role tests/support/servers.sh makes without
     * CREATEDB: "<user>_nocreate", same password. */
    const char *auth = strstr(url, "://") + 3;
    const char *colon = strchr(auth, ':');
    ck_assert_ptr_nonnull(colon);
    char yaml[1400];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n    scratch: %.*s_nocreate%s\n",
             url, (int)(colon - url), url, colon);
    write_text(dir, "borch.yaml", yaml);
    copy_fixture(dir, "postgres/shop");
    run_result r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "environments.dev.scratch") != NULL, "%s", r.err);
    char password[200];
    snprintf(password, sizeof(password), "%.*s", (int)strcspn(colon + 1, "@"), colon + 1);
    ck_assert_msg(strstr(r.err, password) == NULL, "password shown: %s", r.err);
    run_result_release(&r);
    /* A scratch server that is down: exit 3. */
    snprintf(yaml, sizeof(yaml),
             "connect_timeout: 2\nenvironments:\n  dev:\n    url: %s\n    scratch: postgres://borch:pw@127.0.0.1:1/postgres\n",
             url);
    write_text(dir, "borch.yaml", yaml);
    r = run_borch(dir, ARGS("rollback", "--verify"), NULL);
    expect(&r, 3);
    run_result_release(&r);
}
END_TEST

Suite *suite_verify_cli(void)
{
    Suite *s = suite_create("verify_cli");
    TCase *tc = tcase_create("verify_cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sample_app_rehearses_clean_and_target_is_untouched);
    tcase_add_test(tc, each_kind_of_broken_down_is_named);
    tcase_add_test(tc, down_that_keeps_an_index_or_changes_a_type_is_named);
    tcase_add_test(tc, up_that_does_not_run_stops_the_rehearsal);
    tcase_add_test(tc, from_rehearses_only_later_migrations);
    tcase_add_test(tc, keep_leaves_the_throwaway_database_and_says_where);
    tcase_add_test(tc, with_data_catches_a_down_that_fails_only_on_rows);
    tcase_add_test(tc, respelled_down_and_notx_sections_are_judged_by_their_models);
    tcase_add_test(tc, postgres_shop_rehearses_clean);
    tcase_add_test(tc, mysql_shop_rehearses_clean);
    tcase_add_test(tc, scratch_server_that_refuses_names_the_config_key);
    tcase_add_test(tc, mysql_target_not_created_yet_still_rehearses);
    tcase_add_test(tc, postgres_long_prefix_is_kept_as_a_template);
    tcase_add_test(tc, postgres_broken_downs_are_named_too);
    suite_add_tcase(s, tc);
    return s;
}
