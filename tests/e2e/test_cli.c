/*
 * test_cli.c - end-to-end: the built borch-db against real SQLite files in
 * fresh folders, through the commands and exit codes the SPEC promises.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
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
    dir = make_temp_dir("cli");
    write_text(dir, "borch.yaml",
               "default: dev\n"
               "migrations: migrations\n"
               "environments:\n"
               "  dev:\n"
               "    url: sqlite:app.db\n");
}

static void teardown(void)
{
    rm_rf(dir);
    free(dir);
}

/* Path of dir/app.db, in a static buffer. */
static const char *db(void)
{
    static char p[600];
    snprintf(p, sizeof(p), "%s/app.db", dir);
    return p;
}

static void expect(run_result *r, int code)
{
    ck_assert_msg(r->status == code, "exit %d, wanted %d\nstdout:\n%s\nstderr:\n%s", r->status,
                  code, r->out, r->err);
}

static long count_rows(const char *sql)
{
    char *v = sqlite_scalar(db(), sql);
    long n = atol(v);
    free(v);
    return n;
}

START_TEST(sample_app_migrates_and_reports_status)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "applied"));
    run_result_release(&r);
    long applied = count_rows("SELECT count(*) FROM borch_schema_history WHERE state='applied'");
    ck_assert_int_ge(applied, 6);

    r = run_borch(dir, ARGS("status", "--exit-code"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "VERSION"));
    ck_assert_ptr_nonnull(strstr(r.out, "0 pending"));
    ck_assert_ptr_nonnull(strstr(r.out, "drift: none"));
    run_result_release(&r);

    char *models = read_text(dir, "models.json");
    ck_assert_ptr_nonnull(models);
    ck_assert_ptr_nonnull(strstr(models, "\"format\": \"borch-models/1\""));
    ck_assert_ptr_null(strstr(models, "borch_schema_history"));
    free(models);

    /* Nothing left to do is success, and changes nothing. */
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "up to date"));
    run_result_release(&r);
}
END_TEST

START_TEST(status_json_is_one_document)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up", "--step", "2"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("--json", "status"), NULL);
    expect(&r, 0);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "not JSON: %s", r.out);
    json_t *counts = json_object_get(doc, "counts");
    ck_assert_int_eq(json_integer_value(json_object_get(counts, "applied")), 2);
    ck_assert_int_ge(json_integer_value(json_object_get(counts, "pending")), 4);
    json_decref(doc);
    run_result_release(&r);
    /* --exit-code: pending migrations are a failed check. */
    r = run_borch(dir, ARGS("status", "--exit-code"), NULL);
    expect(&r, 1);
    run_result_release(&r);
}
END_TEST

START_TEST(dry_run_prints_sql_and_changes_nothing)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up", "--dry-run"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "CREATE TABLE"));
    run_result_release(&r);
    /* Not even an empty file: reading commands never create the database. */
    ck_assert_msg(access(db(), F_OK) != 0, "--dry-run created %s", db());
    r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "0 applied"));
    run_result_release(&r);
    ck_assert(access(db(), F_OK) != 0);
}
END_TEST

START_TEST(to_and_step_and_rollback)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n-- +borch down\nDROP TABLE b;\n");
    write_text(dir, "migrations/10_c.sql", "-- +borch up\nCREATE TABLE c (id INTEGER);\n-- +borch down\nDROP TABLE c;\n");
    run_result r = run_borch(dir, ARGS("migrate", "up", "--to", "2"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 2);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    /* Versions order as numbers: 10 is last, so it is what rollback undoes. */
    r = run_borch(dir, ARGS("rollback"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "10_c"));
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='c'"), 0);
    r = run_borch(dir, ARGS("migrate", "down", "--to", "0"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 0);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name IN ('a','b')"), 0);
}
END_TEST

START_TEST(second_statement_failure_rolls_back_first)
{
    write_text(dir, "migrations/1_ok.sql", "-- +borch up\nCREATE TABLE ok (id INTEGER);\n-- +borch down\nDROP TABLE ok;\n");
    write_text(dir, "migrations/2_bad.sql",
               "-- +borch up\n"
               "CREATE TABLE first (id INTEGER);\n"
               "\n"
               "INSERT INTO no_such_table VALUES (1);\n"
               "-- +borch down\n"
               "DROP TABLE first;\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "2_bad.sql:4:") != NULL, "no file:line in: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "no_such_table"));
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='first'"), 0);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history WHERE version='2'"), 0);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history WHERE version='1'"), 1);
    /* The failure is in the audit trail, and the chain still verifies. */
    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    ck_assert_ptr_nonnull(strstr(audit, "\"outcome\":\"failed\""));
    free(audit);
    r = run_borch(dir, ARGS("audit", "verify"), NULL);
    expect(&r, 0);
    run_result_release(&r);
}
END_TEST

