/*
 * test_diff_cli.c - end-to-end: `diff` and `new --from-diff` through the
 * built binary, and the throwaway databases they make: always dropped, on
 * success, on bad input and on SIGINT/SIGTERM.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/harness.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *dir;

static void setup(void)
{
    dir = make_temp_dir("diff");
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

/* The children's TMPDIR: a folder of this test's own, so that throwaway
 * files of other processes on the machine never count. */
static const char *const *tmp_env(void)
{
    static char var[700];
    static const char *env[2];
    snprintf(var, sizeof(var), "TMPDIR=%s/tmp", dir);
    env[0] = var;
    env[1] = NULL;
    write_text(dir, "tmp/.keep", ""); /* makes the folder */
    return env;
}

/* Throwaway SQLite files left in the children's TMPDIR. */
static long sqlite_scratch_files(void)
{
    char cmd[800];
    snprintf(cmd, sizeof(cmd), "ls '%s/tmp' 2>/dev/null | grep -c '^borch-scratch-' ", dir);
    FILE *p = popen(cmd, "r");
    long n = 0;
    if (p) {
        if (fscanf(p, "%ld", &n) != 1)
            n = 0;
        pclose(p);
    }
    return n;
}

START_TEST(diff_of_equal_schemas_prints_nothing)
{
    write_text(dir, "migrations/1_a.sql",
               "-- +borch up\nCREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
    write_text(dir, "want.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
    tmp_env();
    long before = sqlite_scratch_files();
    run_result r = run_borch(dir, ARGS("diff", "--from", "migrations:migrations", "--to", "want.sql"), tmp_env());
    expect(&r, 0);
    ck_assert_str_eq(r.out, "");
    run_result_release(&r);
    ck_assert_int_eq(sqlite_scratch_files(), before);
}
END_TEST

START_TEST(new_from_diff_round_trips)
{
    write_text(dir, "migrations/1_a.sql",
               "-- +borch up\nCREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
               "INSERT INTO a (name) VALUES ('kept');\n-- +borch down\nDROP TABLE a;\n");
    write_text(dir, "want.sql",
               "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, email VARCHAR(200) NOT NULL DEFAULT '');\n"
               "CREATE UNIQUE INDEX a_email_key ON a (email) WHERE email <> '';\n"
               "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id) ON DELETE CASCADE);\n");
    run_result r = run_borch(dir, ARGS("new", "widen", "--from-diff", "want.sql"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "_widen.sql"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    /* The migrations now produce want.sql: nothing left to do. */
    r = run_borch(dir, ARGS("diff", "--from", "migrations:migrations", "--to", "want.sql"), NULL);
    expect(&r, 0);
    ck_assert_str_eq(r.out, "");
    run_result_release(&r);
    char path[600];
    snprintf(path, sizeof(path), "%s/app.db", dir);
    char *v = sqlite_scalar(path, "SELECT name FROM a");
    ck_assert_str_eq(v, "kept"); /* the row survived the table rebuild */
    free(v);
    /* The generated down brings the first schema back. */
    r = run_borch(dir, ARGS("rollback"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("status"), NULL);
    ck_assert_ptr_nonnull(strstr(r.out, "drift: none"));
    run_result_release(&r);
    v = sqlite_scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'b'");
    ck_assert_str_eq(v, "0");
    free(v);
}
END_TEST

START_TEST(desired_file_that_does_not_load_exits_2_naming_its_line)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    write_text(dir, "want.sql", "CREATE TABLE a (id INTEGER);\n\nCREATE TABLE b (id INTEGER,);\n");
    const char *const *env = tmp_env();
    long before = sqlite_scratch_files();
    run_result r = run_borch(dir, ARGS("diff", "--from", "migrations:migrations", "--to", "want.sql"), env);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "want.sql:3:") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(sqlite_scratch_files(), before);
}
END_TEST

START_TEST(inspect_formats_round_trip_through_diff)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    const char *formats[] = {"yaml", "sql"};
    const char *files[] = {"live.yaml", "live.sql"};
    for (int i = 0; i < 2; i++) {
        r = run_borch(dir, ARGS("schema", "inspect", "--format", formats[i], "-o", files[i]), NULL);
        expect(&r, 0);
        run_result_release(&r);
        /* What inspect wrote is a schema source equal to the migrations'. */
        r = run_borch(dir, ARGS("diff", "--from", files[i], "--to", "migrations:migrations"), tmp_env());
        expect(&r, 0);
        ck_assert_msg(r.out[0] == '\0', "%s differs:\n%s", files[i], r.out);
        run_result_release(&r);
    }
    r = run_borch(dir, ARGS("schema", "inspect", "--format", "mermaid"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "erDiagram"));
    ck_assert_ptr_nonnull(strstr(r.out, "customers ||--o{ orders"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("schema", "inspect", "--format", "dot"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "digraph"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("schema", "inspect", "--format", "png"), NULL);
    expect(&r, 2);
    run_result_release(&r);
}
END_TEST

START_TEST(yaml_model_with_a_missing_table_is_refused_before_any_database)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    write_text(dir, "want.yaml",
               "tables:\n  a:\n    columns:\n      id: integer\n      b_id: integer\n"
               "    foreign_keys:\n      - { columns: [b_id], references: b(id) }\n");
    const char *const *env = tmp_env();
    run_result r = run_borch(dir, ARGS("diff", "--from", "migrations:migrations", "--to", "want.yaml"), env);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "want.yaml:7:") != NULL, "%s", r.err);
    run_result_release(&r);
}
END_TEST

START_TEST(sqlite_rebuild_of_a_referenced_table_keeps_child_rows)
{
    write_text(dir, "migrations/1_a.sql",
               "-- +borch up\nCREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
               "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) "
               "ON DELETE CASCADE);\nINSERT INTO parent VALUES (1, 'p');\nINSERT INTO child VALUES (1, 1);\n"
               "-- +borch down\nDROP TABLE child;\nDROP TABLE parent;\n");
    write_text(dir, "want.sql",
               "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
               "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) "
               "ON DELETE CASCADE);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("new", "tighten", "--from-diff", "want.sql"), tmp_env());
    expect(&r, 0);
    run_result_release(&r);
    /* The rebuild must run outside a transaction, so the section says notx. */
    char cmd[800];
    snprintf(cmd, sizeof(cmd), "grep -l -- '-- +borch up notx' '%s'/migrations/*_tighten.sql >/dev/null", dir);
    ck_assert_msg(system(cmd) == 0, "generated migration has no notx up section");
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    char path[600];
    snprintf(path, sizeof(path), "%s/app.db", dir);
    char *v = sqlite_scalar(path, "SELECT count(*) FROM child");
    ck_assert_str_eq(v, "1"); /* ON DELETE CASCADE did not fire during the rebuild */
    free(v);
}
END_TEST

static const char *pg_url(void)
{
    const char *u = getenv("BORCH_TEST_PG_URL");
    if (u && *u)
        return u;
    const char *ci = getenv("CI");
    ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
                  "no PostgreSQL test server: BORCH_TEST_PG_URL is not set; run tests/support/servers.sh start");
    return NULL;
}

static long pg_scratch_count(const char *url)
{
    return db_count(url, "SELECT count(*) FROM pg_database WHERE datname LIKE 'borch\\_scratch\\_%'");
}

/* SIGINT or SIGTERM while a migration replays in a throwaway database. */
static void interrupted_replay_drops_scratch(int sig)
{
    const char *url = pg_url();
    if (!url) {
        printf("diff_cli: PostgreSQL case skipped (no BORCH_TEST_PG_URL)\n");
        return;
    }
    char yaml[1200];
    snprintf(yaml, sizeof(yaml), "environments:\n  dev:\n    url: %s\n", url);
    write_text(dir, "borch.yaml", yaml);
    write_text(dir, "migrations/1_slow.sql",
               "-- +borch up\nCREATE TABLE a (id integer);\nSELECT pg_sleep(20);\n");
    write_text(dir, "want.sql", "CREATE TABLE a (id integer);\n");
    long before = pg_scratch_count(url);
    char out[700];
    snprintf(out, sizeof(out), "%s/out.txt", dir);
    pid_t pid = spawn_borch(dir, ARGS("diff", "--from", "migrations:migrations", "--to", "want.sql"), out);
    /* Wait until the throwaway database exists, then interrupt. */
    long long t0 = now_ms_mono();
    while (pg_scratch_count(url) <= before && now_ms_mono() - t0 < 10000)
        usleep(50 * 1000);
    ck_assert_int_gt(pg_scratch_count(url), before);
    usleep(300 * 1000);
    kill(pid, sig);
    int code = wait_borch(pid, 20000);
    ck_assert_int_eq(code, 128 + sig);
    ck_assert_int_eq(pg_scratch_count(url), before);
}

START_TEST(sigint_drops_the_throwaway_database)
{
    interrupted_replay_drops_scratch(SIGINT);
}
END_TEST

START_TEST(sigterm_drops_the_throwaway_database)
{
    interrupted_replay_drops_scratch(SIGTERM);
}
END_TEST

Suite *suite_diff_cli(void)
{
    Suite *s = suite_create("diff_cli");
    TCase *tc = tcase_create("diff_cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, diff_of_equal_schemas_prints_nothing);
    tcase_add_test(tc, new_from_diff_round_trips);
    tcase_add_test(tc, desired_file_that_does_not_load_exits_2_naming_its_line);
    tcase_add_test(tc, inspect_formats_round_trip_through_diff);
    tcase_add_test(tc, sqlite_rebuild_of_a_referenced_table_keeps_child_rows);
    tcase_add_test(tc, yaml_model_with_a_missing_table_is_refused_before_any_database);
    tcase_add_test(tc, sigint_drops_the_throwaway_database);
    tcase_add_test(tc, sigterm_drops_the_throwaway_database);
    suite_add_tcase(s, tc);
    return s;
}