START_TEST(edited_applied_migration_is_changed)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER, x TEXT);\n-- +borch down\nDROP TABLE a;\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n-- +borch down\nDROP TABLE b;\n");
    r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "changed"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("validate"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.out, "1_a"));
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "changed after it was applied"));
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='b'"), 0);
    /* repair accepts the new checksum; then up goes on. */
    r = run_borch(dir, ARGS("repair"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='b'"), 1);
}
END_TEST

START_TEST(down_without_section_refuses)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "down", "--step", "2"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "2_b"));
    ck_assert_ptr_nonnull(strstr(r.err, "irreversible"));
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 2);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name IN ('a','b')"), 2);
}
END_TEST

START_TEST(bad_inputs_exit_2_naming_file_and_line)
{
    /* Malformed YAML. */
    write_text(dir, "borch.yaml", "environments:\n  dev:\n    url: [unclosed\n");
    run_result r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "borch.yaml:") != NULL, "%s", r.err);
    run_result_release(&r);
    /* Unknown key, with a suggestion. */
    write_text(dir, "borch.yaml", "migration: db/migrations\n");
    r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "borch.yaml:1"));
    ck_assert_ptr_nonnull(strstr(r.err, "migrations"));
    run_result_release(&r);
    /* Missing migrations folder. */
    write_text(dir, "borch.yaml", "migrations: nowhere\nenvironments:\n  dev:\n    url: sqlite:app.db\n");
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "nowhere"));
    run_result_release(&r);
    /* Unknown URL scheme. */
    write_text(dir, "borch.yaml", "environments:\n  dev:\n    url: oracle://scott:tiger@db/x\n");
    r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "oracle"));
    ck_assert_ptr_null(strstr(r.err, "tiger"));
    run_result_release(&r);
    /* Unknown flag. */
    r = run_borch(dir, ARGS("migrate", "up", "--frobnicate"), NULL);
    expect(&r, 2);
    run_result_release(&r);
    ck_assert(access(db(), F_OK) != 0); /* nothing was created */
}
END_TEST

START_TEST(bad_migration_files_exit_2_and_change_nothing)
{
    write_text(dir, "migrations/1_a.sql", "CREATE TABLE a (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 2);
    ck_assert_msg(strstr(r.err, "1_a.sql:1") != NULL, "%s", r.err);
    run_result_release(&r);
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    write_text(dir, "migrations/01_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n");
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "1_a.sql"));
    ck_assert_ptr_nonnull(strstr(r.err, "01_b.sql"));
    run_result_release(&r);
    ck_assert(access(db(), F_OK) != 0);
}
END_TEST

START_TEST(unreachable_database_exits_3)
{
    write_text(dir, "borch.yaml", "environments:\n  dev:\n    url: sqlite:///nonexistent-dir/x/app.db\n");
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 3);
    run_result_release(&r);
}
END_TEST

START_TEST(borch_sum_mismatch_is_refused)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("migrate", "hash"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n");
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "migrate hash"));
    run_result_release(&r);
    ck_assert(access(db(), F_OK) != 0);
    r = run_borch(dir, ARGS("migrate", "hash"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
}
END_TEST

START_TEST(init_and_new_write_from_templates)
{
    char *d = make_temp_dir("init");
    run_result r = run_borch(d, ARGS("init"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    char *cfg = read_text(d, "borch.yaml");
    ck_assert_ptr_nonnull(cfg);
    free(cfg);
    r = run_borch(d, ARGS("init"), NULL);
    expect(&r, 2); /* refuses to overwrite */
    run_result_release(&r);
    r = run_borch(d, ARGS("new", "Create Users"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "_create_users.sql"));
    run_result_release(&r);
    r = run_borch(d, ARGS("new", "add_email"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(d, ARGS("--json", "status"), NULL);
    expect(&r, 0);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "counts"), "pending")), 2);
    json_decref(doc);
    run_result_release(&r);
    rm_rf(d);
    free(d);
}
END_TEST

START_TEST(baseline_records_without_running)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    write_text(dir, "migrations/2_b.sql", "-- +borch up\nCREATE TABLE b (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("baseline", "--version", "1"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='a'"), 0);
    r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='b'"), 1);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='a'"), 0);
    r = run_borch(dir, ARGS("baseline", "--version", "2"), NULL);
    expect(&r, 1);
    run_result_release(&r);
}
END_TEST

START_TEST(password_never_shown)
{
    copy_sample_migrations(dir);
    const char *env[] = {"DATABASE_URL=postgres://app:S3cretPw@127.0.0.1:1/shop?connect_timeout=2", NULL};
    run_result r = run_borch(dir, ARGS("status"), env);
    ck_assert_int_ne(r.status, 0);
    ck_assert_msg(strstr(r.out, "S3cretPw") == NULL && strstr(r.err, "S3cretPw") == NULL,
                  "password leaked: %s %s", r.out, r.err);
    run_result_release(&r);
    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert(audit == NULL || strstr(audit, "S3cretPw") == NULL);
    free(audit);
}
END_TEST

START_TEST(audit_verify_detects_edits)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("audit", "show", "--limit", "3"), NULL);
    expect(&r, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "apply"));
    run_result_release(&r);
    char *audit = read_text(dir, ".borch/audit.jsonl");
    ck_assert_ptr_nonnull(audit);
    char *p = strstr(audit, "\"outcome\":\"ok\"");
    ck_assert_ptr_nonnull(p);
    memcpy(p + 11, "no", 2); /* "ok" -> "no" */
    write_text(dir, ".borch/audit.jsonl", audit);
    free(audit);
    r = run_borch(dir, ARGS("audit", "verify"), NULL);
    expect(&r, 1);
    run_result_release(&r);
}
END_TEST

/* Starts borch-db migrate up in the background; returns its pid. */
static pid_t spawn_up(void)
{
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(BORCH_BIN, BORCH_BIN, "migrate", "up", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Migrations that each log their own version, so double applies show. */
static void write_logging_migrations(int n, int slow)
{
    write_text(dir, "migrations/0_log.sql", "-- +borch up\nCREATE TABLE log (v INTEGER);\n");
    for (int i = 1; i <= n; i++) {
        char name[64], body[512];
        snprintf(name, sizeof(name), "migrations/%d_m%d.sql", i, i);
        snprintf(body, sizeof(body),
                 "-- +borch up\nCREATE TABLE t%d (x INTEGER);\n%s"
                 "INSERT INTO log VALUES (%d);\n-- +borch down\nDROP TABLE t%d;\n",
                 i,
                 slow ? "WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k+1 FROM c WHERE "
                        "k < 300000) INSERT INTO t_x SELECT k FROM c;\n"
                      : "",
                 i, i);
        if (slow) {
            char *b2 = strdup(body);
            char *tx = strstr(b2, "t_x");
            char num[16];
            snprintf(num, sizeof(num), "t%d", i);
            snprintf(body, sizeof(body), "%.*s%s%s", (int)(tx - b2), b2, num, tx + 3);
            free(b2);
        }
        write_text(dir, name, body);
    }
}

START_TEST(two_concurrent_ups_apply_each_once)
{
    write_logging_migrations(12, 0);
    pid_t a = spawn_up(), b = spawn_up();
    int sa, sb;
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    ck_assert_int_eq(WEXITSTATUS(sa), 0);
    ck_assert_int_eq(WEXITSTATUS(sb), 0);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM log"), 12);
    ck_assert_int_eq(count_rows("SELECT count(DISTINCT v) FROM log"), 12);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 13);
}
END_TEST

START_TEST(kill_9_mid_run_then_rerun_converges)
{
    write_logging_migrations(6, 1);
    pid_t a = spawn_up();
    usleep(400 * 1000);
    kill(a, SIGKILL);
    int st;
    waitpid(a, &st, 0);
    /* Whatever was recorded has its effect, and nothing took effect unrecorded. */
    long recorded = count_rows("SELECT count(*) FROM borch_schema_history WHERE version <> '0'");
    long logged = count_rows("SELECT count(*) FROM log");
    ck_assert_int_eq(recorded, logged);
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM log"), 6);
    ck_assert_int_eq(count_rows("SELECT count(DISTINCT v) FROM log"), 6);
}
END_TEST

START_TEST(empty_to_is_a_usage_error_not_everything)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n-- +borch down\nDROP TABLE a;\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    r = run_borch(dir, ARGS("migrate", "down", "--to="), NULL);
    expect(&r, 2);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 1);
}
END_TEST

START_TEST(commit_inside_a_migration_is_refused_before_it_runs)
{
    write_text(dir, "migrations/1_a.sql",
               "-- +borch up\nCREATE TABLE a (id INTEGER);\nCOMMIT;\nCREATE TABLE b (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 1);
    ck_assert_msg(strstr(r.err, "1_a.sql:3:") != NULL, "%s", r.err);
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name IN ('a','b')"), 0);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM borch_schema_history"), 0);
}
END_TEST

START_TEST(json_errors_are_one_document_too)
{
    write_text(dir, "borch.yaml", "migration: x\n");
    run_result r = run_borch(dir, ARGS("--json", "migrate", "up"), NULL);
    expect(&r, 2);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "stdout is not one JSON document: %s", r.out);
    ck_assert(json_is_false(json_object_get(doc, "ok")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "error"), "exit_code")), 2);
    json_decref(doc);
    run_result_release(&r);
}
END_TEST

START_TEST(new_after_a_far_future_version_sorts_last)
{
    write_text(dir, "migrations/99990101000000_future.sql", "-- +borch up\nSELECT 1;\n");
    run_result r = run_borch(dir, ARGS("new", "next"), NULL);
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "99990101000001_next.sql") != NULL, "%s", r.out);
    run_result_release(&r);
}
END_TEST

START_TEST(held_lock_times_out_with_exit_3)
{
    write_text(dir, "migrations/1_a.sql", "-- +borch up\nCREATE TABLE a (id INTEGER);\n");
    run_result r = run_borch(dir, ARGS("migrate", "up", "--dry-run"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    /* Another borch-db holds the lock: a child process that takes it and sleeps. */
    char lock[700];
    snprintf(lock, sizeof(lock), "%s-borch.lock", db());
    pid_t holder = fork();
    ck_assert(holder >= 0);
    if (holder == 0) {
        execlp("flock", "flock", lock, "sleep", "5", (char *)NULL);
        _exit(127);
    }
    usleep(300 * 1000);
    r = run_borch(dir, ARGS("migrate", "up", "--lock-timeout", "1"), NULL);
    kill(holder, SIGTERM);
    waitpid(holder, NULL, 0);
    expect(&r, 3);
    ck_assert_ptr_nonnull(strstr(r.err, "lock"));
    run_result_release(&r);
    ck_assert_int_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name='a'"), 0);
}
END_TEST

/* Runs SQL on the test database from outside borch-db (a person's change). */
static void sqlite_exec_text(const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert(sqlite3_open(db(), &h) == SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
    sqlite3_close(h);
}

START_TEST(drift_cache_never_hides_a_change)
{
    copy_sample_migrations(dir);
    run_result r = run_borch(dir, ARGS("migrate", "up"), NULL);
    expect(&r, 0);
    run_result_release(&r);
    for (int i = 0; i < 2; i++) { /* the second status answers from the cache */
        r = run_borch(dir, ARGS("status"), NULL);
        expect(&r, 0);
        ck_assert_ptr_nonnull(strstr(r.out, "drift: none"));
        run_result_release(&r);
    }
    sqlite_exec_text("ALTER TABLE customers ADD COLUMN sneaky TEXT");
    r = run_borch(dir, ARGS("status"), NULL);
    expect(&r, 0);
    ck_assert_msg(strstr(r.out, "column customers.sneaky still present") != NULL, "%s", r.out);
    run_result_release(&r);
    sqlite_exec_text("ALTER TABLE customers DROP COLUMN sneaky");
    r = run_borch(dir, ARGS("status"), NULL);
    ck_assert_ptr_nonnull(strstr(r.out, "drift: none"));
    run_result_release(&r);
    /* An edited models.json is another state: checked again, not cached. */
    char *m = read_text(dir, "models.json");
    char *p = strstr(m, "\"customers\"");
    ck_assert_ptr_nonnull(p);
    memcpy(p + 1, "kustomers", 9);
    write_text(dir, "models.json", m);
    free(m);
    r = run_borch(dir, ARGS("status"), NULL);
    ck_assert_ptr_null(strstr(r.out, "drift: none"));
    run_result_release(&r);
}
END_TEST

Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("sqlite");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sample_app_migrates_and_reports_status);
    tcase_add_test(tc, status_json_is_one_document);
    tcase_add_test(tc, dry_run_prints_sql_and_changes_nothing);
    tcase_add_test(tc, to_and_step_and_rollback);
    tcase_add_test(tc, second_statement_failure_rolls_back_first);
    tcase_add_test(tc, edited_applied_migration_is_changed);
    tcase_add_test(tc, down_without_section_refuses);
    tcase_add_test(tc, bad_inputs_exit_2_naming_file_and_line);
    tcase_add_test(tc, bad_migration_files_exit_2_and_change_nothing);
    tcase_add_test(tc, unreachable_database_exits_3);
    tcase_add_test(tc, borch_sum_mismatch_is_refused);
    tcase_add_test(tc, init_and_new_write_from_templates);
    tcase_add_test(tc, baseline_records_without_running);
    tcase_add_test(tc, password_never_shown);
    tcase_add_test(tc, audit_verify_detects_edits);
    tcase_add_test(tc, two_concurrent_ups_apply_each_once);
    tcase_add_test(tc, kill_9_mid_run_then_rerun_converges);
    tcase_add_test(tc, empty_to_is_a_usage_error_not_everything);
    tcase_add_test(tc, commit_inside_a_migration_is_refused_before_it_runs);
    tcase_add_test(tc, json_errors_are_one_document_too);
    tcase_add_test(tc, new_after_a_far_future_version_sorts_last);
    tcase_add_test(tc, held_lock_times_out_with_exit_3);
    tcase_add_test(tc, drift_cache_never_hides_a_change);
    suite_add_tcase(s, tc);
    return s;
}
